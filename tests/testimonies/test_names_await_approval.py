"""Migration testimonies.0004: a testimony approved before the name shown was frozen in its
revision waits, "published, changes pending", for a new approval; meanwhile outsiders see
"Narrator N"."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import StateApps

from archive.accounts.audience import Audience
from archive.audit.models import AuditEntry
from archive.consent.policy import disclosed_content
from archive.publishing.models import Revision
from archive.testimonies.models import Narrator, Testimony
from tests.factories import make_live_testimony, make_narrator

pytestmark = pytest.mark.django_db

migration = importlib.import_module("archive.testimonies.migrations.0004_names_await_approval")


def models_at_the_migration() -> StateApps:
    """The models as they were when the migration ran (the audit log was the publishing
    app's then)."""
    loader = MigrationLoader(connection)
    return loader.project_state(("testimonies", "0004_names_await_approval")).apps


def approved_before_names_were_frozen(narrator: Narrator) -> Testimony:
    testimony = make_live_testimony(narrator=narrator)
    assert testimony.live_revision is not None
    old = dict(testimony.live_revision.content)
    del old["narrator"]
    revision = Revision.objects.create(testimony=testimony, number=9, content=old)
    Testimony.objects.filter(pk=testimony.pk).update(live_revision=revision)
    return Testimony.objects.get(pk=testimony.pk)


def test_it_shows_no_name_and_asks_for_a_new_approval():
    named = approved_before_names_were_frozen(
        make_narrator(given_name="Lusine", family_name="Sargsyan", attribution="full_name")
    )
    anonymous = approved_before_names_were_frozen(make_narrator())
    content = disclosed_content(named, Audience.PUBLIC)
    assert content is not None
    assert content["narrator_name"] == f"Narrator {named.narrator_id}"

    migration.mark_changes_pending(models_at_the_migration(), None)

    named.refresh_from_db()
    assert named.status == Testimony.Status.DRAFT
    assert named.live_revision is not None
    assert AuditEntry.objects.filter(
        action="publishing.changes_pending", testimony_id=named.pk
    ).exists()
    assert Testimony.objects.get(pk=anonymous.pk).status == Testimony.Status.PUBLISHED
