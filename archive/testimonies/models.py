"""The catalogue: testimonies, their narrators, transcripts, media, and the vocabularies."""

import re
import uuid
from pathlib import PurePath
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from archive.accounts.audience import audience_of
from archive.lib.language_tags import LanguageTagField

REFERENCE_PATTERN = r"^TA-[0-9]{4}-[0-9]{4,}$"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
EARLIEST_YEAR = 1850
LATEST_YEAR = 2200


def year_validators() -> list[Any]:
    return [MinValueValidator(EARLIEST_YEAR), MaxValueValidator(LATEST_YEAR)]


class AccessLevel(models.TextChoices):
    """Who the archive means a testimony (or one of its files) for, before consent is applied."""

    PUBLIC = "public", "Public"
    RESEARCHERS = "researchers", "Researchers only"
    STAFF = "staff", "Staff only"


class Hierarchical(models.Model):
    """A node of a tree (gazetteer, thesaurus) that may not become its own ancestor."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="%(class)s_not_own_parent",
                violation_error_message="An entry cannot be its own parent.",
            ),
        ]

    def ancestors(self) -> list["Hierarchical"]:
        """Nearest first. Stops at a cycle instead of looping, so that clean() can report it."""
        chain: list[Hierarchical] = []
        seen = {self.pk}
        node = self.parent
        while node is not None:
            chain.append(node)
            if node.pk in seen:
                break
            seen.add(node.pk)
            node = node.parent
        return chain

    def clean(self) -> None:
        super().clean()
        if self.pk is not None and any(node.pk == self.pk for node in self.ancestors()):
            raise ValidationError(
                {"parent": "This would make the entry its own ancestor; choose another parent."}
            )


class AlternativeName(models.Model):
    """Another name for a vocabulary entry: a variant spelling, script or language."""

    name = models.CharField(max_length=200)
    language = LanguageTagField(
        help_text="BCP 47 tag of the language and, where it matters, the script (hy, ru, az-Latn)."
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class Place(Hierarchical):
    class Kind(models.TextChoices):
        COUNTRY = "country", "Country"
        REGION = "region", "Region or province"
        DISTRICT = "district", "District"
        CITY = "city", "City or town"
        VILLAGE = "village", "Village"
        SITE = "site", "Site or building"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, help_text="The name used in this archive's catalogue.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    note = models.TextField(blank=True)

    class Meta(Hierarchical.Meta):
        ordering = ["name"]
        constraints = [
            *Hierarchical.Meta.constraints,
            models.UniqueConstraint(
                "parent",
                "name",
                name="place_unique_name_within_parent",
                violation_error_message="This parent already has a place with this name.",
            ),
            models.UniqueConstraint(
                "name",
                condition=Q(parent__isnull=True),
                name="place_unique_top_level_name",
                violation_error_message="A top-level place with this name already exists.",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="place_coordinates_both_or_neither",
                violation_error_message="Give both latitude and longitude, or neither.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaceName(AlternativeName):
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="names")

    class Meta:
        verbose_name = "name variant"
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                "place",
                "name",
                "language",
                name="placename_unique",
                violation_error_message="This place already has this name in this language.",
            ),
        ]


class Subject(Hierarchical):
    """A term of the archive's thesaurus."""

    label = models.CharField(max_length=200, help_text="The preferred label, in English.")
    scope_note = models.TextField(
        blank=True, help_text="What the term covers and what it does not."
    )

    class Meta(Hierarchical.Meta):
        ordering = ["label"]
        constraints = [
            *Hierarchical.Meta.constraints,
            models.UniqueConstraint(
                "label",
                name="subject_unique_label",
                violation_error_message="A subject with this label already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class SubjectLabel(AlternativeName):
    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="labels")

    class Meta:
        verbose_name = "alternative label"
        ordering = ["language", "name"]
        constraints = [
            models.UniqueConstraint(
                "subject",
                "name",
                "language",
                name="subjectlabel_unique",
                violation_error_message="This subject already has this label in this language.",
            ),
        ]


class Collection(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Narrator(models.Model):
    """The person who gave an account. Their real identity is kept apart in NarratorIdentity."""

    class Attribution(models.TextChoices):
        FULL_NAME = "full_name", "Full name"
        GIVEN_NAME_INITIAL = "given_name_initial", "Given name and initial"
        PSEUDONYM = "pseudonym", "Pseudonym"
        ANONYMOUS = "anonymous", "Anonymous (“Narrator 12”)"

    attribution = models.CharField(
        max_length=20,
        choices=Attribution.choices,
        default=Attribution.ANONYMOUS,
        help_text="How the narrator asked to be named; consent decides whether it is shown at all.",
    )
    pseudonym = models.CharField(max_length=200, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=year_validators()
    )
    place_of_origin = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="narrators_from"
    )
    occupation = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # How a narrator asked to be named is consent: recorded by one archivist, verified by
    # another (archive/publishing/consent_changes.py record_naming, verify_naming). Until then
    # outsiders see only "Narrator N".
    naming_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    naming_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    naming_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    naming_verified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(attribution="pseudonym") | ~Q(pseudonym=""),
                name="narrator_pseudonym_given",
                violation_error_message="A narrator attributed by pseudonym needs a pseudonym.",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=EARLIEST_YEAR, birth_year__lte=LATEST_YEAR),
                name="narrator_birth_year_plausible",
                violation_error_message=(
                    f"The birth year must lie between {EARLIEST_YEAR} and {LATEST_YEAR}."
                ),
            ),
        ]

    def __str__(self) -> str:
        # Never a name from the identity: __str__ reaches autocomplete, lists, the admin's
        # log and messages, which contributors and moderators read.
        if self.attribution == self.Attribution.PSEUDONYM and self.pseudonym:
            return f"{self.pseudonym} ({self.anonymous_name})"
        return self.anonymous_name

    @property
    def naming_verified(self) -> bool:
        """Whether how the narrator asked to be named may be shown: verified by a second
        archivist since it was last recorded. Anonymity needs no verification."""
        return self.attribution == self.Attribution.ANONYMOUS or self.naming_verified_at is not None

    def identity_or_none(self) -> "NarratorIdentity | None":
        try:
            return self.identity
        except NarratorIdentity.DoesNotExist:
            return None

    @property
    def anonymous_name(self) -> str:
        return f"Narrator {self.pk}"

    @property
    def attributed_name(self) -> str:
        """The name the narrator chose to be cited by.

        Whether it may be shown, and to whom, is the disclosure policy's decision; without
        an identity on file a name-based choice falls back to the anonymous form.
        """
        if self.attribution == self.Attribution.PSEUDONYM:
            return self.pseudonym
        if self.attribution == self.Attribution.ANONYMOUS:
            return self.anonymous_name
        identity = self.identity_or_none()
        if identity is None:
            return self.anonymous_name
        if self.attribution == self.Attribution.FULL_NAME:
            return identity.full_name
        return identity.given_name_and_initial


