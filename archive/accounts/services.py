"""Researcher accounts and access requests: every change of their state.

Each service runs in one transaction, checks permission, moves a request's status with a
conditional UPDATE whose row count is checked (two archivists deciding at once: one wins,
the other gets a clear message), writes an audit entry and sends e-mail after commit.
"""

from datetime import date
from functools import partial
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from archive.accounts import tasks
from archive.accounts.access import forget_research_access
from archive.accounts.emails import (
    notify_requested,
    notify_researcher,
    send_email_confirmation,
    send_sign_up_attempt_notice,
)
from archive.accounts.models import AccessRequest, User
from archive.audit.log import record_audit
from archive.lib.errors import WorkflowError

Status = AccessRequest.Status
DECIDE_PERMISSION = "accounts.decide_accessrequest"


@transaction.atomic
def sign_up(
    *, username: str, email: str, password: str, first_name: str = "", last_name: str = ""
) -> User | None:
    """Create a researcher's account, inactive until they confirm their e-mail address,
    and send the confirmation link. The caller validated the input (forms.SignUpForm).

    An address that already has an account gets no second one: its owner is e-mailed that
    someone tried (None is returned). The page says the same either way, one e-mail goes out
    either way and the password is hashed either way, so that neither the answer nor its
    timing tells a stranger who has an account here."""
    validate_password(password, User(username=username, email=email))
    existing = User.objects.filter(email__iexact=email).order_by("pk").first()
    if existing is None:
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username,
                    email=email,
                    password=password,
                    first_name=first_name,
                    last_name=last_name,
                    is_active=False,
                    awaiting_email_confirmation=True,
                )
        except IntegrityError:
            # The same address signed up a moment ago by another request (the database's
            # case-insensitive unique constraint): answer as for any taken address.
            existing = User.objects.filter(email__iexact=email).order_by("pk").first()
            if existing is None:
                raise
    if existing is not None:
        make_password(password)  # the work create_user does, for the same timing
        record_audit("accounts.sign_up_existing_address", actor=None, obj=existing)
        transaction.on_commit(partial(send_sign_up_attempt_notice, existing.pk))
        return None
    record_audit("accounts.sign_up", actor=None, obj=user)
    transaction.on_commit(partial(send_email_confirmation, user.pk))
    return user


def resend_email_confirmation(email: str) -> None:
    """Send the confirmation link again to an account still waiting for it (silently
    nothing otherwise). Looked up in a task, so that the request does the same work
    whether or not such an account exists (archive/accounts/tasks.py)."""
    tasks.resend_email_confirmation.enqueue(email, translation.get_language())


def request_password_reset(email: str) -> None:
    """Mail a password reset link to the active accounts with this address, from a task
    enqueued whether or not there is one (archive/accounts/tasks.py)."""
    tasks.send_password_reset.enqueue(email, translation.get_language())


@transaction.atomic
def confirm_email(user: User) -> User:
    """Activate a signed-up account whose owner opened the confirmation link."""
    confirmed = User.objects.filter(pk=user.pk, awaiting_email_confirmation=True).update(
        awaiting_email_confirmation=False, is_active=True
    )
    if confirmed != 1:
        raise WorkflowError(_("This address is already confirmed."))
    user.refresh_from_db()
    record_audit("accounts.confirm_email", actor=user, obj=user)
    return user


@transaction.atomic
def update_profile(user: User, *, actor: User, first_name: str, last_name: str) -> User:
    """A person edits their own name (nobody else's)."""
    if actor.pk != user.pk:
        raise WorkflowError(_("You may only edit your own details."))
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.save(update_fields=["first_name", "last_name"])
    record_audit("accounts.profile_update", actor=actor, obj=user)
    return user


