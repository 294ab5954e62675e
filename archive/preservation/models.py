"""A file previewed for import, waiting for its confirmation (archive/preservation/importing.py,
stage_import and confirm_import)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PendingImportQuerySet(models.QuerySet["PendingImport"]):
    def current(self) -> "PendingImportQuerySet":
        return self.filter(expires_at__gt=timezone.now())

    def expired(self) -> "PendingImportQuerySet":
        return self.filter(expires_at__lte=timezone.now())


class PendingImport(models.Model):
    """The bytes of an uploaded file between its preview and its confirmation, so that the
    file is never sent twice and the confirmation imports exactly what was previewed.

    Bound to the person who previewed it and to a random token that the preview page posts
    back; used at most once; gone after a while (the file may hold transcripts and names).
    """

    token = models.CharField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        verbose_name = "pending import"

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d %H:%M})"
