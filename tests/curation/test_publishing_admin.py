"""Moderation as staff do it in the admin: buttons, queue, diff, disclosure, list actions,
and an audit log nobody can edit."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.publishing import services
from archive.publishing.models import Review
from archive.testimonies.models import Narrator, Testimony
from tests.conftest import client_for
from tests.factories import (
    make_live_testimony,
    make_narrator,
    make_testimony,
    make_user,
    make_verified_consent,
)

pytestmark = pytest.mark.django_db


def change_url(testimony: Testimony) -> str:
    return reverse("admin:testimonies_testimony_change", args=[testimony.pk])


def workflow_url(testimony: Testimony, action: str) -> str:
    return reverse("admin:testimonies_testimony_workflow", args=[testimony.pk, action])


def consented_draft(**fields) -> Testimony:
    fields.setdefault("access_level", "public")
    testimony = make_testimony(**fields)
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    return testimony


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_shows_a_contributor_only_the_submit_button(contributor):
    testimony = consented_draft()
    page = client_for(contributor).get(change_url(testimony)).content.decode()
    assert "Submit for review</button>" in page
    assert "Approve and publish</button>" not in page
    assert "Withdraw from publication</button>" not in page


def test_it_submits_through_the_button_and_says_so(contributor):
    testimony = consented_draft()
    response = client_for(contributor).post(
        workflow_url(testimony, "submit"), {"comment": "Ready."}, follow=True
    )
    assert f"{testimony.reference} was submitted for review." in messages_of(response)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.IN_REVIEW
    assert Review.objects.get().submission_comment == "Ready."


def test_it_offers_the_decision_to_another_moderator_but_not_the_submitter():
    submitter, reviewer = make_user(role=Role.MODERATOR), make_user(role=Role.MODERATOR)
    testimony = consented_draft()
    services.submit_for_review(testimony, actor=submitter)
    own = client_for(submitter).get(change_url(testimony)).content.decode()
    assert "Approve and publish</button>" not in own
    other = client_for(reviewer).get(change_url(testimony)).content.decode()
    assert "Approve and publish</button>" in other
    assert "Request changes</button>" in other


def test_it_approves_through_the_button(contributor, moderator):
    testimony = consented_draft()
    services.submit_for_review(testimony, actor=contributor)
    response = client_for(moderator).post(workflow_url(testimony, "approve"), {}, follow=True)
    assert f"{testimony.reference} was approved and is published." in messages_of(response)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED


def test_it_explains_a_refused_step_and_changes_nothing(contributor, moderator):
    testimony = consented_draft()
    services.submit_for_review(testimony, actor=contributor)
    response = client_for(moderator).post(
        workflow_url(testimony, "request_changes"), {"comment": ""}, follow=True
    )
    assert "Say what should change: a comment is required." in messages_of(response)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.IN_REVIEW


def test_it_refuses_a_malformed_publication_date(contributor, moderator):
    testimony = consented_draft()
    services.submit_for_review(testimony, actor=contributor)
    response = client_for(moderator).post(
        workflow_url(testimony, "approve"), {"publish_at": "next tuesday"}, follow=True
    )
    assert "Enter a valid date/time." in messages_of(response)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.IN_REVIEW


def test_it_shows_the_disclosure_plainly(moderator):
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Anahit P.")
    testimony = make_live_testimony(narrator=narrator, consent={"allows_public_audio": False})
    page = client_for(moderator).get(change_url(testimony)).content.decode()
    assert (
        "Transcript: public · Audio: researchers · Video: public · Images: public · "
        "Documents: public · Name: pseudonym ‘Anahit P.’ (public)"
    ) in page
    assert "no consent to publish the audio" in page


def test_it_says_why_publishing_is_blocked(moderator):
    testimony = make_testimony(access_level="public")
    page = client_for(moderator).get(change_url(testimony)).content.decode()
    assert "Publishing is blocked: no verified consent covers this testimony." in page


def test_it_keeps_the_public_version_when_a_published_testimony_is_edited(contributor):
    testimony = make_live_testimony(title="Approved title")
    page = client_for(contributor).get(change_url(testimony))
    form = page.context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "title": "A new title",
        "narrator": testimony.narrator_id,
        "recorded_on": "",
        "transcripts-TOTAL_FORMS": "1",
        "transcripts-INITIAL_FORMS": "1",
        "transcripts-0-id": testimony.transcripts.get().pk,
        "transcripts-0-testimony": testimony.pk,
        "transcripts-0-language": "en",
        "transcripts-0-is_original": "on",
        "transcripts-0-text": "An account.",
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
    }
    data.pop("places", None)
    data.pop("subjects", None)
    response = client_for(contributor).post(change_url(testimony), data)
    assert response.status_code == 302, response.context["errors"]
    testimony.refresh_from_db()
    assert testimony.title == "A new title"
    assert testimony.status == Testimony.Status.DRAFT
    assert testimony.live_revision is not None
    assert testimony.live_revision.content["title"] == "Approved title"
    after = client_for(contributor).get(change_url(testimony)).content.decode()
    assert "Published, changes pending" in after
    assert "-Approved title" in after
    assert "+A new title" in after
    assert "testimonies.edit" in after


def test_it_lists_the_moderation_queue_oldest_first(moderator, contributor):
    first, second = consented_draft(title="Older"), consented_draft(title="Newer")
    services.submit_for_review(first, actor=contributor)
    services.submit_for_review(second, actor=contributor)
    decided = consented_draft(title="Decided")
    services.approve(services.submit_for_review(decided, actor=contributor), actor=moderator)
    client = client_for(moderator)
    queue = reverse("admin:publishing_review_changelist")
    assert client.get(queue)["Location"] == f"{queue}?decision__exact=pending"
    page = client.get(f"{queue}?decision__exact=pending").content.decode()
    assert page.index(first.reference) < page.index(second.reference)
    assert decided.reference not in page


def test_it_reports_per_item_what_a_list_action_did():
    contributor, moderator = make_user(role=Role.CONTRIBUTOR), make_user(role=Role.MODERATOR)
    theirs, own = consented_draft(), consented_draft()
    services.submit_for_review(theirs, actor=contributor)
    services.submit_for_review(own, actor=moderator)
    response = client_for(moderator).post(
        reverse("admin:testimonies_testimony_changelist"),
        {"action": "approve_selected", "_selected_action": [theirs.pk, own.pk]},
        follow=True,
    )
    reported = messages_of(response)
    assert f"{theirs.reference}: approved and published." in reported
    assert any(
        m.startswith(f"{own.reference}: Nobody may review their own submission") for m in reported
    )
    assert Testimony.objects.get(pk=theirs.pk).status == Testimony.Status.PUBLISHED
    assert Testimony.objects.get(pk=own.pk).status == Testimony.Status.IN_REVIEW


def test_it_does_not_offer_contributors_the_approve_action(contributor):
    consented_draft()
    page = client_for(contributor).get(reverse("admin:testimonies_testimony_changelist"))
    assert "approve_selected" not in page.content.decode()
    assert "submit_selected" in page.content.decode()


def test_it_lets_nobody_change_or_delete_audit_entries_not_even_a_superuser(superuser):
    make_live_testimony()
    entry = AuditEntry.objects.first()
    assert entry is not None
    client = client_for(superuser)
    assert client.get(reverse("admin:audit_auditentry_changelist")).status_code == 200
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    change = client.post(reverse("admin:audit_auditentry_change", args=[entry.pk]), {"action": "x"})
    assert change.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk, action=entry.action).exists()


def test_it_offers_no_approve_button_while_publishing_is_blocked(contributor, moderator):
    testimony = make_testimony(access_level="public")
    services.submit_for_review(testimony, actor=contributor)
    page = client_for(moderator).get(change_url(testimony)).content.decode()
    assert "Publishing is blocked: no verified consent covers this testimony." in page
    assert "Approve and publish</button>" not in page
    assert "Request changes</button>" in page
