from django.db import models


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
