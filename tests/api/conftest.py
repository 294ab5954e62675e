"""The API tests' archive of every kind of testimony (tests/kinds.py), built for each test,
and the personas who call the API by token."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from archive.accounts.models import User
from archive.api.models import ApiToken
from archive.api.tokens import create_token, revoke_token
from tests.conftest import end_research_access, grant_research_access
from tests.factories import make_user
from tests.kinds import ArchiveOfEveryKind, build_archive_of_every_kind


@pytest.fixture
def archive(db: None) -> ArchiveOfEveryKind:
    return build_archive_of_every_kind()


@pytest.fixture
def generous_rate_limits(settings: Any) -> None:
    """Tests that make hundreds of requests from one address are not rate-limited."""
    settings.API_RATE_LIMIT_PER_IP = 100_000
    settings.API_RATE_LIMIT_PER_TOKEN = 100_000


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Every test starts with empty request counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


def token_client(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


# Every way of calling the API, and whether it sees what approved researchers see (True),
# what the public sees (False), or is refused (None). Each is a fixture (the token holders
# below, the others in tests/conftest.py) that tests/conftest.py's client_of turns into a client.
PERSONAS: dict[str, bool | None] = {
    "anonymous": False,
    "researcher": False,
    "approved_researcher": True,
    "moderator": True,
    "token_of_researcher": False,
    "token_of_approved_researcher": True,
    "token_of_researcher_whose_approval_ended": False,
    "token_of_deactivated_researcher": None,
    "revoked_token": None,
    "expired_token": None,
}


def token_of(user: User, name: str) -> tuple[ApiToken, str]:
    return create_token(actor=user, name=name, valid_days=30)


@pytest.fixture
def token_of_researcher(db: None) -> Client:
    _, raw = token_of(make_user(), "token_of_researcher")
    return token_client(raw)


@pytest.fixture
def token_of_approved_researcher(db: None) -> Client:
    _, raw = token_of(grant_research_access(make_user()), "token_of_approved_researcher")
    return token_client(raw)


@pytest.fixture
def token_of_researcher_whose_approval_ended(db: None) -> Client:
    user = grant_research_access(make_user())
    _, raw = token_of(user, "token_of_researcher_whose_approval_ended")
    end_research_access(user)
    return token_client(raw)


@pytest.fixture
def token_of_deactivated_researcher(db: None) -> Client:
    user = grant_research_access(make_user())
    _, raw = token_of(user, "token_of_deactivated_researcher")
    User.objects.filter(pk=user.pk).update(is_active=False)
    return token_client(raw)


@pytest.fixture
def revoked_token(db: None) -> Client:
    user = grant_research_access(make_user())
    token, raw = token_of(user, "revoked_token")
    revoke_token(token, actor=user)
    return token_client(raw)


@pytest.fixture
def expired_token(db: None) -> Client:
    token, raw = token_of(grant_research_access(make_user()), "expired_token")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    return token_client(raw)
