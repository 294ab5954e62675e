"""What a narrator agreed to, recorded with its evidence. The policy that applies it lives
in archive/consent/policy.py; nothing else decides visibility."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from archive.accounts.audience import Audience
from archive.lib.language_tags import LanguageTagField
from archive.testimonies.models import MediaAsset, Narrator, Testimony, private_upload_to

# What a consent can allow, each a boolean field of ConsentRecord; anything not granted is
# refused.
SCOPE_FLAGS = (
    "allows_archiving",
    "allows_researcher_access",
    "allows_public_metadata",
    "allows_public_transcript",
    "allows_public_audio",
    "allows_public_video",
    "allows_public_images",
    "allows_public_documents",
    "allows_name_disclosure",
    "allows_quotation",
)


class ConsentRecord(models.Model):
    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", "Signed form"
        ORAL_RECORDED = "oral_recorded", "Recorded oral consent"
        ELECTRONIC = "electronic", "Electronic"

    class WithdrawalScope(models.TextChoices):
        UNPUBLISH = "unpublish", "Unpublish (off every public surface)"
        RESTRICT = "restrict", "Restrict (staff only)"
        ERASE = "erase", "Erase (delete texts, files and identity)"

    narrator = models.ForeignKey(Narrator, on_delete=models.PROTECT, related_name="consent_records")
    supersedes = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_by",
        help_text="A renewed form replaces this earlier record once it is verified.",
    )
    testimonies = models.ManyToManyField(
        Testimony,
        related_name="consent_records",
        help_text="The testimonies this consent covers.",
    )

    # How and when it was given.
    given_on = models.DateField()
    method = models.CharField(max_length=20, choices=Method.choices)
    obtained_by = models.CharField(
        max_length=200, blank=True, help_text="The interviewer or staff member who took consent."
    )
    oral_consent_recording = models.ForeignKey(
        MediaAsset,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For oral consent: the recording in which it was given.",
    )
    oral_consent_at_seconds = models.DecimalField(
        max_digits=9,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text="For oral consent: where in that recording.",
    )
    evidence = models.FileField(
        upload_to=private_upload_to,
        max_length=255,
        blank=True,
        help_text="The signed form or other proof. Served to archivists only.",
    )
    form_version = models.CharField(max_length=50, blank=True)
    form_language = LanguageTagField(blank=True)
    interpreter = models.CharField(max_length=200, blank=True)
    narrator_is_minor = models.BooleanField(default=False)
    guardian = models.CharField(
        max_length=200, blank=True, help_text="Who consented for a minor, and in what capacity."
    )

    # What it allows. Anything not granted is refused.
    allows_archiving = models.BooleanField("archive", default=False)
    allows_researcher_access = models.BooleanField("researcher access", default=False)
    allows_public_metadata = models.BooleanField("public metadata", default=False)
    allows_public_transcript = models.BooleanField("public transcript", default=False)
    allows_public_audio = models.BooleanField("public audio", default=False)
    allows_public_video = models.BooleanField("public video", default=False)
    allows_public_images = models.BooleanField("public images", default=False)
    allows_public_documents = models.BooleanField("public documents", default=False)
    allows_name_disclosure = models.BooleanField(
        "name disclosure", default=False, help_text="The narrator may be named as they chose."
    )
    allows_quotation = models.BooleanField("quotation", default=False)
    embargo_until = models.DateField(
        null=True, blank=True, help_text="Nothing is shown outside staff before this date."
    )
    review_on = models.DateField(
        null=True, blank=True, help_text="When to check with the narrator again."
    )
    embargo_lifted_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When publish_scheduled applied the end of the embargo.",
    )

    # Who entered and who verified it: never the same person.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    # Withdrawal.
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_scope = models.CharField(max_length=10, choices=WithdrawalScope.choices, blank=True)
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every saved edit; an edit of an older version is refused.",
    )

    class Meta:
        ordering = ["-given_on", "-pk"]
        permissions = [
            ("verify_consentrecord", "Can verify consent recorded by someone else"),
            ("withdraw_consentrecord", "Can record a narrator's withdrawal of consent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True, verified_at__isnull=True)
                | Q(verified_by__isnull=False, verified_at__isnull=False),
                name="consent_verification_complete",
                violation_error_message="A verification needs both who verified it and when.",
            ),
            models.CheckConstraint(
                condition=Q(verified_by__isnull=True) | ~Q(verified_by=F("recorded_by")),
                name="consent_verified_by_someone_else",
                violation_error_message=(
                    "Consent must be verified by someone other than the person who recorded it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(
                    withdrawn_at__isnull=True,
                    withdrawal_scope="",
                    withdrawal_recorded_by__isnull=True,
                )
                | (
                    Q(withdrawn_at__isnull=False, withdrawal_recorded_by__isnull=False)
                    & ~Q(withdrawal_scope="")
                ),
                name="consent_withdrawal_complete",
                violation_error_message=(
                    "A withdrawal needs its date, its scope and who recorded it."
                ),
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(supersedes=F("pk")),
                name="consent_not_superseding_itself",
                violation_error_message="A consent record cannot supersede itself.",
            ),
            models.CheckConstraint(
                condition=Q(narrator_is_minor=False) | ~Q(guardian=""),
                name="consent_minor_has_guardian",
                violation_error_message="Consent for a minor names the guardian who gave it.",
            ),
            models.CheckConstraint(
                condition=Q(allows_archiving=True)
                | Q(
                    allows_researcher_access=False,
                    allows_public_metadata=False,
                    allows_public_transcript=False,
                    allows_public_audio=False,
                    allows_public_video=False,
                    allows_public_images=False,
                    allows_public_documents=False,
                ),
                name="consent_access_needs_archiving",
                violation_error_message=(
                    "Researcher or public access cannot be granted without consent to archive."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Consent of narrator #{self.narrator_id}, {self.given_on:%Y-%m-%d}"

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.method == self.Method.ORAL_RECORDED:
            if self.oral_consent_recording_id is None:
                errors["oral_consent_recording"] = (
                    "Oral consent needs the recording in which it was given."
                )
            if self.oral_consent_at_seconds is None:
                errors["oral_consent_at_seconds"] = (
                    "Oral consent needs its time code in the recording."
                )
        elif self.method == self.Method.SIGNED_FORM and not self.evidence:
            errors["evidence"] = "Attach the signed form."
        if (
            self.oral_consent_recording is not None
            and self.narrator_id is not None
            and self.oral_consent_recording.testimony.narrator_id != self.narrator_id
        ):
            errors["oral_consent_recording"] = "Choose a recording of this narrator."
        if errors:
            raise ValidationError(errors)

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


AUDIENCE_CHOICES = [(audience.value, audience.label) for audience in Audience]


class StoredDisclosure(models.Model):
    """The policy's last answer for a testimony, kept so that lists and counts can filter in
    the database. Recomputed whenever an input changes (archive/consent/disclosures.py);
    a testimony without one is visible to nobody outside the admin."""

    testimony = models.OneToOneField(
        Testimony, on_delete=models.CASCADE, primary_key=True, related_name="stored_disclosure"
    )
    metadata = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    summary = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    transcripts = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    audio = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    video = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    images = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    documents = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    name = models.PositiveSmallIntegerField(choices=AUDIENCE_CHOICES)
    computed_at = models.DateTimeField()
    # When the public could first see the testimony; never cleared, so that OAI-PMH can
    # report one that left the public face as deleted, and never mention one that never was.
    public_since = models.DateTimeField(null=True, blank=True)
    # When approved researchers could first see it (public counts): likewise never cleared,
    # so that only those who could once see a testimony are shown its tombstone.
    researchers_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["metadata"])]

    def __str__(self) -> str:
        return f"Disclosure of testimony #{self.testimony_id}"
