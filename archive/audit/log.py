"""Writing the audit log. Services call `record_audit`; the request's IP address comes from
AuditContextMiddleware, so services need not know about requests."""

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse

from archive.audit.models import AuditEntry
from archive.lib.client_address import client_address

current_ip: ContextVar[str | None] = ContextVar("audit_current_ip", default=None)


def _is_testimony(obj: models.Model) -> bool:
    return isinstance(obj, AuditEntry._meta.get_field("testimony").related_model)


def describe(obj: models.Model) -> str:
    """A label that holds no name or text, so erasures leave nothing behind in the log: a
    testimony's reference, anything else's kind and id."""
    if _is_testimony(obj):
        return str(obj.reference)  # type: ignore[attr-defined]  # a Testimony's
    return f"{obj._meta.verbose_name} #{obj.pk}"


def record_audit(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    obj: models.Model,
    testimony: models.Model | None = None,
    revision: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `data` must never hold testimony text or a narrator's real name."""
    entry = _entry(action, actor=actor, obj=obj, testimony=testimony, revision=revision, data=data)
    entry.save(force_insert=True)
    return entry


def record_audit_in_bulk(
    action: str,
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    entries: Iterable[tuple[models.Model, models.Model | None, dict[str, Any]]],
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
    actor: AbstractBaseUser | AnonymousUser | None,
    obj: models.Model,
    testimony: models.Model | None,
    revision: models.Model | None,
    data: dict[str, Any] | None,
) -> AuditEntry:
    if testimony is None and _is_testimony(obj):
        testimony = obj
    return AuditEntry(
        action=action,
        # The accounts app is above this one: its User is known here as the user model.
        # (Only a signed-in account is one; an anonymous visitor is recorded as nobody.)
        actor=actor if isinstance(actor, get_user_model()) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=describe(obj),
        testimony_id=testimony.pk if testimony is not None else None,
        revision_id=revision.pk if revision is not None else None,
        data=data or {},
        ip_address=current_ip.get(),
    )


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
