"""Writes the public site makes: narrators' concerns, and archivists handling them."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.public.models import Concern
from archive.testimonies.models import Testimony

HANDLE_PERMISSION = "public.handle_concern"


@transaction.atomic
def submit_concern(
    *, testimony: Testimony, kind: str, message: str, name: str = "", contact: str = ""
) -> Concern:
    """Queue a request to remove or correct a testimony for the archivists. The audit entry
    holds neither the message nor the name: those stay in the concern, which only
    archivists may open."""
    concern = Concern.objects.create(
        testimony=testimony,
        reference=testimony.reference,
        kind=kind,
        message=message.strip(),
        name=name.strip(),
        contact=contact.strip(),
    )
    record_audit(
        "public.concern.submit",
        actor=None,
        obj=concern,
        testimony=testimony,
        data={"kind": kind},
    )
    return concern


@transaction.atomic
def mark_concerns_handled(concerns: Iterable[Concern], *, actor: User, notes: str = "") -> int:
    """Mark open concerns handled by `actor`; returns how many were still open. A concern
    another archivist handled meanwhile is left as they left it."""
    if not actor.has_perm(HANDLE_PERMISSION):
        raise PermissionDenied("You may not handle concerns.")
    handled = 0
    now = timezone.now()
    for concern in concerns:
        # Conditional update: two archivists acting at once handle each concern once.
        changed = Concern.objects.filter(pk=concern.pk, status=Concern.Status.OPEN).update(
            status=Concern.Status.HANDLED,
            handled_by=actor,
            handled_at=now,
            notes=notes.strip() or concern.notes,
        )
        if changed:
            handled += 1
            record_audit(
                "public.concern.handle",
                actor=actor,
                obj=concern,
                testimony=Testimony.objects.filter(pk=concern.testimony_id).first()
                if concern.testimony_id is not None
                else None,
            )
    return handled
