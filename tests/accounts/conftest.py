from typing import Any

import pytest

from archive.accounts.models import User
from archive.testimonies.models import Testimony
from tests.factories import make_live_testimony


@pytest.fixture
def restricted_testimony(db: None) -> Testimony:
    """A published testimony kept for approved researchers."""
    return make_live_testimony(title="Letters from the blockade", access_level="researchers")


@pytest.fixture
def public_testimony(db: None) -> Testimony:
    return make_live_testimony(title="The road to Goris", access_level="public")


def fresh(user: User) -> User:
    """The user as the next request loads it (no answer cached on the object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def mail_sent(mailoutbox: Any, django_capture_on_commit_callbacks: Any) -> Any:
    return mailoutbox
