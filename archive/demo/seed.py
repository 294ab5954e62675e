"""Loads the demo archive (archive/demo/content.py) into the database.

Vocabularies are found again by a natural key and brought up to date (a place by parent and
name, a subject by label, a collection by slug). A testimony is found by its external_id and,
once it exists, left alone: it went through the real workflow (consent recorded and verified
by two archivists, submitted by a contributor, decided by a moderator), and rewriting it
afterwards would put its working copy out of step with its approved revision. So a second
run creates nothing and changes no testimony.
"""

import array
import io
import math
import secrets
import sys
import wave
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.audit.log import record_audit
from archive.consent.models import ConsentRecord
from archive.demo.content import (
    COLLECTIONS,
    DEMO_TESTIMONIES,
    GAZETTEER,
    THESAURUS,
    ConsentTerms,
    TestimonyEntry,
)
from archive.publishing.consent_changes import (
    record_consent,
    record_naming,
    verify_consent,
    verify_naming,
    withdraw_consent,
)
from archive.publishing.services import approve, request_changes, submit_for_review, withdraw
from archive.testimonies.models import (
    Collection,
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
    Testimony,
    Transcript,
)
from archive.testimonies.references import allocate_reference, reference_year
from archive.testimonies.uploads import check_upload, describe_media

ADMIN_URL = "http://127.0.0.1:8000/admin/"

# Two archivists: consent counts only once an archivist other than the one who entered it
# has verified it.
DEMO_STAFF: tuple[tuple[str, Role], ...] = (
    ("demo-contributor", Role.CONTRIBUTOR),
    ("demo-moderator", Role.MODERATOR),
    ("demo-archivist", Role.ARCHIVIST),
    ("demo-archivist-2", Role.ARCHIVIST),
)

DEMO_RECORDING_NAME = "demo-recording.wav"
DEMO_RECORDING_SECONDS = 3
DEMO_RECORDING_RATE = 8000
SCHEDULED_AFTER = timedelta(days=30)

Status = Testimony.Status


@dataclass(frozen=True)
class StaffAccount:
    user: User
    role: Role
    password: str | None
    """The password, only when this run created the account."""


@dataclass(frozen=True)
class DemoStaff:
    contributor: User
    moderator: User
    archivist: User
    second_archivist: User


@dataclass(frozen=True)
class DemoArchive:
    accounts: list[StaffAccount]
    places: dict[str, Place]
    subjects: dict[str, Subject]
    collections: dict[str, Collection]
    testimonies: list[Testimony]
    created_testimonies: int
    recordings: list[MediaAsset]


def load_demo_archive() -> DemoArchive:
    """Load the whole demo archive in one transaction, or complete what is missing."""
    with transaction.atomic():
        accounts = load_staff_accounts()
        contributor, moderator, archivist, second_archivist = (a.user for a in accounts)
        staff = DemoStaff(contributor, moderator, archivist, second_archivist)
        places = load_gazetteer()
        subjects = load_thesaurus()
        collections = load_collections()
        testimonies: list[Testimony] = []
        recordings: list[MediaAsset] = []
        created_count = 0
        # In content order: Vera Petrosyan first, so an empty database gives her TA-2023-0001.
        for entry in DEMO_TESTIMONIES:
            testimony = Testimony.objects.filter(external_id=entry.key).first()
            if testimony is None:
                testimony = load_testimony(
                    entry, staff=staff, places=places, subjects=subjects, collections=collections
                )
                created_count += 1
            testimonies.append(testimony)
            if entry.recording_access is not None and (
                recording := restore_demo_recording(testimony)
            ):
                recordings.append(recording)
    return DemoArchive(
        accounts=accounts,
        places=places,
        subjects=subjects,
        collections=collections,
        testimonies=testimonies,
        created_testimonies=created_count,
        recordings=recordings,
    )


def load_staff_accounts() -> list[StaffAccount]:
    """One staff account per role (two archivists), in DEMO_STAFF order. A new account gets a
    random password, returned once; an existing one keeps its password, since someone may
    already be using it. No e-mail address: the demo's submissions send no notifications."""
    accounts = []
    for username, role in DEMO_STAFF:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"is_staff": True, "first_name": "Demo", "last_name": role.label},
        )
        password = None
        if created:
            password = secrets.token_urlsafe(16)
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role.value))
        accounts.append(StaffAccount(user=user, role=role, password=password))
    return accounts


