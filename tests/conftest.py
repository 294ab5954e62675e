import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client, override_settings

from archive.accounts.models import User
from archive.accounts.roles import Role, sync_role_groups
from archive.search.engine import forget_index
from tests.factories import make_user

# Fast hashing in tests: the real hasher is deliberately slow.
override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]).enable()

# Nothing a test does may touch var/: code that runs before the per-test fixtures below
# (class-level set-ups, module fixtures) writes files and the index into a scratch folder.
_SCRATCH = Path(tempfile.mkdtemp(prefix="archive-tests-"))
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
override_settings(
    SEARCH_INDEX_DIR=_SCRATCH / "index",
    STORAGES={
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": _SCRATCH / "media", "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    },
).enable()


@pytest.hookimpl(trylast=True)  # after pytest-django has grouped the tests by database use
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: from its first use to the end of the session, Playwright's sync
    API keeps an event loop running in the main thread, and so needs
    DJANGO_ALLOW_ASYNC_UNSAFE, which no other test should run with."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Every test searches its own index, created on first use."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


@pytest.fixture(autouse=True)
def fresh_rate_counters() -> None:
    """The API's and the forms' rate counters live in Django's cache, which outlives a
    test: each test starts with none spent."""
    cache.clear()


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path: Path) -> Path:
    """Every test writes files into its own temporary private storage."""
    location = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    return location


@pytest.fixture(autouse=True)
def role_groups_after_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test (live server, browser) starts from a database flushed by the one
    before: the role groups the migrations made are gone, and the personas need them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    sync_role_groups(apps)


# Personas: one of each kind of person who uses the archive.


@pytest.fixture
def contributor(db: None) -> User:
    return make_user(role=Role.CONTRIBUTOR, username="carine.contributor")


@pytest.fixture
def moderator(db: None) -> User:
    return make_user(role=Role.MODERATOR, username="mher.moderator")


@pytest.fixture
def archivist(db: None) -> User:
    return make_user(role=Role.ARCHIVIST, username="ani.archivist")


@pytest.fixture
def superuser(db: None) -> User:
    return make_user(username="sona.superuser", is_superuser=True, is_staff=True)


@pytest.fixture
def researcher(db: None) -> User:
    return make_user(username="ruben.researcher")


@pytest.fixture
def approved_researcher(db: None) -> User:
    """A researcher whose access to researchers' material was granted (by hand, as an
    archivist may in the admin, rather than through an access request)."""
    return grant_research_access(make_user(username="rita.approved"))


@pytest.fixture
def curator(db: None) -> User:
    """A member of staff who may view testimonies (what every role may), given the permission
    directly rather than through a role group, so module-wide fixtures cannot disturb it."""
    user = make_user(username="mher.curator", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="view_testimony", content_type__app_label="testimonies")
    )
    return User.objects.get(pk=user.pk)


@pytest.fixture
def anonymous() -> Client:
    return Client()


def grant_research_access(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="access_research_material"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def end_research_access(user: User) -> None:
    user.user_permissions.remove(Permission.objects.get(codename="access_research_material"))


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_of(request: pytest.FixtureRequest, anonymous: Client) -> Callable[[str], Client]:
    """A client for a persona named by its fixture: signed in as that user, or the client
    the fixture gives (the anonymous visitor, the API's token holders)."""

    def get(persona: str) -> Client:
        found = anonymous if persona == "anonymous" else request.getfixturevalue(persona)
        return found if isinstance(found, Client) else client_for(found)

    return get


# Browser tests (marked `browser`): pytest-playwright driving Debian's Chromium at
# /usr/bin/chromium (it cannot download its own browser here); .ci/run installs it. Without it
# they skip, unless ARCHIVE_REQUIRE_ALL is set, as in CI, where they fail instead.
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        if os.environ.get("ARCHIVE_REQUIRE_ALL"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _verify_url() -> None:
    """pytest-base-url's own autouse check asks for base_url, and so for the live server, in
    every test: that would make every database test transactional (flushed after each, so
    the role groups from the migrations vanish). There is no remote URL to verify."""


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # Ours rather than pytest-playwright's (whose session fixture on a class pytest 9
    # deprecates): pages are opened relative to the live server.
    return str(live_server.url)


@pytest.fixture(scope="session")
def allow_orm_beside_playwright() -> Iterator[None]:
    """Browser test modules use this (pytestmark usefixtures). Playwright's sync API keeps
    an event loop running in the main thread from its first use to the end of the session;
    Django would refuse every database call made beside it (the test's, the live server's
    flush, and any test that runs later) otherwise."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
