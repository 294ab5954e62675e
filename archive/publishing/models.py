"""Revisions (immutable snapshots) and reviews (requests to publish one revision)."""

from typing import Any, cast

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import F, Q

from archive.lib.errors import ImmutableError
from archive.testimonies.models import Testimony
from archive.testimonies.snapshot_types import Snapshot


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

    @property
    def snapshot(self) -> Snapshot:
        """The content as its shape is known (`content` is the JSON as stored)."""
        return cast(Snapshot, self.content)


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