def ensure_row[M: Model](model: type[M], defaults: dict[str, Any], **lookup: Any) -> M:
    """Find a row by `lookup`, create it, or bring it up to date with `defaults`, saving only
    when something differs: a save re-indexes every testimony that names the row, so a
    second run of the demo must not save rows it leaves as they are."""
    manager = model._default_manager
    row = manager.filter(**lookup).first()
    if row is None:
        return manager.create(**lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    if changed:
        for name in changed:
            setattr(row, name, defaults[name])
        row.save(update_fields=changed)
    return row


def load_gazetteer() -> dict[str, Place]:
    """The demo's places with their name variants, keyed by catalogue name."""
    places: dict[str, Place] = {}
    for entry in GAZETTEER:
        latitude = longitude = None
        if entry.latitude is not None and entry.longitude is not None:
            latitude, longitude = Decimal(entry.latitude), Decimal(entry.longitude)
        place = ensure_row(
            Place,
            parent=places[entry.parent] if entry.parent else None,
            name=entry.name,
            defaults={
                "kind": entry.kind,
                "latitude": latitude,
                "longitude": longitude,
                "note": entry.note,
            },
        )
        for language, name in entry.names:
            PlaceName.objects.get_or_create(place=place, name=name, language=language)
        places[entry.name] = place
    return places


def load_thesaurus() -> dict[str, Subject]:
    """The demo's subjects with their alternative labels, keyed by preferred label."""
    subjects: dict[str, Subject] = {}
    for entry in THESAURUS:
        subject = ensure_row(
            Subject,
            label=entry.label,
            defaults={
                "parent": subjects[entry.parent] if entry.parent else None,
                "scope_note": entry.scope_note,
            },
        )
        for language, name in entry.labels:
            SubjectLabel.objects.get_or_create(subject=subject, name=name, language=language)
        subjects[entry.label] = subject
    return subjects


def load_collections() -> dict[str, Collection]:
    collections: dict[str, Collection] = {}
    for entry in COLLECTIONS:
        collection = ensure_row(
            Collection,
            slug=entry.slug,
            defaults={"title": entry.title, "description": entry.description},
        )
        collections[entry.slug] = collection
    return collections


def load_testimony(
    entry: TestimonyEntry,
    *,
    staff: DemoStaff,
    places: dict[str, Place],
    subjects: dict[str, Subject],
    collections: dict[str, Collection],
) -> Testimony:
    """Create one demo testimony and take it, through the services, to its demo status."""
    narrator = Narrator.objects.create(
        birth_year=entry.narrator.birth_year,
        occupation=entry.narrator.occupation,
        place_of_origin=places[entry.narrator.place_of_origin]
        if entry.narrator.place_of_origin
        else None,
    )
    if entry.narrator.given_name:
        NarratorIdentity.objects.create(
            narrator=narrator,
            given_name=entry.narrator.given_name,
            family_name=entry.narrator.family_name,
            name_in_original_script=entry.narrator.name_in_original_script,
            notes="A fictional person, written for the demo archive."
            if entry.narrator.fictional
            else "",
        )
    if entry.narrator.attribution != Narrator.Attribution.ANONYMOUS:
        # How they asked to be named is consent: recorded by one archivist, verified by another.
        record_naming(
            narrator,
            actor=staff.archivist,
            attribution=entry.narrator.attribution,
            pseudonym=entry.narrator.pseudonym,
        )
        narrator = verify_naming(narrator, actor=staff.second_archivist)
    testimony = Testimony.objects.create(
        reference=allocate_reference(reference_year(entry.recorded_on)),
        external_id=entry.key,
        title=entry.title,
        summary=entry.summary,
        narrator=narrator,
        interviewer=entry.interviewer,
        recorded_on=entry.recorded_on,
        recorded_precision=entry.recorded_precision,
        recording_place=places[entry.recording_place] if entry.recording_place else None,
        period_start_year=entry.period[0] if entry.period else None,
        period_end_year=entry.period[1] if entry.period else None,
        collection=collections[entry.collection] if entry.collection else None,
        source=entry.source,
        rights_statement=entry.rights_statement,
        content_notes=entry.content_notes,
        access_level=entry.access_level,
        created_by=staff.contributor,
    )
    Transcript.objects.create(
        testimony=testimony,
        language=entry.transcript.language,
        is_original=True,
        text=entry.transcript.text,
    )
    if entry.translation is not None:
        Transcript.objects.create(
            testimony=testimony,
            language=entry.translation.language,
            translator=entry.translation.translator,
            text=entry.translation.text,
        )
    testimony.places.set([places[name] for name in entry.places])
    testimony.subjects.set([subjects[label] for label in entry.subjects])
    record_audit("testimonies.create", actor=staff.contributor, obj=testimony)
    if entry.recording_access is not None:
        attach_demo_recording(testimony, entry.recording_access)
    consent = give_consent(testimony, entry.consent, staff=staff) if entry.consent else None
    move_through_workflow(testimony, entry, consent=consent, staff=staff)
    testimony.refresh_from_db()
    return testimony


def give_consent(testimony: Testimony, terms: ConsentTerms, *, staff: DemoStaff) -> ConsentRecord:
    """The narrator's consent, entered by one archivist and, unless the demo shows an
    unverified one, verified by the other."""
    record = record_consent(
        actor=staff.archivist,
        narrator=testimony.narrator,
        testimonies=[testimony],
        given_on=testimony.recorded_on or timezone.localdate(),
        method=terms.method,
        obtained_by=testimony.interviewer if terms.obtained_by is None else terms.obtained_by,
        form_version="demo-1",
        form_language=terms.form_language,
        narrator_is_minor=bool(terms.guardian),
        guardian=terms.guardian,
        allows_archiving=terms.allows_archiving,
        allows_researcher_access=terms.allows_researcher_access,
        allows_public_metadata=terms.allows_public_metadata,
        allows_public_transcript=terms.allows_public_transcript,
        allows_public_audio=terms.allows_public_audio,
        allows_name_disclosure=terms.allows_name_disclosure,
        allows_quotation=terms.allows_quotation,
        embargo_until=embargo_end(terms.embargo_years),
    )
    if terms.verified:
        record = verify_consent(record, actor=staff.second_archivist)
    return record


def embargo_end(years: int | None) -> date | None:
    # Counted from today, so the demo's embargo has always still to run.
    return None if years is None else date(timezone.localdate().year + years, 1, 1)


def move_through_workflow(
    testimony: Testimony,
    entry: TestimonyEntry,
    *,
    consent: ConsentRecord | None,
    staff: DemoStaff,
) -> None:
    """Submit, decide and withdraw as people would, so revisions, reviews, the audit log and
    the stored disclosures are exactly what the workflow makes."""
    if entry.status == Status.DRAFT:
        return
    review = submit_for_review(testimony, actor=staff.contributor, comment="Demo submission.")
    if entry.status == Status.IN_REVIEW:
        return
    if entry.status == Status.CHANGES_REQUESTED:
        request_changes(review, actor=staff.moderator, comment=entry.review_comment)
        return
    if entry.status == Status.SCHEDULED:
        approve(review, actor=staff.moderator, publish_at=timezone.now() + SCHEDULED_AFTER)
        return
    approve(review, actor=staff.moderator)
    if entry.status == Status.WITHDRAWN:
        if consent is not None and entry.consent is not None and entry.consent.withdrawn:
            withdraw_consent(
                consent,
                actor=staff.archivist,
                scope=ConsentRecord.WithdrawalScope.UNPUBLISH,
                note=entry.consent.withdrawal_note,
            )
        withdraw(testimony, actor=staff.moderator, reason=entry.withdrawal_reason)


def attach_demo_recording(testimony: Testimony, access_level: str) -> MediaAsset:
    """Store the demo tone as an audio file of this testimony."""
    asset = MediaAsset(
        testimony=testimony,
        kind=MediaAsset.Kind.AUDIO,
        access_level=access_level,
        duration_seconds=Decimal(DEMO_RECORDING_SECONDS),
        caption="Demo recording: a generated tone standing in for the interview; no voice.",
    )
    _store_demo_tone(asset)
    return asset


def restore_demo_recording(testimony: Testimony) -> MediaAsset | None:
    """The testimony's demo recording, with its file written again if storage lost it (a
    wiped var/media): same bytes, same checksum, so its revisions stay true."""
    asset = testimony.media.filter(
        kind=MediaAsset.Kind.AUDIO, original_name=DEMO_RECORDING_NAME
    ).first()
    if asset is not None and not (asset.file.name and asset.file.storage.exists(asset.file.name)):
        _store_demo_tone(asset)
    return asset


def _store_demo_tone(asset: MediaAsset) -> None:
    # Through the same checks as an upload in the admin, as any importer should.
    upload = ContentFile(demo_tone_wav(), name=DEMO_RECORDING_NAME)
    describe_media(asset, check_upload(upload, purpose=MediaAsset.Kind.AUDIO))
    asset.file.save(str(upload.name), upload, save=False)
    asset.save()


def demo_tone_wav() -> bytes:
    """A quiet three-note chime as 16-bit mono WAV at 8 kHz (about 48 KB).

    Generated rather than shipped so the repository holds no binary, and identical on every
    run so its checksum is stable.
    """
    notes_hz = (440.0, 554.37, 659.25)
    per_note = DEMO_RECORDING_RATE * DEMO_RECORDING_SECONDS // len(notes_hz)
    fade = DEMO_RECORDING_RATE // 50
    amplitude = 3000  # about a tenth of full scale: audible, never loud
    samples = array.array("h")
    for frequency in notes_hz:
        for n in range(per_note):
            # A short fade at both ends of each note avoids clicks.
            envelope = min(1.0, n / fade, (per_note - n) / fade)
            phase = 2 * math.pi * frequency * n / DEMO_RECORDING_RATE
            samples.append(round(amplitude * envelope * math.sin(phase)))
    if sys.byteorder == "big":
        samples.byteswap()  # WAV samples are little-endian
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(DEMO_RECORDING_RATE)
        wav.writeframes(samples.tobytes())
    return buffer.getvalue()
