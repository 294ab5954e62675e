"""StoredDisclosure.researchers_since: when approved researchers could first see a
testimony, so that a tombstone is shown to them only if they could (archive/consent/policy.py,
tombstone_shown)."""

import importlib

import pytest
from django.apps import apps

from archive.accounts.roles import Role
from archive.consent.models import StoredDisclosure
from archive.publishing.services import withdraw
from tests.factories import make_live_testimony, make_user

pytestmark = pytest.mark.django_db

backfill = importlib.import_module(
    "archive.consent.migrations.0004_stored_disclosure_researchers_since"
).researchers_since_from_what_is_known


def stored(testimony_id: int) -> StoredDisclosure:
    return StoredDisclosure.objects.get(testimony_id=testimony_id)


def test_it_is_set_once_researchers_may_see_it_and_kept_after_a_withdrawal() -> None:
    researchers = make_live_testimony(access_level="researchers")
    staff = make_live_testimony(access_level="staff")
    first_seen = stored(researchers.pk).researchers_since
    assert first_seen is not None
    assert stored(staff.pk).researchers_since is None

    withdraw(researchers, actor=make_user(role=Role.MODERATOR), reason="Taken down.")

    assert stored(researchers.pk).metadata > 1
    assert stored(researchers.pk).researchers_since == first_seen


def test_the_backfill_dates_only_what_researchers_could_see_by_what_was_kept() -> None:
    public = make_live_testimony()
    researchers = make_live_testimony(access_level="researchers")
    staff = make_live_testimony(access_level="staff")
    withdrawn_public = make_live_testimony()
    withdrawn_researchers = make_live_testimony(access_level="researchers")
    moderator = make_user(role=Role.MODERATOR)
    withdraw(withdrawn_public, actor=moderator, reason="Taken down.")
    withdraw(withdrawn_researchers, actor=moderator, reason="Taken down.")
    StoredDisclosure.objects.update(researchers_since=None)

    backfill(apps, None)

    assert stored(public.pk).researchers_since == stored(public.pk).public_since
    assert stored(researchers.pk).researchers_since == stored(researchers.pk).computed_at
    # Once public, so once the researchers' too.
    assert stored(withdrawn_public.pk).researchers_since == stored(withdrawn_public.pk).public_since
    # What the rows kept cannot tell: no tombstone for researchers rather than a wrong one.
    assert stored(withdrawn_researchers.pk).researchers_since is None
    assert stored(staff.pk).researchers_since is None
