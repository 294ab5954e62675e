"""A researcher's access request from asking to approval, refusal, expiry and revocation:
each step audited, e-mailed, and reflected at once in what the researcher may see."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from archive.accounts import services
from archive.accounts.access import has_research_access
from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import AccessRequest, User
from archive.audit.models import AuditEntry
from archive.lib.errors import WorkflowError
from archive.testimonies.models import Testimony
from tests.accounts.conftest import fresh
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

Status = AccessRequest.Status


def ask(researcher: User, **fields: Any) -> AccessRequest:
    fields.setdefault("affiliation", "Yerevan State University")
    fields.setdefault("purpose", "A study of displacement in oral history.")
    fields.setdefault("accepted_terms", True)
    return services.request_access(actor=researcher, **fields)


def audit_actions(access_request: AccessRequest) -> list[str]:
    return list(
        AuditEntry.objects.for_object(access_request)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


def visible_references(user: User) -> set[str]:
    return set(Testimony.objects.visible_to(user).values_list("reference", flat=True))


def sees_restricted(user: User, testimony: Testimony) -> bool:
    return testimony.reference in visible_references(fresh(user))


def test_it_records_a_request_and_tells_the_researcher_and_the_archivists(
    researcher, archivist, moderator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        access_request = ask(researcher, requested_until=timezone.localdate() + timedelta(30))

    assert access_request.status == Status.PENDING
    assert access_request.terms_accepted_at is not None
    assert audit_actions(access_request) == ["accounts.access_request"]
    entry = AuditEntry.objects.for_object(access_request).get()
    assert entry.actor == researcher
    recipients = {tuple(message.to): message for message in mailoutbox}
    assert (researcher.email,) in recipients
    assert "received" in recipients[(researcher.email,)].subject
    to_decide = recipients[(archivist.email,)]
    assert researcher.username in to_decide.subject
    assert reverse("admin:accounts_accessrequest_change", args=[access_request.pk]) in (
        to_decide.body
    )
    # Moderators do not decide access requests, so they are not asked to.
    assert all(moderator.email not in message.to for message in mailoutbox)


def test_a_pending_request_grants_nothing(researcher, restricted_testimony):
    ask(researcher)

    assert audience_of(fresh(researcher)) == Audience.PUBLIC
    assert not sees_restricted(researcher, restricted_testimony)


def test_it_refuses_a_request_without_accepted_terms(researcher):
    with pytest.raises(WorkflowError, match="terms of use"):
        ask(researcher, accepted_terms=False)

    assert not AccessRequest.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="accounts.access").exists()


def test_it_accepts_one_open_request_at_a_time(researcher):
    ask(researcher)

    with pytest.raises(WorkflowError, match="already have a request"):
        ask(researcher)
    assert AccessRequest.objects.count() == 1


def test_approval_lets_the_researcher_see_researchers_material_at_once(
    researcher,
    archivist,
    restricted_testimony,
    public_testimony,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    access_request = ask(researcher)
    assert not sees_restricted(researcher, restricted_testimony)
    ends = timezone.localdate() + timedelta(days=90)

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_access(
            access_request, actor=archivist, expires_on=ends, comment="Welcome."
        )

    access_request.refresh_from_db()
    assert access_request.status == Status.APPROVED
    assert access_request.decided_by == archivist
    assert access_request.expires_on == ends
    assert audience_of(fresh(researcher)) == Audience.RESEARCHERS
    assert visible_references(fresh(researcher)) >= {
        restricted_testimony.reference,
        public_testimony.reference,
    }
    assert audit_actions(access_request) == ["accounts.access_request", "accounts.access_approve"]
    assert AuditEntry.objects.for_object(access_request).latest("pk").actor == archivist
    (message,) = mailoutbox
    assert message.to == [researcher.email]
    assert "approved" in message.subject
    assert "Welcome." in message.body
    assert ends.strftime("%Y") in message.body


def test_refusal_grants_nothing_and_says_why(
    researcher, archivist, restricted_testimony, mailoutbox, django_capture_on_commit_callbacks
):
    access_request = ask(researcher)

    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_access(access_request, actor=archivist, comment="Purpose unclear.")

    access_request.refresh_from_db()
    assert access_request.status == Status.REFUSED
    assert audience_of(fresh(researcher)) == Audience.PUBLIC
    assert not sees_restricted(researcher, restricted_testimony)
    assert audit_actions(access_request)[-1] == "accounts.access_refuse"
    (message,) = mailoutbox
    assert message.to == [researcher.email]
    assert "refused" in message.subject
    assert "Purpose unclear." in message.body
    # A refused researcher may ask again.
    assert ask(researcher).status == Status.PENDING


def test_access_ends_the_day_after_its_last_day_without_any_job_running(
    researcher, archivist, restricted_testimony
):
    today = timezone.localdate()
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist, expires_on=today)
    assert sees_restricted(researcher, restricted_testimony)  # the last day counts

    assert not has_research_access(fresh(researcher), today=today + timedelta(days=1))
    # The day has passed (the stored end moves back a day instead of the clock moving on).
    AccessRequest.objects.filter(pk=access_request.pk).update(expires_on=today - timedelta(1))

    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.APPROVED
    assert audience_of(fresh(researcher)) == Audience.PUBLIC
    assert not sees_restricted(researcher, restricted_testimony)


def test_the_expiry_command_records_and_announces_each_ended_access_once(
    researcher, archivist, mailoutbox, django_capture_on_commit_callbacks
):
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist)
    yesterday = timezone.localdate() - timedelta(days=1)
    AccessRequest.objects.filter(pk=access_request.pk).update(expires_on=yesterday)
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_access_requests", stdout=out)
        call_command("expire_access_requests", stdout=out)  # idempotent

    access_request.refresh_from_db()
    assert access_request.status == Status.EXPIRED
    assert out.getvalue().count("Expired access request") == 1
    assert audit_actions(access_request)[-1] == "accounts.access_expire"
    assert AuditEntry.objects.for_object(access_request).latest("pk").actor is None
    (message,) = mailoutbox
    assert message.to == [researcher.email]
    assert "ended" in message.subject
    # An expired researcher may ask again.
    assert ask(researcher).status == Status.PENDING


def test_the_expiry_command_changes_nothing_on_a_dry_run(researcher, archivist):
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist)
    AccessRequest.objects.filter(pk=access_request.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    out = StringIO()

    call_command("expire_access_requests", "--dry-run", stdout=out)

    assert "Would expire access request" in out.getvalue()
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.APPROVED


def test_revocation_takes_access_away_at_once(
    researcher, archivist, restricted_testimony, mailoutbox, django_capture_on_commit_callbacks
):
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist)
    assert sees_restricted(researcher, restricted_testimony)

    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_access(access_request, actor=archivist, reason="Terms broken.")

    access_request.refresh_from_db()
    assert access_request.status == Status.REVOKED
    assert access_request.ended_by == archivist
    assert audience_of(fresh(researcher)) == Audience.PUBLIC
    assert not sees_restricted(researcher, restricted_testimony)
    assert audit_actions(access_request)[-1] == "accounts.access_revoke"
    (message,) = mailoutbox
    assert "revoked" in message.subject
    assert "Terms broken." in message.body


def test_revocation_needs_a_reason(researcher, archivist):
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist)

    with pytest.raises(WorkflowError, match="Say why"):
        services.revoke_access(access_request, actor=archivist, reason="  ")
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.APPROVED


@pytest.mark.parametrize("persona", ["researcher", "contributor", "moderator"])
def test_only_those_with_the_decision_permission_decide(request, persona, researcher):
    access_request = ask(make_other_researcher())
    actor = request.getfixturevalue(persona)

    with pytest.raises(WorkflowError, match="may not decide"):
        services.approve_access(access_request, actor=actor)
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.PENDING


def make_other_researcher() -> User:
    from tests.factories import make_user

    return make_user(username="olga.other")


def test_nobody_decides_their_own_request(archivist):
    access_request = ask(archivist)

    with pytest.raises(WorkflowError, match="their own"):
        services.approve_access(access_request, actor=archivist)


def test_a_request_decided_meanwhile_is_not_decided_again(researcher, archivist, superuser):
    access_request = ask(researcher)
    stale = AccessRequest.objects.get(pk=access_request.pk)
    services.refuse_access(access_request, actor=superuser)

    with pytest.raises(WorkflowError, match="changed this request"):
        services.approve_access(stale, actor=archivist)
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.REFUSED
    assert audience_of(fresh(researcher)) == Audience.PUBLIC


def test_the_permission_granted_by_hand_still_makes_a_researcher(researcher):
    from django.contrib.auth.models import Permission

    researcher.user_permissions.add(Permission.objects.get(codename="access_research_material"))

    assert audience_of(fresh(researcher)) == Audience.RESEARCHERS


def test_a_list_of_testimonies_asks_the_database_about_access_once(
    researcher, archivist, django_assert_num_queries
):
    services.approve_access(ask(researcher), actor=archivist)
    user = fresh(researcher)
    audience_of(user)

    with django_assert_num_queries(0):
        for _ in range(5):
            assert audience_of(user) == Audience.RESEARCHERS


def test_an_inactive_researcher_sees_nothing_restricted(researcher, archivist):
    services.approve_access(ask(researcher), actor=archivist)
    User.objects.filter(pk=researcher.pk).update(is_active=False)

    assert audience_of(fresh(researcher)) == Audience.PUBLIC


def test_archivists_approve_in_the_admin(
    researcher, archivist, restricted_testimony, mailoutbox, django_capture_on_commit_callbacks
):
    access_request = ask(researcher)
    client = client_for(archivist)
    page = client.get(reverse("admin:accounts_accessrequest_change", args=[access_request.pk]))
    assert page.status_code == 200
    assert b"Approve access" in page.content
    assert b"Refuse access" in page.content
    ends = timezone.localdate() + timedelta(days=10)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_accessrequest_decide", args=[access_request.pk, "approve"]),
            {"expires_on": ends.isoformat(), "comment": ""},
            follow=True,
        )

    assert b"now has access" in response.content
    access_request.refresh_from_db()
    assert (access_request.status, access_request.expires_on) == (Status.APPROVED, ends)
    assert sees_restricted(researcher, restricted_testimony)
    assert len(mailoutbox) == 1
    assert b"Revoke access" in response.content


def test_the_admin_says_why_a_decision_failed(researcher, archivist):
    access_request = ask(researcher)
    services.approve_access(access_request, actor=archivist)

    response = client_for(archivist).post(
        reverse("admin:accounts_accessrequest_decide", args=[access_request.pk, "revoke"]),
        {"reason": ""},
        follow=True,
    )

    assert b"This field is required" in response.content
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.APPROVED


@pytest.mark.parametrize("persona", ["contributor", "moderator"])
def test_the_requests_stay_out_of_other_staffs_admin(request, persona, researcher):
    access_request = ask(researcher)
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("admin:accounts_accessrequest_changelist")).status_code == 403
    response = client.post(
        reverse("admin:accounts_accessrequest_decide", args=[access_request.pk, "approve"]),
        {"expires_on": ""},
    )
    assert AccessRequest.objects.get(pk=access_request.pk).status == Status.PENDING
    assert response.status_code in (302, 403)
