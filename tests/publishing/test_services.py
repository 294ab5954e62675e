"""The publishing workflow through its services: who may take each step, four eyes,
live and draft, withdrawal, audit entries and e-mail."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.consent.policy import disclosed_content
from archive.lib.errors import ImmutableError, WorkflowError
from archive.publishing import services
from archive.publishing.models import Review
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony, Transcript
from tests.factories import (
    make_live_testimony,
    make_narrator,
    make_testimony,
    make_user,
    make_verified_consent,
)

pytestmark = pytest.mark.django_db
Status = Testimony.Status


def consented_draft(**fields) -> Testimony:
    fields.setdefault("access_level", "public")
    testimony = make_testimony(**fields)
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    return testimony


def actions_in_log(testimony: Testimony) -> list[str]:
    return list(
        AuditEntry.objects.filter(testimony_id=testimony.pk)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


def public_title(testimony: Testimony) -> str | None:
    testimony = Testimony.objects.get(pk=testimony.pk)
    content = disclosed_content(testimony, Audience.PUBLIC)
    return content["title"] if content else None


# Who may take each step: every persona against every transition.

PERSONAS = ["contributor", "moderator", "archivist", "researcher"]
MAY_SUBMIT = {"contributor", "moderator", "archivist"}
MAY_DECIDE = {"moderator", "archivist"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_staff_who_edit_submit(request, persona):
    actor = request.getfixturevalue(persona)
    testimony = consented_draft()
    if persona in MAY_SUBMIT:
        review = services.submit_for_review(testimony, actor=actor)
        assert review.revision.content["title"] == testimony.title
        assert Testimony.objects.get(pk=testimony.pk).status == Status.IN_REVIEW
    else:
        with pytest.raises(WorkflowError, match="You may not edit testimonies."):
            services.submit_for_review(testimony, actor=actor)
        assert Testimony.objects.get(pk=testimony.pk).status == Status.DRAFT


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_moderators_and_archivists_approve(request, persona):
    actor = request.getfixturevalue(persona)
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    if persona in MAY_DECIDE:
        services.approve(review, actor=actor)
        assert Testimony.objects.get(pk=testimony.pk).status == Status.PUBLISHED
    else:
        with pytest.raises(WorkflowError, match="You may not publish testimonies."):
            services.approve(review, actor=actor)
        assert Testimony.objects.get(pk=testimony.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_moderators_and_archivists_request_changes(request, persona):
    actor = request.getfixturevalue(persona)
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    if persona in MAY_DECIDE:
        services.request_changes(review, actor=actor, comment="Check the date.")
        assert Testimony.objects.get(pk=testimony.pk).status == Status.CHANGES_REQUESTED
    else:
        with pytest.raises(WorkflowError, match="You may not review testimonies."):
            services.request_changes(review, actor=actor, comment="Check the date.")


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lets_only_moderators_and_archivists_withdraw_and_republish(request, persona):
    actor = request.getfixturevalue(persona)
    testimony = make_live_testimony()
    if persona in MAY_DECIDE:
        services.withdraw(testimony, actor=actor, reason="Family asked us to check.")
        assert Testimony.objects.get(pk=testimony.pk).status == Status.WITHDRAWN
        services.republish(testimony, actor=actor)
        assert Testimony.objects.get(pk=testimony.pk).status == Status.IN_REVIEW
    else:
        with pytest.raises(WorkflowError, match="You may not withdraw testimonies."):
            services.withdraw(testimony, actor=actor, reason="No.")
        assert Testimony.objects.get(pk=testimony.pk).status == Status.PUBLISHED


def test_it_refuses_an_anonymous_actor_every_step():
    testimony = consented_draft()
    with pytest.raises(WorkflowError):
        # What a typed caller cannot pass, the service still refuses.
        services.submit_for_review(testimony, actor=AnonymousUser())  # type: ignore[arg-type]


# Four eyes.


@pytest.mark.parametrize("persona", ["moderator", "archivist", "superuser"])
def test_it_refuses_to_let_anyone_approve_their_own_submission(request, persona):
    actor = request.getfixturevalue(persona)
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=actor)
    with pytest.raises(WorkflowError, match="Nobody may review their own submission"):
        services.approve(review, actor=actor)
    with pytest.raises(WorkflowError, match="Nobody may review their own submission"):
        services.request_changes(review, actor=actor, comment="Fine by me.")
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.PENDING


def test_it_holds_four_eyes_in_the_database_too(moderator):
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=moderator)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.filter(pk=review.pk).update(decided_by=moderator)


def test_it_does_not_let_a_republisher_approve_what_they_brought_back(moderator):
    testimony = make_live_testimony()
    services.withdraw(testimony, actor=moderator, reason="Checking a date.")
    review = services.republish(testimony, actor=moderator)
    with pytest.raises(WorkflowError, match="own submission"):
        services.approve(review, actor=moderator)


# Approval re-checks consent at that moment.


def test_it_refuses_to_publish_without_verified_consent(contributor, moderator):
    testimony = make_testimony(access_level="public")
    review = services.submit_for_review(testimony, actor=contributor)
    with pytest.raises(
        WorkflowError,
        match="cannot be published: no verified consent covers this testimony",
    ):
        services.approve(review, actor=moderator)
    assert Testimony.objects.get(pk=testimony.pk).live_revision is None


def test_it_re_checks_consent_at_the_moment_of_approval(contributor, moderator, archivist):
    from archive.publishing.consent_changes import record_consent

    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=contributor)
    # The narrator sends a new form refusing everything: it restricts at once.
    record_consent(
        actor=archivist,
        narrator=testimony.narrator,
        testimonies=[testimony],
        given_on="2026-11-01",
        method="electronic",
    )
    with pytest.raises(WorkflowError, match="cannot be published: no consent to archive"):
        services.approve(review, actor=moderator)


def test_it_cancels_the_pending_review_when_consent_is_withdrawn(contributor, archivist):
    from archive.publishing.consent_changes import withdraw_consent

    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=contributor)
    withdraw_consent(testimony.consent_records.get(), actor=archivist, scope="restrict")
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.CANCELLED
    assert Testimony.objects.get(pk=testimony.pk).status == Status.WITHDRAWN


def test_it_tells_a_second_moderator_that_the_review_was_already_decided(contributor):
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=contributor)
    first, second = make_user(role=Role.MODERATOR), make_user(role=Role.MODERATOR)
    services.approve(review, actor=first)
    with pytest.raises(WorkflowError, match="already decided"):
        services.approve(review, actor=second)


def test_it_requires_a_comment_to_request_changes(contributor, moderator):
    review = services.submit_for_review(consented_draft(), actor=contributor)
    with pytest.raises(WorkflowError, match="a comment is required"):
        services.request_changes(review, actor=moderator, comment="  ")


def test_it_requires_a_reason_to_withdraw(moderator):
    testimony = make_live_testimony()
    with pytest.raises(WorkflowError, match="Give the reason"):
        services.withdraw(testimony, actor=moderator, reason="")
    assert Testimony.objects.get(pk=testimony.pk).status == Status.PUBLISHED


def test_it_refuses_to_submit_without_an_original_transcript(contributor):
    testimony = consented_draft(transcript=None)
    with pytest.raises(WorkflowError, match="add at least one transcript"):
        services.submit_for_review(testimony, actor=contributor)


# Live and draft.


def test_it_publishes_exactly_the_reviewed_revision(contributor, moderator):
    testimony = consented_draft(title="First title")
    review = services.submit_for_review(testimony, actor=contributor)
    Testimony.objects.filter(pk=testimony.pk).update(title="Edited during review")
    services.approve(review, actor=moderator)
    testimony.refresh_from_db()
    assert public_title(testimony) == "First title"
    assert testimony.live_revision == review.revision
    # The edit made during review is still pending.
    assert testimony.status == Status.DRAFT


def test_it_keeps_the_public_on_the_approved_version_until_a_new_one_is_approved(
    contributor, moderator
):
    testimony = make_live_testimony(title="Approved title", transcript="Approved text.")
    testimony.title = "Unreviewed title"
    testimony.save()
    Transcript.objects.filter(testimony=testimony).update(text="Unreviewed text.")
    services.record_edit(testimony, actor=contributor, fields=["title"])
    testimony.refresh_from_db()
    assert testimony.status == Status.DRAFT
    assert public_title(testimony) == "Approved title"
    content = disclosed_content(testimony, Audience.PUBLIC)
    assert content is not None
    assert content["transcripts"][0]["text"] == "Approved text."

    review = services.submit_for_review(testimony, actor=contributor)
    assert public_title(testimony) == "Approved title"
    services.approve(review, actor=moderator)
    assert public_title(testimony) == "Unreviewed title"
    assert Testimony.objects.get(pk=testimony.pk).status == Status.PUBLISHED


def test_it_refuses_to_submit_when_nothing_changed_since_publication(contributor):
    testimony = make_live_testimony()
    Testimony.objects.filter(pk=testimony.pk).update(status=Status.DRAFT)
    testimony.refresh_from_db()
    with pytest.raises(WorkflowError, match="Nothing has changed"):
        services.submit_for_review(testimony, actor=contributor)


def test_it_keeps_revisions_immutable():
    testimony = make_live_testimony()
    revision = testimony.live_revision
    assert revision is not None
    revision.content = {"title": "Rewritten history"}
    with pytest.raises(ImmutableError):
        revision.save()


def test_it_takes_a_withdrawn_testimony_off_every_list_at_once(moderator, researcher):
    testimony = make_live_testimony()
    assert Testimony.objects.visible_to(AnonymousUser()).filter(pk=testimony.pk).exists()
    services.withdraw(testimony, actor=moderator, reason="Narrator's family asked.")
    assert not Testimony.objects.visible_to(AnonymousUser()).filter(pk=testimony.pk).exists()
    assert not Testimony.objects.visible_to(researcher).filter(pk=testimony.pk).exists()
    assert Testimony.objects.visible_to(moderator).filter(pk=testimony.pk).exists()
    assert public_title(testimony) is None


# The audit log.


def test_it_logs_every_transition_with_actor_and_revision(contributor, moderator):
    testimony = consented_draft()
    review = services.submit_for_review(testimony, actor=contributor)
    services.request_changes(review, actor=moderator, comment="Add the place.")
    Testimony.objects.filter(pk=testimony.pk).update(title="With the place")
    review = services.submit_for_review(testimony, actor=contributor)
    services.approve(review, actor=moderator)
    services.withdraw(testimony, actor=moderator, reason="Checking.")
    services.republish(testimony, actor=moderator)
    assert actions_in_log(testimony) == [
        "publishing.submit",
        "publishing.request_changes",
        "publishing.submit",
        "publishing.approve",
        "publishing.withdraw",
        "publishing.republish",
    ]
    approval = AuditEntry.objects.get(testimony_id=testimony.pk, action="publishing.approve")
    assert approval.actor == moderator
    assert approval.revision == review.revision
    assert approval.object_repr == testimony.reference


def test_it_never_lets_anyone_change_or_delete_the_log(moderator):
    make_live_testimony()
    entry = AuditEntry.objects.first()
    assert entry is not None
    entry.action = "nothing.happened"
    with pytest.raises(ImmutableError):
        entry.save()
    with pytest.raises(ImmutableError):
        entry.delete()
    with pytest.raises(ImmutableError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ImmutableError):
        AuditEntry.objects.update(action="nothing.happened")


# E-mail.


def test_it_emails_the_moderators_on_submission_and_the_submitter_on_decision(
    mailoutbox, django_capture_on_commit_callbacks
):
    contributor = make_user(role=Role.CONTRIBUTOR, email="carine@example.org")
    moderator = make_user(role=Role.MODERATOR, email="mher@example.org")
    archivist = make_user(role=Role.ARCHIVIST, email="ani@example.org")
    testimony = consented_draft()
    with django_capture_on_commit_callbacks(execute=True):
        review = services.submit_for_review(testimony, actor=contributor)
    assert len(mailoutbox) == 1
    assert {"mher@example.org", "ani@example.org"} <= set(mailoutbox[0].to)
    assert "carine@example.org" not in mailoutbox[0].to
    assert testimony.reference in mailoutbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(review, actor=moderator, comment="Spell the village right.")
    assert mailoutbox[1].to == ["carine@example.org"]
    assert "Spell the village right." in mailoutbox[1].body

    Testimony.objects.filter(pk=testimony.pk).update(title="Spelled right")
    with django_capture_on_commit_callbacks(execute=True):
        review = services.submit_for_review(testimony, actor=contributor)
        services.approve(review, actor=archivist)
    assert mailoutbox[-1].to == ["carine@example.org"]
    assert "approved" in mailoutbox[-1].subject


# The pseudonym guard.


def pseudonymous_draft(text: str, **fields) -> Testimony:
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Anahit P.")
    NarratorIdentity.objects.create(
        narrator=narrator,
        given_name="Anahit",
        family_name="Hakobyan",
        name_in_original_script="Անահիտ Հակոբյան",
    )
    return consented_draft(narrator=narrator, transcript=text, **fields)


def test_it_refuses_to_publish_a_pseudonymous_account_that_names_the_narrator(
    contributor, moderator
):
    text = "We left in September.\n\nMy neighbour shouted: Hakobyan, run!\n\nThen silence."
    testimony = pseudonymous_draft(text, title="The last bus")
    review = services.submit_for_review(testimony, actor=contributor)
    with pytest.raises(WorkflowError) as refused:
        services.approve(review, actor=make_user(role=Role.ARCHIVIST))
    assert "appears in the transcript (en), paragraph 2" in refused.value.message
    assert "Hakobyan" not in refused.value.message
    assert Testimony.objects.get(pk=testimony.pk).live_revision is None


def test_it_finds_the_name_in_another_script_and_inflected(contributor, moderator):
    testimony = pseudonymous_draft("Text.", summary="Հակոբյանի ընտանիքը")
    review = services.submit_for_review(testimony, actor=contributor)
    with pytest.raises(WorkflowError, match="appears in the summary"):
        services.approve(review, actor=make_user(role=Role.ARCHIVIST))


def test_it_lets_only_an_archivist_override_the_guard_with_a_reason(contributor, moderator):
    testimony = pseudonymous_draft("Hakobyan Street was shelled.")
    review = services.submit_for_review(testimony, actor=contributor)
    with pytest.raises(WorkflowError, match="Only an archivist may publish despite"):
        services.approve(review, actor=moderator, override_reason="It is a street name.")
    archivist = make_user(role=Role.ARCHIVIST)
    with pytest.raises(WorkflowError, match="an archivist may publish with a written reason"):
        services.approve(review, actor=archivist)
    services.approve(review, actor=archivist, override_reason="It is a street name.")
    entry = AuditEntry.objects.get(action="publishing.pseudonym_guard_override")
    assert entry.actor == archivist
    assert entry.data["reason"] == "It is a street name."
    assert "Hakobyan" not in str(entry.data)


def test_it_does_not_guard_a_narrator_who_chose_to_be_named(contributor, moderator):
    narrator = make_narrator(
        given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
    )
    testimony = consented_draft(narrator=narrator, transcript="I am Vera Petrosyan.")
    services.approve(services.submit_for_review(testimony, actor=contributor), actor=moderator)
    assert Testimony.objects.get(pk=testimony.pk).status == Status.PUBLISHED


def test_an_imported_draft_takes_the_state_its_archive_left_it_in():
    source = make_live_testimony()
    revision = source.live_revision
    assert revision is not None
    imported = make_testimony()
    moment = revision.created_at
    services.restore_imported_state(
        imported,
        state={"status": Status.PUBLISHED, "published_at": moment},
        live_revision=revision,
    )
    imported.refresh_from_db()
    assert (imported.status, imported.live_revision, imported.published_at) == (
        Status.PUBLISHED,
        revision,
        moment,
    )


def test_an_import_moves_only_a_fresh_draft_and_only_its_workflow_fields():
    published = make_live_testimony()
    with pytest.raises(WorkflowError, match="just created"):
        services.restore_imported_state(
            published, state={"status": Status.WITHDRAWN}, live_revision=None
        )
    draft = make_testimony()
    with pytest.raises(WorkflowError, match="cannot set title"):
        services.restore_imported_state(
            draft, state={"status": Status.PUBLISHED, "title": "Other"}, live_revision=None
        )
    assert Testimony.objects.get(pk=published.pk).status == Status.PUBLISHED
    assert Testimony.objects.get(pk=draft.pk).status == Status.DRAFT
