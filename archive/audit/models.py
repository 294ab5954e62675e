"""The append-only audit log: every change of state, by whom, to what, when and from where.
It sits at the bottom of the apps (as wagtail's log_actions does), so that any app may write
to it without importing the app that owns what it records."""

from typing import Any, NoReturn

from django.conf import settings
from django.db import models

from archive.lib.errors import ImmutableError
from archive.lib.log_fields import lasting_reference

# What an erasure leaves where a person's words were, in the audit log and elsewhere.
ERASED_TEXT = "(erased)"

# Keys of an entry's data that hold what a person wrote: a withdrawal's reason, an
# override of the pseudonym guard's reason. Everything else in data is ids, dates, field
# names and fixed words.
FREE_TEXT_KEYS = frozenset({"reason"})


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def for_object(self, obj: models.Model) -> "AuditQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def blank_free_text(self, keys: frozenset[str]) -> list[int]:
        """The one change the log allows, for an erasure only (see
        archive/publishing/erasure_traces.py, redact_erased_text): the values under `keys` of these
        entries' data, text a person wrote, become ERASED_TEXT. The action, actor, object,
        time and every other key stay. Returns the ids of the entries changed."""
        changed = []
        for pk, data in self.order_by("pk").values_list("pk", "data"):
            if not isinstance(data, dict) or not keys & data.keys():
                continue
            blanked = {key: ERASED_TEXT if key in keys else value for key, value in data.items()}
            if blanked != data:
                super(AuditQuerySet, self.model.objects.filter(pk=pk)).update(data=blanked)
                changed.append(pk)
        return changed


class AuditEntry(models.Model):
    """One change of state: what was done, by whom, to what, when and from where.

    Data never holds the text of a testimony or a narrator's real name. It may hold what
    staff wrote (a reason for a withdrawal or for overriding the pseudonym guard), which
    could quote either: an erasure blanks that, and only that, in the entries about the
    erased testimonies, and logs that it did (AuditQuerySet.blank_free_text).
    """

    action = models.CharField(max_length=100, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200)
    # By name: the log knows no app above it, and outlives what it names.
    testimony = lasting_reference("testimonies.Testimony")
    revision = lasting_reference("publishing.Revision")
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        # The table it has had since it lived in the publishing app (migration audit/0001).
        db_table = "publishing_auditentry"
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")
