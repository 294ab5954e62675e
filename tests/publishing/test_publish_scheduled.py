"""Scheduled publication and the end of embargoes, applied by `manage.py publish_scheduled`."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.consent.models import ConsentRecord
from archive.publishing import services
from archive.testimonies.models import Testimony
from tests.factories import make_live_testimony, make_testimony, make_user, make_verified_consent

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("publish_scheduled", *args, stdout=out)
    return out.getvalue()


def publicly_visible(testimony: Testimony) -> bool:
    return Testimony.objects.visible_to(AnonymousUser()).filter(pk=testimony.pk).exists()


def scheduled_testimony(publish_at) -> Testimony:
    testimony = make_testimony(access_level="public")
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    review = services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    services.approve(review, actor=make_user(role=Role.MODERATOR), publish_at=publish_at)
    return Testimony.objects.get(pk=testimony.pk)


def test_it_holds_a_scheduled_testimony_back_until_its_time():
    testimony = scheduled_testimony(timezone.now() + timedelta(days=1))
    assert testimony.status == Testimony.Status.SCHEDULED
    assert testimony.live_revision is None
    assert not publicly_visible(testimony)
    assert run() == ""
    assert not publicly_visible(testimony)


def test_it_publishes_a_scheduled_testimony_once_due_and_only_once():
    testimony = scheduled_testimony(timezone.now() + timedelta(seconds=1))
    Testimony.objects.filter(pk=testimony.pk)  # due after the moment passes:
    from archive.publishing.models import Review

    Review.objects.filter(testimony=testimony).update(publish_at=timezone.now() - timedelta(1))
    assert run("--dry-run") == f"Would publish {testimony.reference}\n"
    assert not publicly_visible(testimony)
    assert run() == f"Published {testimony.reference}\n"
    assert publicly_visible(testimony)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED
    assert run() == ""
    assert AuditEntry.objects.filter(action="publishing.publish_scheduled").count() == 1


def test_it_applies_the_end_of_an_embargo_and_logs_it_once():
    testimony = make_live_testimony(consent={"embargo_until": date.today() + timedelta(days=3)})  # noqa: DTZ011
    assert not publicly_visible(testimony)
    ConsentRecord.objects.filter(testimonies=testimony).update(
        embargo_until=date.today() - timedelta(days=1)  # noqa: DTZ011
    )
    assert "Would lift the embargo" in run("--dry-run")
    assert not publicly_visible(testimony)
    assert "Lifted the embargo" in run()
    assert publicly_visible(testimony)
    assert run() == ""
    assert AuditEntry.objects.filter(action="consent.embargo_ended").count() == 1
