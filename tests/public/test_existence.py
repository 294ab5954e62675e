"""Nothing tells a reader that something they may not see exists: a place, subject or
collection only hidden testimonies use, a testimony they could never see, a file they may
not have. Each is answered exactly as what never existed is: the same status, the same
bytes, after the same database queries (so not even the time taken differs)."""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.accounts import services as accounts
from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from archive.testimonies.models import (
    Collection,
    MediaAsset,
    Place,
    Subject,
    Testimony,
)
from tests.conftest import client_for
from tests.factories import (
    make_live_testimony,
    make_user,
)
from tests.kinds import KINDS, build_archive_of_every_kind
from tests.public.test_leak_matrix import same_page

pytestmark = pytest.mark.django_db

READERS = ["anonymous", "approved_researcher"]
# The kinds (tests/kinds.py) whose vocabulary each reader may know of: those of the
# testimonies they may see; all else is hidden, and so are their recordings, and those of
# the testimonies whose audio only researchers may hear.
SHOWN = {
    "anonymous": {
        "public",
        "pseudonym",
        "full_name_without_consent",
        "transcript_for_researchers",
        "audio_for_researchers",
    }
}
SHOWN["approved_researcher"] = SHOWN["anonymous"] | {"researchers_only"}
HIDDEN = {persona: set(KINDS) - shown for persona, shown in SHOWN.items()}
FILES_HIDDEN = {
    "anonymous": HIDDEN["anonymous"] | {"audio_for_researchers"},
    "approved_researcher": HIDDEN["approved_researcher"],
}
FIELDS = ["place_id", "subject_id", "collection_id"]
NEVER_ID = 987654
NEVER_REFERENCE = "TA-1999-9999"


@dataclass
class ExistenceArchive:
    testimonies: dict[str, Testimony]
    vocabulary: dict[str, dict[str, Place | Subject | Collection]]
    files: dict[str, MediaAsset]


EARLY_RESEARCHER = "eva.early"


def _approve(user: User, archivist: User) -> None:
    access_request = accounts.request_access(
        actor=user,
        affiliation="Yerevan State University",
        purpose="Oral history.",
        accepted_terms=True,
    )
    accounts.approve_access(access_request, actor=archivist)


@pytest.fixture
def early_researcher(archive: ExistenceArchive) -> User:
    """Approved (by an access request) before the withdrawn testimonies were published."""
    return User.objects.get(username=EARLY_RESEARCHER)


@pytest.fixture
def late_researcher(archive: ExistenceArchive) -> User:
    """Approved (by an access request) only after they were withdrawn. (The module's
    approved_researcher, granted the permission by hand, also joined after.)"""
    user = make_user(username="lev.late")
    _approve(user, make_user(role=Role.ARCHIVIST))
    return user


def _build() -> ExistenceArchive:
    """The archive of every kind; then testimonies published and withdrawn after a
    researcher's access began, who could once see each."""
    every_kind = build_archive_of_every_kind()
    moderator, archivist = make_user(role=Role.MODERATOR), make_user(role=Role.ARCHIVIST)
    testimonies = dict(every_kind.testimonies)
    vocabulary: dict[str, dict[str, Place | Subject | Collection]] = {
        "place_id": dict(every_kind.places),
        "subject_id": dict(every_kind.subjects),
        "collection_id": dict(every_kind.collections),
    }
    # A researcher whose access was in force while the next ones could be seen.
    _approve(make_user(username=EARLY_RESEARCHER), archivist)
    # Published, then withdrawn: who could once see each?
    for kind, level in [
        ("withdrawn_public", "public"),
        ("withdrawn_researchers", "researchers"),
        ("withdrawn_staff", "staff"),
        ("erased_researchers", "researchers"),
    ]:
        testimony = make_live_testimony(title=f"The {kind} one", access_level=level)
        if kind.startswith("erased"):
            record = testimony.consent_records.get()
            withdraw_consent(record, actor=archivist, scope="erase")
        else:
            services.withdraw(testimony, actor=moderator, reason="Taken down.")
        testimonies[kind] = testimony
    for testimony in testimonies.values():
        testimony.refresh_from_db()
    return ExistenceArchive(
        testimonies=testimonies, vocabulary=vocabulary, files=dict(every_kind.recordings)
    )


def module_storages(location: Path) -> dict[str, Any]:
    return {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="module")