class NarratorIdentity(models.Model):
    """Who the narrator really is. Only archivists (and superusers) may open it; it never
    reaches the index, the API, exports or public pages."""

    narrator = models.OneToOneField(
        Narrator, on_delete=models.CASCADE, primary_key=True, related_name="identity"
    )
    given_name = models.CharField(max_length=200)
    family_name = models.CharField(max_length=200, blank=True)
    name_in_original_script = models.CharField(
        max_length=400, blank=True, help_text="For example Վերա Պետրոսյան or Вера Петросян."
    )
    other_names = models.TextField(
        blank=True, help_text="Maiden names, patronymics, other spellings: one a line."
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=50, blank=True)
    postal_address = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "narrator's identity"
        verbose_name_plural = "narrators' identities"

    def __str__(self) -> str:
        # Never the name itself: __str__ ends up in admin logs and messages.
        return f"Identity of narrator #{self.narrator_id}"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_name, self.family_name) if part)

    @property
    def given_name_and_initial(self) -> str:
        initial = f" {self.family_name[0]}." if self.family_name else ""
        return f"{self.given_name}{initial}"

    def names_to_guard(self) -> list[str]:
        """Every form of the real name that must not appear where a pseudonym was chosen."""
        original = self.name_in_original_script.split()
        # The surname in the original script: the last word of a name of two or more.
        original_surname = original[-1] if len(original) > 1 else ""
        candidates = [
            self.full_name,
            self.family_name,
            self.name_in_original_script,
            original_surname,
        ]
        candidates += [line.strip() for line in self.other_names.splitlines()]
        return [name for name in dict.fromkeys(candidates) if name]


