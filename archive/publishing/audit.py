"""Writing the audit log. Services call `record_audit`; the request's IP address comes from
AuditContextMiddleware, so services need not know about requests."""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from archive.lib.client_address import client_address
from archive.publishing.models import AuditEntry, Revision
from archive.testimonies.models import Testimony

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def describe(obj: models.Model) -> str:
    """A label that holds no name or text, so erasures leave nothing behind in the log."""
    if isinstance(obj, Testimony):
        return obj.reference
    return f"{obj._meta.verbose_name} #{obj.pk}"


def record_audit(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    testimony: Testimony | None = None,
    revision: Revision | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `data` must never hold testimony text or a narrator's real name."""
    entry = _entry(action, actor=actor, obj=obj, testimony=testimony, revision=revision, data=data)
    entry.save(force_insert=True)
    return entry


def record_audit_in_bulk(
    action: str,
    *,
    actor: Any,
    entries: Iterable[tuple[Testimony, Revision | None, dict[str, Any]]],
) -> list[AuditEntry]:
    """Append one entry per (testimony, revision, data), in one insert: for a service that
    moves testimonies in bulk. The same rule for `data` as record_audit's."""
    return AuditEntry.objects.bulk_create(
        _entry(action, actor=actor, obj=testimony, testimony=None, revision=revision, data=data)
        for testimony, revision, data in entries
    )


def _entry(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    testimony: Testimony | None,
    revision: Revision | None,
    data: dict[str, Any] | None,
) -> AuditEntry:
    if testimony is None and isinstance(obj, Testimony):
        testimony = obj
    return AuditEntry(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=describe(obj),
        testimony=testimony,
        revision=revision,
        data=data or {},
        ip_address=current_ip.get(),
    )


# Keys of an entry's data that hold what a person wrote: a withdrawal's reason, an
# override of the pseudonym guard's reason. Everything else in data is ids, dates, field
# names and fixed words.
FREE_TEXT_KEYS = frozenset({"reason"})


def redact_erased_text(testimony_ids: list[int], *, actor: Any) -> list[int]:
    """For an erasure, in its transaction: blank the free text of the entries about the
    erased testimonies, and log which entries were blanked. The log stays append-only for
    everything else: no other code calls blank_free_text."""
    entries = AuditEntry.objects.filter(testimony_id__in=testimony_ids)
    blanked = entries.blank_free_text(FREE_TEXT_KEYS)
    for testimony in Testimony.objects.filter(pk__in=testimony_ids).order_by("pk"):
        mine = list(
            entries.filter(testimony_id=testimony.pk, pk__in=blanked).values_list("pk", flat=True)
        )
        if mine:
            record_audit(
                "audit.free_text_erased",
                actor=actor,
                obj=testimony,
                data={"entries": sorted(mine), "keys": sorted(FREE_TEXT_KEYS)},
            )
    return blanked


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
