from django.db import models
from django.utils import timezone


class PendingIndexUpdate(models.Model):
    """A testimony whose search documents must be brought up to date.

    Written in the same transaction as the change that calls for it, and deleted only once
    the index holds the new documents, so an update that fails (a locked index, a crash) is
    retried by `process_search_queue` and never silently lost.
    """

    testimony_id = models.BigIntegerField(primary_key=True)
    requested_at = models.DateTimeField(auto_now=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at"]

    def __str__(self) -> str:
        return f"Index update for testimony #{self.testimony_id}"


class IndexPurge(models.Model):
    """An erasure whose words must leave the index files.

    The erasure deletes the documents at once (nothing finds them from then on); the
    segments that held them are rewritten after commit, a bounded piece of work. Written in
    the erasure's transaction and marked completed only once no segment of the index, and
    no other build of it, holds them: `process_search_queue` retries it, and
    `check_search_index` fails while one stays outstanding."""

    testimony_ids = models.JSONField()
    requested_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [
            models.Index(
                fields=["requested_at"],
                name="search_purge_outstanding",
                condition=models.Q(completed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Index purge of testimonies {self.testimony_ids}"
