"""Revisions (immutable snapshots), reviews (requests to publish one revision) and the
append-only audit log."""

from typing import Any, NoReturn

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q

from archive.lib.log_fields import lasting_reference
from archive.testimonies.models import Testimony


class ImmutableError(Exception):
    """Raised on any attempt to change or delete a record that must never change."""


class UnicodeJSONEncoder(DjangoJSONEncoder):
    """Stores Armenian and Cyrillic text as itself, not as \\uXXXX escapes (which more than
    double the size of a revision in SQLite's text column)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class Revision(models.Model):
    """A frozen copy of a testimony's content. Reviews and the live site point at one."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField(encoder=UnicodeJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["testimony", "-number"]
        constraints = [
            models.UniqueConstraint(
                "testimony",
                "number",
                name="revision_unique_number",
                violation_error_message="This testimony already has a revision with this number.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.testimony.reference} revision {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ImmutableError("A revision is an immutable snapshot; create a new one instead.")
        super().save(*args, **kwargs)


class Review(models.Model):
    """A request to publish exactly one revision, and its decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        CANCELLED = "cancelled", "Cancelled"

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="reviews")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="reviews")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    submission_comment = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    publish_at = models.DateTimeField(
        null=True, blank=True, help_text="When an approved revision goes live (empty: at once)."
    )

    class Meta:
        ordering = ["submitted_at", "pk"]
        permissions = [
            (
                "override_pseudonym_guard",
                "Can publish despite the narrator's real name in the text, with a reason",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                "testimony",
                condition=Q(decision="pending"),
                name="review_one_pending_per_testimony",
                violation_error_message="This testimony is already waiting for review.",
            ),
            # Four eyes, held by the database itself: nobody decides on their own submission.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("submitted_by")),
                name="review_decided_by_someone_else",
                violation_error_message="Nobody may decide on their own submission.",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.revision}"


# What an erasure leaves where a person's words were, in the audit log and elsewhere.
ERASED_TEXT = "(erased)"


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def for_object(self, obj: models.Model) -> "AuditQuerySet":
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))

    def blank_free_text(self, keys: frozenset[str]) -> list[int]:
        """The one change the log allows, for an erasure only (see
        archive/publishing/audit.py, redact_erased_text): the values under `keys` of these
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
    testimony = lasting_reference(Testimony)
    revision = lasting_reference(Revision)
    data = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
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
