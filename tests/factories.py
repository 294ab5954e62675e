"""Small factories with keyword overrides: each makes a valid object with as little as possible."""

import io
import itertools
import random
import wave
from datetime import date
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone

from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.testimonies.files import inspect_file
from archive.testimonies.models import (
    AccessLevel,
    Collection,
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Place,
    Subject,
    Testimony,
    Transcript,
)
from archive.testimonies.references import allocate_reference, reference_year

_sequence = itertools.count(1)

TEST_PASSWORD = "correct horse battery staple"


def make_user(*, role: Role | None = None, **fields: Any) -> User:
    number = next(_sequence)
    fields.setdefault("username", f"user{number}")
    fields.setdefault("email", f"user{number}@example.org")
    fields.setdefault("is_staff", role is not None)
    user = User.objects.create_user(password=TEST_PASSWORD, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


def make_place(**fields: Any) -> Place:
    fields.setdefault("name", f"Place {next(_sequence)}")
    return Place.objects.create(**fields)


def make_subject(**fields: Any) -> Subject:
    fields.setdefault("label", f"Subject {next(_sequence)}")
    return Subject.objects.create(**fields)


def make_collection(**fields: Any) -> Collection:
    number = next(_sequence)
    fields.setdefault("title", f"Collection {number}")
    fields.setdefault("slug", f"collection-{number}")
    return Collection.objects.create(**fields)


def make_narrator(
    *,
    given_name: str | None = None,
    family_name: str = "",
    naming_verified: bool = True,
    **fields: Any,
) -> Narrator:
    """A narrator; how they asked to be named counts as recorded and verified by two
    archivists unless `naming_verified=False`."""
    if naming_verified:
        fields.setdefault("naming_verified_at", timezone.now())
    narrator = Narrator.objects.create(**fields)
    if given_name is not None:
        NarratorIdentity.objects.create(
            narrator=narrator, given_name=given_name, family_name=family_name
        )
    return narrator


def make_testimony(
    *,
    transcript: str | None = "An account.",
    language: str = "en",
    **fields: Any,
) -> Testimony:
    fields.setdefault("title", f"Testimony {next(_sequence)}")
    if "narrator" not in fields:
        fields["narrator"] = make_narrator()
    fields.setdefault("reference", allocate_reference(reference_year(fields.get("recorded_on"))))
    testimony = Testimony.objects.create(**fields)
    if transcript is not None:
        Transcript.objects.create(
            testimony=testimony, language=language, is_original=True, text=transcript
        )
    return testimony


def wav_bytes(*, seconds: float = 1.0, rate: int = 8000, seed: int = 0) -> bytes:
    """A 16-bit mono WAV of noise: a real file for libmagic, wave and browsers, whose
    every stretch of bytes differs from the others (so ranges can be compared)."""
    frames = int(seconds * rate)
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(rate)
        recording.writeframes(random.Random(seed).randbytes(frames * 2))
    return buffer.getvalue()


def make_media(
    *,
    testimony: Testimony,
    content: bytes = b"RIFF\x24\x00\x00\x00WAVEfmt ",
    name: str = "recording.wav",
    **fields: Any,
) -> MediaAsset:
    fields.setdefault("kind", MediaAsset.Kind.AUDIO)
    fields.setdefault("access_level", AccessLevel.PUBLIC)
    upload = ContentFile(content, name=name)
    facts = inspect_file(upload)
    asset = MediaAsset(
        testimony=testimony,
        original_name=name,
        size_bytes=facts.size_bytes,
        sha256=facts.sha256,
        mime_type=facts.mime_type,
        **fields,
    )
    asset.file.save(name, upload, save=False)
    asset.save()
    return asset


def make_consent(
    *,
    narrator: Narrator,
    testimonies: list[Testimony] | None = None,
    recorded_by: User | None = None,
    verified_by: User | None = None,
    **fields: Any,
) -> ConsentRecord:
    fields.setdefault("given_on", date(2023, 9, 26))
    fields.setdefault("method", ConsentRecord.Method.ELECTRONIC)
    record = ConsentRecord.objects.create(
        narrator=narrator,
        recorded_by=recorded_by or make_user(role=Role.ARCHIVIST),
        verified_by=verified_by,
        verified_at=timezone.now() if verified_by else None,
        **fields,
    )
    record.testimonies.set(testimonies or [])
    return record


FULL_CONSENT = dict.fromkeys(SCOPE_FLAGS, True)


def make_verified_consent(
    *, narrator: Narrator, testimonies: list[Testimony], **flags: Any
) -> ConsentRecord:
    """A consent recorded by one archivist and verified by another, granting everything
    unless told otherwise."""
    return make_consent(
        narrator=narrator,
        testimonies=testimonies,
        recorded_by=make_user(role=Role.ARCHIVIST),
        verified_by=make_user(role=Role.ARCHIVIST),
        **{**FULL_CONSENT, **flags},
    )


def make_live_testimony(
    *,
    submitter: User | None = None,
    approver: User | None = None,
    consent: dict[str, Any] | None = None,
    media: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Testimony:
    """A testimony that went through the real workflow: consent verified, submitted by a
    contributor, approved by a moderator. `media` lists make_media keywords for files in
    the approved revision."""
    from archive.publishing.services import approve, submit_for_review

    fields.setdefault("access_level", AccessLevel.PUBLIC)
    places, subjects = fields.pop("places", []), fields.pop("subjects", [])
    testimony = make_testimony(**fields)
    testimony.places.set(places)
    testimony.subjects.set(subjects)
    for overrides in media or []:
        make_media(testimony=testimony, **overrides)
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony], **(consent or {}))
    review = submit_for_review(testimony, actor=submitter or make_user(role=Role.CONTRIBUTOR))
    approve(review, actor=approver or make_user(role=Role.MODERATOR))
    testimony.refresh_from_db()
    return testimony