class ReferenceSequence(models.Model):
    """The last number handed out per year: references are never reused, even after deletion."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class TestimonyQuerySet(models.QuerySet["Testimony"]):
    def visible_to(self, user: Any) -> Self:
        """Testimonies whose metadata this person may see, by the disclosure policy's
        stored answer (archive/consent/policy.py)."""

        return self.filter(stored_disclosure__metadata__lte=audience_of(user))

    def live(self) -> Self:
        """Published and not withdrawn: what the site's lists, feed and sitemap show (whom
        to is visible_to's answer, not this one's)."""
        return self.filter(live_revision__isnull=False).exclude(status=Testimony.Status.WITHDRAWN)

    def latest_published(self, count: int) -> list["Testimony"]:
        """The `count` most recently published, newest first. The order is found on the
        keys alone, then those rows loaded: sorting whole rows (with their revisions' JSON)
        took four times as long at 100,000 testimonies."""
        ids = list(self.order_by("-published_at", "-pk").values_list("pk", flat=True)[:count])
        found = self.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]

    def with_catalogue_relations(self) -> Self:
        """What list pages show: narrator (with identity for the name), collection, languages."""
        return self.select_related("narrator__identity", "collection").prefetch_related(
            models.Prefetch(
                "transcripts",
                queryset=Transcript.objects.only("testimony", "language", "is_original"),
            )
        )


class Testimony(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        CHANGES_REQUESTED = "changes_requested", "Changes requested"
        SCHEDULED = "scheduled", "Approved, scheduled"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class DatePrecision(models.TextChoices):
        YEAR = "year", "Year"
        MONTH = "month", "Month"
        DAY = "day", "Day"

    reference = models.CharField(
        max_length=20,
        unique=True,
        editable=False,
        validators=[RegexValidator(REFERENCE_PATTERN, "A reference looks like TA-2023-0001.")],
        help_text="Stable reference used in URLs, citations and OAI identifiers.",
    )
    external_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="The identifier in the system this testimony came from, if any.",
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    narrator = models.ForeignKey(Narrator, on_delete=models.PROTECT, related_name="testimonies")
    interviewer = models.CharField(max_length=200, blank=True)
    recorded_on = models.DateField(null=True, blank=True)
    recorded_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        help_text="How much of the recording date is known.",
    )
    recording_place = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="recordings"
    )
    period_start_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators(),
        help_text="First year the account tells of.",
    )
    period_end_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=year_validators(),
        help_text="Last year the account tells of.",
    )
    places = models.ManyToManyField(
        Place, blank=True, related_name="testimonies", help_text="Places the account tells of."
    )
    subjects = models.ManyToManyField(Subject, blank=True, related_name="testimonies")
    collection = models.ForeignKey(
        Collection, on_delete=models.PROTECT, null=True, blank=True, related_name="testimonies"
    )
    source = models.TextField(
        blank=True, help_text="Where the account was first recorded or published."
    )
    rights_statement = models.TextField(blank=True)
    content_notes = models.TextField(
        blank=True, help_text="Warnings shown before the text (violence, loss, death of a child…)."
    )
    access_level = models.CharField(
        max_length=12, choices=AccessLevel.choices, default=AccessLevel.STAFF
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Where the working copy stands. The public sees only the live revision.",
    )
    live_revision = models.ForeignKey(
        "publishing.Revision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The last approved revision: what everyone outside staff may be shown.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Set when the narrator's withdrawal erased everything but this tombstone.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Covers the transcripts and media too: they are edited on the testimony's page.
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text="Raised by every saved edit; an edit of an older version is refused.",
    )

    objects = TestimonyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "testimonies"
        ordering = ["-updated_at"]
        permissions = [
            ("review_testimony", "Can approve testimonies or send them back"),
            ("publish_testimony", "Can publish testimonies"),
            ("withdraw_testimony", "Can withdraw published testimonies"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN),
                name="testimony_reference_format",
                violation_error_message="A reference looks like TA-2023-0001.",
            ),
            models.UniqueConstraint(
                "external_id",
                condition=~Q(external_id=""),
                name="testimony_unique_external_id",
                violation_error_message="Another testimony already has this external identifier.",
            ),
            models.CheckConstraint(
                condition=Q(recorded_on__isnull=True, recorded_precision="")
                | (Q(recorded_on__isnull=False) & ~Q(recorded_precision="")),
                name="testimony_recording_date_has_precision",
                violation_error_message=(
                    "A recording date needs its precision (year, month or day), and only then."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_start_year__isnull=True)
                | Q(period_end_year__isnull=True)
                | Q(period_start_year__lte=F("period_end_year")),
                name="testimony_period_in_order",
                violation_error_message="The period's first year must not be after its last year.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(live_revision__isnull=False),
                name="testimony_published_has_live_revision",
                violation_error_message="A published testimony needs its approved revision.",
            ),
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True)
                | Q(status="withdrawn", live_revision__isnull=True),
                name="testimony_erased_is_withdrawn",
                violation_error_message="An erased testimony stays withdrawn.",
            ),
        ]
        indexes = [models.Index(fields=["status", "access_level"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def clean(self) -> None:
        super().clean()
        if self.recorded_on and self.recorded_precision:
            day, month = self.recorded_on.day, self.recorded_on.month
            if self.recorded_precision == self.DatePrecision.YEAR and (day, month) != (1, 1):
                raise ValidationError(
                    {"recorded_on": "With year precision, enter 1 January of that year."}
                )
            if self.recorded_precision == self.DatePrecision.MONTH and day != 1:
                raise ValidationError(
                    {"recorded_on": "With month precision, enter the first day of that month."}
                )

    @property
    def recording_date_display(self) -> str:
        if self.recorded_on is None:
            return ""
        if self.recorded_precision == self.DatePrecision.YEAR:
            return f"{self.recorded_on:%Y}"
        if self.recorded_precision == self.DatePrecision.MONTH:
            return f"{self.recorded_on:%B %Y}"
        return f"{self.recorded_on.day} {self.recorded_on:%B %Y}"

    @property
    def languages(self) -> list[str]:
        """Transcript languages, the original first (uses prefetched transcripts if present)."""
        transcripts = sorted(self.transcripts.all(), key=lambda t: (not t.is_original, t.language))
        return [transcript.language for transcript in transcripts]


class Transcript(models.Model):
    """The text of a testimony in one language: the original, or a translation."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="transcripts")
    language = LanguageTagField(help_text="BCP 47 tag: en, hy, ru, hy-Latn…")
    is_original = models.BooleanField(
        default=False,
        help_text="The language the narrator spoke; every other one is a translation.",
    )
    translator = models.CharField(max_length=200, blank=True)
    text = models.TextField(help_text="Plain text; a blank line separates paragraphs.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_original", "language"]
        constraints = [
            models.UniqueConstraint(
                "testimony",
                "language",
                name="transcript_one_per_language",
                violation_error_message="This testimony already has a transcript in this language.",
            ),
            models.UniqueConstraint(
                "testimony",
                condition=Q(is_original=True),
                name="transcript_one_original",
                violation_error_message="This testimony already has an original transcript; "
                "mark this one as a translation.",
            ),
            models.CheckConstraint(
                condition=Q(is_original=False) | Q(translator=""),
                name="transcript_original_has_no_translator",
                violation_error_message="An original transcript has no translator.",
            ),
        ]

    def __str__(self) -> str:
        kind = "original" if self.is_original else "translation"
        return f"{self.language} {kind}"

    @property
    def paragraphs(self) -> list[str]:
        return [part.strip() for part in re.split(r"\n\s*\n", self.text) if part.strip()]


def private_upload_to(instance: models.Model, filename: str) -> str:
    """A generated storage name: the uploader's file name never reaches the path."""
    suffix = PurePath(filename).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    folder = instance._meta.model_name
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class MediaAsset(models.Model):
    """A recording, image or document in the private storage, with its own access level."""

    class Kind(models.TextChoices):
        # Shown on the public pages and in the search facets: translated.
        AUDIO = "audio", _("Audio")
        VIDEO = "video", _("Video")
        IMAGE = "image", _("Image")
        DOCUMENT = "document", _("Document")

    class Fixity(models.TextChoices):
        """The last fixity check's finding (archive/preservation/fixity.py)."""

        NOT_CHECKED = "", "Not checked yet"
        OK = "ok", "Intact"
        CHANGED = "changed", "Changed"
        MISSING = "missing", "Missing"

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=private_upload_to, max_length=255)
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    mime_type = models.CharField(max_length=100, blank=True, editable=False)
    size_bytes = models.PositiveBigIntegerField(default=0, editable=False)
    sha256 = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        validators=[RegexValidator(SHA256_PATTERN, "A SHA-256 checksum is 64 hexadecimal digits.")],
    )
    duration_seconds = models.DecimalField(
        max_digits=9, decimal_places=3, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    caption = models.CharField(max_length=500, blank=True)
    access_level = models.CharField(
        max_length=12,
        choices=AccessLevel.choices,
        default=AccessLevel.STAFF,
        help_text="A file can be more restricted than its testimony (the voice, a face).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fixity_status = models.CharField(
        max_length=10, choices=Fixity.choices, blank=True, default="", editable=False
    )
    fixity_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "media file"
        ordering = ["testimony", "kind", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256="") | Q(sha256__regex=SHA256_PATTERN),
                name="mediaasset_sha256_format",
                violation_error_message="A SHA-256 checksum is 64 hexadecimal digits.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.testimony.reference}"


class TranscriptSegment(models.Model):
    """A time-coded passage of a transcript that links to a moment of a recording."""

    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    recording = models.ForeignKey(
        MediaAsset, on_delete=models.SET_NULL, null=True, blank=True, related_name="segments"
    )
    position = models.PositiveIntegerField()
    start_seconds = models.DecimalField(max_digits=9, decimal_places=3)
    end_seconds = models.DecimalField(max_digits=9, decimal_places=3, null=True, blank=True)
    text = models.TextField()

    class Meta:
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(
                "transcript",
                "position",
                name="segment_unique_position",
                violation_error_message="This transcript already has a segment at this position.",
            ),
            models.CheckConstraint(
                condition=Q(start_seconds__gte=0),
                name="segment_start_not_negative",
                violation_error_message="A segment cannot start before the recording.",
            ),
            models.CheckConstraint(
                condition=Q(end_seconds__isnull=True) | Q(end_seconds__gt=F("start_seconds")),
                name="segment_ends_after_start",
                violation_error_message="A segment must end after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.transcript} @ {self.start_seconds}s"

    def clean(self) -> None:
        super().clean()
        if (
            self.recording is not None
            and self.transcript_id
            and self.recording.testimony_id != self.transcript.testimony_id
        ):
            raise ValidationError(
                {"recording": "Choose a recording of the same testimony as the transcript."}
            )
