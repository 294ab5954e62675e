from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who signs in: staff (by role) or a researcher.

    A researcher who signs up stays inactive (cannot log in) until they confirm their e-mail
    address; approved access to restricted material comes from an AccessRequest.
    """

    # Set when a researcher signs up (the account is inactive meanwhile) and cleared when
    # they confirm their address: only such accounts may be activated by a confirmation link,
    # never one that staff deactivated.
    awaiting_email_confirmation = models.BooleanField(
        _("awaiting e-mail confirmation"), default=False
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            (
                "access_research_material",
                "Can see testimonies and files meant for approved researchers",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_unique_ci",
                violation_error_message="A user with this e-mail address already exists.",
            ),
        ]


class AccessRequestQuerySet(models.QuerySet["AccessRequest"]):
    def in_force(self, today: date | None = None) -> "AccessRequestQuerySet":
        """Approvals that grant access today: approved, not revoked, not past their end."""
        today = today or timezone.localdate()
        return self.filter(status=AccessRequest.Status.APPROVED).filter(
            models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=today)
        )

    def lapsed(self, today: date | None = None) -> "AccessRequestQuerySet":
        """Approvals past their end date that nobody has marked expired yet."""
        today = today or timezone.localdate()
        return self.filter(status=AccessRequest.Status.APPROVED, expires_on__lt=today)


class AccessRequest(models.Model):
    """A researcher's request to see what is kept for approved researchers.

    Staff approve or refuse it in the admin; an approval lasts until `expires_on` (inclusive)
    and can be revoked. Whether it grants access is computed at each request from the status
    and the date (archive/consent/policy.py: audience_of), so access ends on the day it
    expires even if the `expire_access_requests` command, which records and announces the
    expiry, has not run yet. Every change goes through archive/accounts/services.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_requests"
    )
    affiliation = models.CharField(
        _("affiliation"),
        max_length=200,
        help_text=_("The university, institute or organisation you work with."),
    )
    purpose = models.TextField(
        _("purpose of research"),
        help_text=_("What you are researching and how you will use the testimonies."),
    )
    terms_accepted_at = models.DateTimeField(_("terms of use accepted at"))
    requested_until = models.DateField(
        _("access needed until"),
        null=True,
        blank=True,
        help_text=_("Optional: the last day you need access."),
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    expires_on = models.DateField(
        _("access ends on"),
        null=True,
        blank=True,
        help_text=_("The last day of access; empty for no end date."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("comment to the researcher"), blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who revoked the access (nobody for an expiry)."),
    )
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.TextField(_("reason for revoking"), blank=True)

    objects = AccessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        ordering = ["-created_at", "-pk"]
        permissions = [("decide_accessrequest", "Can approve, refuse and revoke access requests")]
        constraints = [
            # One open request per person: a second would be approved or refused twice.
            models.UniqueConstraint(
                "user",
                condition=models.Q(status__in=["pending", "approved"]),
                name="accounts_accessrequest_one_open_per_user",
                violation_error_message="This person already has an open access request.",
            ),
        ]

    def __str__(self) -> str:
        return f"Access request #{self.pk}"

    def grants_access_on(self, day: date) -> bool:
        return self.status == self.Status.APPROVED and (
            self.expires_on is None or self.expires_on >= day
        )

    @property
    def grants_access(self) -> bool:
        return self.grants_access_on(timezone.localdate())

    @property
    def standing(self) -> str:
        """The status in words, counting an approval past its end as expired."""
        if self.status == self.Status.APPROVED and not self.grants_access:
            return str(self.Status.EXPIRED.label)
        return str(self.get_status_display())
