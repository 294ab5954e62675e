"""The log of who opened restricted material on the site."""

from django.conf import settings
from django.db import models

from archive.lib.log_fields import lasting_reference
from archive.testimonies.models import MediaAsset, Testimony


class AccessRecord(models.Model):
    """One opening of something not public: a restricted file, consent evidence, or (for
    the researchers' site) a restricted testimony. Who, what, when and from where.

    Append-only in practice (the admin shows it read-only). Like the audit log, it keeps
    pointing at ids after the testimony or file is gone, so an erasure does not erase the
    record that someone saw them.
    """

    class Resource(models.TextChoices):
        MEDIA = "media", "Media file"
        CONSENT_EVIDENCE = "consent_evidence", "Consent evidence"
        TESTIMONY = "testimony", "Testimony"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resource = models.CharField(max_length=20, choices=Resource.choices)
    testimony = lasting_reference(Testimony)
    media_asset = lasting_reference(MediaAsset)
    consent_record = lasting_reference("consent.ConsentRecord")
    at = models.DateTimeField("opened at", auto_now_add=True, db_index=True)
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)

    class Meta:
        verbose_name = "access record"
        verbose_name_plural = "access log"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["testimony", "at"])]

    def __str__(self) -> str:
        who = f"user #{self.user_id}" if self.user_id else "an anonymous visitor"
        return f"{self.get_resource_display()} opened by {who} at {self.at:%Y-%m-%d %H:%M}"