def archive(
    django_db_setup: Any, django_db_blocker: Any, module_index_dir: Path, tmp_path_factory: Any
) -> Iterator[ExistenceArchive]:
    # Named as the search tests' archive, so that the browse pages and the search read the
    # index it was built into (tests/public/conftest.py).
    storages = module_storages(tmp_path_factory.getbasetemp() / "existence-media")
    with (
        override_settings(SEARCH_INDEX_DIR=module_index_dir, STORAGES=storages),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield _build()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def private_storage(settings: Any, tmp_path_factory: Any) -> Path:
    """The files of the module's archive, rather than a storage of each test's own."""
    location: Path = tmp_path_factory.getbasetemp() / "existence-media"
    settings.STORAGES = module_storages(location)
    return location


@pytest.fixture(autouse=True)
def generous_rate_limits(settings: Any) -> None:
    settings.API_RATE_LIMIT_PER_IP = 100_000
    settings.API_RATE_LIMIT_PER_TOKEN = 100_000


def name_of(entry: Place | Subject | Collection) -> str:
    if isinstance(entry, Place):
        return entry.name
    if isinstance(entry, Subject):
        return entry.label
    return entry.title


def as_if_never(text: str, field: str, value: int) -> str:
    """The page for `value` as it would read had the reader chosen NEVER_ID instead: the
    chosen value is echoed in the search form and its links."""
    text = text.replace(f'name="{field}" value="{value}"', f'name="{field}" value="{NEVER_ID}"')
    return text.replace(f"{field}={value}", f"{field}={NEVER_ID}")


# 4. A chosen place, subject or collection is named only if the reader may find it used.


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("persona", READERS)
def test_the_search_page_names_a_chosen_id_only_if_the_reader_may_find_it_used(
    archive: ExistenceArchive, client_of: Callable[[str], Client], persona: str, field: str
) -> None:
    client = client_of(persona)
    client.get(reverse("search"), {field: NEVER_ID})
    never, never_queries = answer(client, f"{reverse('search')}?{field}={NEVER_ID}")
    for kind, entry in archive.vocabulary[field].items():
        response, queries = answer(client, f"{reverse('search')}?{field}={entry.pk}")
        html = response.content.decode()
        assert response.status_code == never.status_code == 200
        if kind in HIDDEN[persona]:
            assert name_of(entry) not in html, kind
            assert same_page(as_if_never(html, field, entry.pk), never.content.decode()), kind
            assert settled_queries(queries, "", "") == settled_queries(never_queries, "", "")
        else:
            assert name_of(entry) in html, kind


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("persona", READERS)
def test_the_api_search_names_a_chosen_id_only_if_the_caller_may_find_it_used(
    archive: ExistenceArchive, client_of: Callable[[str], Client], persona: str, field: str
) -> None:
    client = client_of(persona)
    never = client.get("/api/testimonies/", {field: NEVER_ID})
    for kind, entry in archive.vocabulary[field].items():
        # Chosen with one the caller may see, and alone.
        visible = archive.vocabulary[field]["public"].pk
        for chosen in ([entry.pk], [entry.pk, visible]):
            response = client.get("/api/testimonies/", {field: chosen})
            text = response.content.decode()
            assert response.status_code == never.status_code == 200
            if kind in HIDDEN[persona]:
                assert name_of(entry) not in text, kind
                [facet] = [
                    v for v in json.loads(text)["facets"][field] if str(entry.pk) == v["value"]
                ] or [None]
                assert facet is None, kind
            else:
                assert name_of(entry) in text, kind
        alone = client.get("/api/testimonies/", {field: entry.pk})
        if kind in HIDDEN[persona]:
            assert json.loads(alone.content) == json.loads(never.content), kind


@pytest.mark.parametrize("persona", READERS)
def test_the_browse_pages_and_api_vocabularies_never_name_what_only_hidden_testimonies_use(
    archive: ExistenceArchive, client_of: Callable[[str], Client], persona: str
) -> None:
    client = client_of(persona)
    pages = [
        client.get(url).content.decode()
        for url in [
            reverse("places"),
            reverse("subjects"),
            reverse("collections"),
            reverse("home"),
            "/api/places/",
            "/api/subjects/",
            "/api/collections/",
        ]
    ]
    for field, entries in archive.vocabulary.items():
        for kind, entry in entries.items():
            shown = any(name_of(entry) in page for page in pages)
            assert shown == (kind not in HIDDEN[persona]), (field, kind)
    vocabularies = {"place_id": "places", "subject_id": "subjects", "collection_id": "collections"}
    for field, entries in archive.vocabulary.items():
        never = client.get(f"/api/{vocabularies[field]}/{NEVER_ID}")
        for kind in HIDDEN[persona]:
            response = client.get(f"/api/{vocabularies[field]}/{entries[kind].pk}")
            assert response.status_code == never.status_code == 404
            assert response.content == never.content


# 5. A tombstone only for an audience that could once see the testimony.

# A researchers-only testimony only for a researcher whose own access was in force while
# it could be seen: not one approved after it was withdrawn, whose 410 would tell that a
# testimony they never could see existed, where a made-up reference gets 404.
EVERY_READER = {
    "anonymous",
    "approved_researcher",
    "early_researcher",
    "late_researcher",
    "curator",
}
TOMBSTONE_FOR = {
    "withdrawn": EVERY_READER,
    "erased": EVERY_READER,
    "withdrawn_public": EVERY_READER,
    "withdrawn_researchers": {"early_researcher", "curator"},
    "erased_researchers": {"early_researcher", "curator"},
    "withdrawn_staff": {"curator"},
}
TOMBSTONE_READERS = ["anonymous", "approved_researcher", "early_researcher", "late_researcher"]


@pytest.mark.parametrize("persona", [*TOMBSTONE_READERS, "curator"])
@pytest.mark.parametrize("kind", sorted(TOMBSTONE_FOR))
def test_it_shows_a_tombstone_only_to_those_who_could_once_see_the_testimony(
    archive: ExistenceArchive, client_of: Callable[[str], Client], kind: str, persona: str
) -> None:
    client = client_of(persona)
    testimony = archive.testimonies[kind]
    page = client.get(reverse("testimony", args=[testimony.reference]))
    never_page = client.get(reverse("testimony", args=[NEVER_REFERENCE]))
    api = client.get(f"/api/testimonies/{testimony.reference}")
    never_api = client.get(f"/api/testimonies/{NEVER_REFERENCE}")
    concern = client.get(reverse("concern", args=[testimony.reference]))
    if persona in TOMBSTONE_FOR[kind]:
        assert page.status_code == 410
        assert testimony.reference in page.content.decode()
        assert concern.status_code == 200
        # Staff read a withdrawn testimony whole through the API (they count as researchers
        # there): only those below staff are told it is gone.
        if persona != "curator":
            assert api.status_code == 410
            assert json.loads(api.content)["reference"] == testimony.reference
    else:
        assert page.status_code == never_page.status_code == 404
        assert same_page(page.content.decode(), never_page.content.decode())
        assert concern.status_code == 404
        assert api.status_code == never_api.status_code == 404
        assert api.content == never_api.content


def test_it_remembers_when_researchers_could_first_see_a_testimony(
    archive: ExistenceArchive,
) -> None:
    stored = {
        kind: archive.testimonies[kind].stored_disclosure
        for kind in ["public", "researchers_only", "staff_only", "withdrawn_researchers"]
    }
    assert stored["public"].researchers_since is not None
    assert stored["public"].public_since is not None
    assert stored["researchers_only"].researchers_since is not None
    assert stored["researchers_only"].public_since is None
    assert stored["staff_only"].researchers_since is None
    # Kept when it is withdrawn, as public_since is.
    assert stored["withdrawn_researchers"].researchers_since is not None


# 7. A hidden reference, id or slug costs what one that does not exist costs.


def settled_queries(queries: list[str], replaced: str, by: str) -> list[str]:
    """The queries as they would read for `by` instead of `replaced`, with every number
    and time left out (a count, an id, the time an access request is checked against)."""
    settled = []
    for sql in queries:
        sql = sql.replace(replaced, by)
        sql = re.sub(r"'\d{4}-\d\d-\d\d[ T][\d:.]+(\+00:00)?'", "'<time>'", sql)
        settled.append(re.sub(r"\b\d+\b", "<n>", sql))
    return settled


def answer(client: Client, url: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [query["sql"] for query in captured.captured_queries]


def hidden_references(archive: ExistenceArchive, persona: str) -> list[str]:
    reader = "anonymous" if persona == "anonymous" else "approved_researcher"
    # Withdrawn and erased after publication: a tombstone for all.
    hidden = HIDDEN[reader] - {"withdrawn", "erased"}
    hidden |= {kind for kind, shown in TOMBSTONE_FOR.items() if persona not in shown}
    return [archive.testimonies[kind].reference for kind in sorted(hidden)]


URLS_BY_REFERENCE: list[Callable[[str], str]] = [
    lambda reference: reverse("testimony", args=[reference]),
    lambda reference: reverse("concern", args=[reference]),
    lambda reference: f"/api/testimonies/{reference}",
]


@pytest.mark.parametrize("persona", TOMBSTONE_READERS)
@pytest.mark.parametrize("url_of", URLS_BY_REFERENCE, ids=["page", "concern", "api"])
def test_a_hidden_reference_takes_the_same_queries_and_answer_as_a_missing_one(
    archive: ExistenceArchive,
    client_of: Callable[[str], Client],
    persona: str,
    url_of: Callable[[str], str],
) -> None:
    client = client_of(persona)
    client.get(url_of(NEVER_REFERENCE))  # sessions and caches settle first
    never, never_queries = answer(client, url_of(NEVER_REFERENCE))
    assert never.status_code == 404
    for reference in hidden_references(archive, persona):
        response, queries = answer(client, url_of(reference))
        assert response.status_code == 404, reference
        assert same_page(response.content.decode(), never.content.decode()), reference
        assert settled_queries(queries, reference, NEVER_REFERENCE) == settled_queries(
            never_queries, reference, NEVER_REFERENCE
        ), reference


@pytest.mark.parametrize("persona", READERS)
def test_a_file_the_reader_may_not_have_takes_the_same_queries_and_answer_as_a_missing_one(
    archive: ExistenceArchive, client_of: Callable[[str], Client], persona: str
) -> None:
    client = client_of(persona)
    url = reverse("media_file", args=[NEVER_ID])
    client.get(url)
    never, never_queries = answer(client, url)
    assert never.status_code == 404
    for kind in sorted(FILES_HIDDEN[persona]):
        asset = archive.files[kind]
        response, queries = answer(client, reverse("media_file", args=[asset.pk]))
        assert response.status_code == 404, kind
        assert same_page(response.content.decode(), never.content.decode()), kind
        assert settled_queries(queries, "", "") == settled_queries(never_queries, "", ""), kind
    shown = client.get(reverse("media_file", args=[archive.files["public"].pk]))
    assert shown.status_code == 200
    assert shown.getvalue()  # read to its end, which closes the file


@pytest.mark.parametrize("persona", READERS)
def test_a_hidden_collection_page_takes_the_same_queries_and_answer_as_a_missing_one(
    archive: ExistenceArchive, client_of: Callable[[str], Client], persona: str
) -> None:
    client = client_of(persona)
    url = reverse("collection", args=["no-such-collection"])
    client.get(url)
    never, never_queries = answer(client, url)
    assert never.status_code == 404
    for kind in sorted(HIDDEN[persona]):
        slug = archive.vocabulary["collection_id"][kind].slug  # type: ignore[union-attr]
        response, queries = answer(client, reverse("collection", args=[slug]))
        assert response.status_code == 404, kind
        assert same_page(response.content.decode(), never.content.decode()), kind
        assert settled_queries(queries, slug, "no-such-collection") == settled_queries(
            never_queries, slug, "no-such-collection"
        ), kind
    shown_slug = archive.vocabulary["collection_id"]["public"].slug  # type: ignore[union-attr]
    shown = client.get(reverse("collection", args=[shown_slug]))
    assert shown.status_code == 200


def test_a_researcher_whose_access_had_ended_before_a_testimony_was_shown_is_not_told_of_it() -> (
    None
):
    archivist = make_user(role=Role.ARCHIVIST)
    reader = make_user(username="ora.returning")
    first = accounts.request_access(
        actor=reader,
        affiliation="Yerevan State University",
        purpose="Oral history.",
        accepted_terms=True,
    )
    accounts.approve_access(first, actor=archivist)
    accounts.revoke_access(first, actor=archivist, reason="Project over.")
    # Shown to researchers and withdrawn while this reader had no access; approved again.
    testimony = make_live_testimony(title="While away", access_level="researchers")
    services.withdraw(testimony, actor=make_user(role=Role.MODERATOR), reason="Taken down.")
    _approve(reader, archivist)

    client = client_for(User.objects.get(pk=reader.pk))
    for url_of in URLS_BY_REFERENCE:
        hidden, never = client.get(url_of(testimony.reference)), client.get(url_of(NEVER_REFERENCE))
        assert hidden.status_code == never.status_code == 404
    # Still a researcher: a researchers-only testimony shown now is there for them.
    shown = make_live_testimony(title="Now", access_level="researchers")
    assert client.get(reverse("testimony", args=[shown.reference])).status_code == 200
