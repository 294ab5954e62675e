"""The log of who opened restricted material on the site."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

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


class Concern(models.Model):
    """A request from a narrator (or someone on their behalf) to remove or correct a
    testimony, sent from the public site to the archivists' queue in the admin.

    It may hold a real name and contact details, so only archivists see it. It keeps the
    reference as typed on the page, so a concern about an erased testimony still says
    which one it was about.
    """

    class Kind(models.TextChoices):
        REMOVAL = "removal", _("Remove the testimony")
        CORRECTION = "correction", _("Correct something in it")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        HANDLED = "handled", _("Handled")

    testimony = lasting_reference(Testimony)
    reference = models.CharField(max_length=20)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    message = models.TextField(max_length=4000)
    name = models.CharField(max_length=200, blank=True)
    contact = models.CharField(
        max_length=254, blank=True, help_text="An e-mail address or telephone number, if given."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True, help_text="What was done; seen by archivists only.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("handle_concern", "Can handle narrators' concerns")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="open", handled_at__isnull=True)
                | models.Q(status="handled", handled_at__isnull=False),
                name="concern_handled_has_time",
                violation_error_message="A handled concern records when it was handled.",
            ),
        ]

    def __str__(self) -> str:
        # No name or message: __str__ reaches admin logs and messages.
        return f"Concern #{self.pk} about {self.reference}"