def open_request_of(user: Any) -> AccessRequest | None:
    """The person's request that is waiting or in force, if any."""
    if not user.is_authenticated:
        return None
    return (
        AccessRequest.objects.filter(user_id=user.pk, status__in=[Status.PENDING, Status.APPROVED])
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def request_access(
    *,
    actor: User,
    affiliation: str,
    purpose: str,
    accepted_terms: bool,
    requested_until: date | None = None,
) -> AccessRequest:
    """A researcher asks to see what is kept for approved researchers."""
    if not (actor.is_authenticated and actor.is_active):
        raise WorkflowError(_("Log in to request access."))
    if not accepted_terms:
        raise WorkflowError(_("Accept the terms of use to request access."))
    if not affiliation.strip() or not purpose.strip():
        raise WorkflowError(_("Say who you work with and what you are researching."))
    today = timezone.localdate()
    if requested_until is not None and requested_until < today:
        raise WorkflowError(_("The end date of access cannot be in the past."))
    # An approval that ran out but was not marked expired yet must not block a new request.
    for lapsed in AccessRequest.objects.lapsed(today).filter(user_id=actor.pk):
        _expire(lapsed)
    if open_request_of(actor) is not None:
        raise WorkflowError(_("You already have a request that is waiting or approved."))
    try:
        with transaction.atomic():
            access_request = AccessRequest.objects.create(
                user=actor,
                affiliation=affiliation.strip(),
                purpose=purpose.strip(),
                terms_accepted_at=timezone.now(),
                requested_until=requested_until,
            )
    except IntegrityError as error:  # the same person sent the form twice at once
        raise WorkflowError(_("You already have a request that is waiting or approved.")) from error
    record_audit(
        "accounts.access_request",
        actor=actor,
        obj=access_request,
        data={"user": actor.pk, "requested_until": _day(requested_until)},
    )
    transaction.on_commit(partial(notify_requested, access_request.pk))
    return access_request


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _require_decider(actor: User, access_request: AccessRequest) -> None:
    if not actor.has_perm(DECIDE_PERMISSION):
        raise WorkflowError(_("You may not decide access requests."))
    if access_request.user_id == actor.pk:
        raise WorkflowError(_("Nobody may decide their own access request."))


def _move(access_request: AccessRequest, *, allowed_from: Status, **fields: Any) -> None:
    moved = AccessRequest.objects.filter(pk=access_request.pk, status=allowed_from).update(**fields)
    if moved != 1:
        raise WorkflowError(
            _("Someone else changed this request a moment ago; reload it and try again.")
        )
    access_request.refresh_from_db()


@transaction.atomic
def approve_access(
    access_request: AccessRequest,
    *,
    actor: User,
    expires_on: date | None = None,
    comment: str = "",
) -> AccessRequest:
    """Grant the researcher access until `expires_on` (inclusive; None: no end date)."""
    _require_decider(actor, access_request)
    if expires_on is not None and expires_on < timezone.localdate():
        raise WorkflowError(_("The end of access cannot be in the past."))
    _move(
        access_request,
        allowed_from=Status.PENDING,
        status=Status.APPROVED,
        expires_on=expires_on,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_comment=comment.strip(),
    )
    record_audit(
        "accounts.access_approve",
        actor=actor,
        obj=access_request,
        data={"user": access_request.user_id, "expires_on": _day(expires_on)},
    )
    forget_research_access(access_request.user)
    transaction.on_commit(partial(notify_researcher, access_request.pk))
    return access_request


@transaction.atomic
def refuse_access(
    access_request: AccessRequest, *, actor: User, comment: str = ""
) -> AccessRequest:
    """Refuse a waiting request; the comment goes to the researcher."""
    _require_decider(actor, access_request)
    _move(
        access_request,
        allowed_from=Status.PENDING,
        status=Status.REFUSED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_comment=comment.strip(),
    )
    record_audit(
        "accounts.access_refuse",
        actor=actor,
        obj=access_request,
        data={"user": access_request.user_id},
    )
    transaction.on_commit(partial(notify_researcher, access_request.pk))
    return access_request


@transaction.atomic
def revoke_access(access_request: AccessRequest, *, actor: User, reason: str) -> AccessRequest:
    """End an approval at once (from the researcher's next request on)."""
    _require_decider(actor, access_request)
    if not reason.strip():
        raise WorkflowError(_("Say why the access is revoked: the researcher is told."))
    _move(
        access_request,
        allowed_from=Status.APPROVED,
        status=Status.REVOKED,
        ended_by=actor,
        ended_at=timezone.now(),
        end_reason=reason.strip(),
    )
    record_audit(
        "accounts.access_revoke",
        actor=actor,
        obj=access_request,
        data={"user": access_request.user_id},
    )
    forget_research_access(access_request.user)
    transaction.on_commit(partial(notify_researcher, access_request.pk))
    return access_request


def _expire(access_request: AccessRequest) -> None:
    _move(
        access_request,
        allowed_from=Status.APPROVED,
        status=Status.EXPIRED,
        ended_at=timezone.now(),
    )
    record_audit(
        "accounts.access_expire",
        actor=None,
        obj=access_request,
        data={"user": access_request.user_id, "expires_on": _day(access_request.expires_on)},
    )
    transaction.on_commit(partial(notify_researcher, access_request.pk))


def expire_access(*, today: date | None = None, dry_run: bool = False) -> list[AccessRequest]:
    """Record and announce every approval past its end date (idempotent; run from cron by
    `manage.py expire_access_requests`). Access itself ends without it: see access.py."""
    lapsed = list(AccessRequest.objects.lapsed(today).select_related("user"))
    if dry_run:
        return lapsed
    expired = []
    for access_request in lapsed:
        try:
            with transaction.atomic():
                _expire(access_request)
        except WorkflowError:
            continue  # revoked or expired by someone else meanwhile
        expired.append(access_request)
    return expired
