"""A small archive rich enough for BagIt tests: every part a bag carries, every kind of
testimony (public, pseudonymous, with a restricted transcript, a draft, a withdrawn one)."""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from archive.accounts.models import User
from archive.publishing.services import approve, submit_for_review, withdraw
from archive.testimonies.models import (
    AccessLevel,
    MediaAsset,
    Narrator,
    PlaceName,
    SubjectLabel,
    Testimony,
    Transcript,
    TranscriptSegment,
)
from tests.factories import (
    make_collection,
    make_media,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_verified_consent,
    wav_bytes,
)

EVIDENCE = b"%PDF-1.4\n% signed consent form of the narrator\n%%EOF\n"
RESTRICTED_WORDS = "the name of the village elder, kept for researchers"


@dataclass
class SmallArchive:
    vera: Testimony  # published, public, named, two transcripts, segments, audio, evidence
    pseudonymous: Testimony  # published, public, pseudonym "Lilit" with a real identity
    transcript_restricted: Testimony  # published, transcript for researchers only
    draft: Testimony
    withdrawn: Testimony


def publish(testimony: Testimony, *, submitter: User, approver: User) -> Testimony:
    review = submit_for_review(testimony, actor=submitter)
    approve(review, actor=approver)
    testimony.refresh_from_db()
    return testimony


@pytest.fixture
def small_archive(contributor: User, moderator: User, archivist: User) -> SmallArchive:
    armenia = make_place(name="Armenia", kind="country")
    stepanakert = make_place(
        name="Stepanakert",
        kind="city",
        parent=armenia,
        latitude=Decimal("39.81500"),
        longitude=Decimal("46.75190"),
    )
    PlaceName.objects.create(place=stepanakert, name="Ստեփանակերտ", language="hy")
    PlaceName.objects.create(place=stepanakert, name="Степанакерт", language="ru")
    exile = make_subject(label="Displacement")
    flight = make_subject(label="Flight", parent=exile)
    SubjectLabel.objects.create(subject=flight, name="Փախուստ", language="hy")
    collection = make_collection(title="Karabakh 2023", slug="karabakh-2023")

    vera_narrator = make_narrator(
        given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
    )
    vera = make_testimony(
        title="Leaving Stepanakert",
        summary="A teacher's last days in the city.",
        narrator=vera_narrator,
        transcript="Մենք գնացինք։\n\nՄենք չենք վերադառնա։",
        language="hy",
        recording_place=stepanakert,
        collection=collection,
        access_level=AccessLevel.PUBLIC,
    )
    vera.places.set([stepanakert])
    vera.subjects.set([flight])
    Transcript.objects.create(
        testimony=vera, language="en", translator="A. Translator", text="We left.\n\nNo return."
    )
    audio = make_media(testimony=vera, content=wav_bytes(seconds=0.5), name="vera.wav")
    make_media(
        testimony=vera,
        content=wav_bytes(seconds=0.2, seed=7),
        name="vera-face.wav",
        kind=MediaAsset.Kind.AUDIO,
        access_level=AccessLevel.STAFF,
    )
    original = vera.transcripts.get(language="hy")
    TranscriptSegment.objects.create(
        transcript=original, recording=audio, position=1, start_seconds=Decimal("0"),
        end_seconds=Decimal("0.25"), text="Մենք գնացինք։",
    )  # fmt: skip
    TranscriptSegment.objects.create(
        transcript=original, recording=audio, position=2, start_seconds=Decimal("0.25"),
        text="Մենք չենք վերադառնա։",
    )  # fmt: skip
    make_verified_consent(
        narrator=vera_narrator,
        testimonies=[vera],
        method="signed_form",
        evidence=ContentFile(EVIDENCE, name="signed form of Vera Petrosyan.pdf"),
    )
    publish(vera, submitter=contributor, approver=moderator)

    lilit = make_narrator(
        given_name="Anahit",
        family_name="Sargsyan",
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Lilit",
    )
    pseudonymous = make_testimony(title="The road to Goris", narrator=lilit, access_level="public")
    make_verified_consent(narrator=lilit, testimonies=[pseudonymous])
    publish(pseudonymous, submitter=contributor, approver=moderator)

    transcript_restricted = make_testimony(
        title="The elder's house", transcript=RESTRICTED_WORDS, access_level="public"
    )
    make_verified_consent(
        narrator=transcript_restricted.narrator,
        testimonies=[transcript_restricted],
        allows_public_transcript=False,
    )
    publish(transcript_restricted, submitter=contributor, approver=moderator)

    draft = make_testimony(title="An unfinished draft", transcript="Not yet approved text.")

    withdrawn = make_testimony(title="A withdrawn account", access_level="public")
    make_verified_consent(narrator=withdrawn.narrator, testimonies=[withdrawn])
    publish(withdrawn, submitter=contributor, approver=moderator)
    withdraw(withdrawn, actor=archivist, reason="The narrator asked us to.")
    withdrawn.refresh_from_db()

    return SmallArchive(
        vera=vera,
        pseudonymous=pseudonymous,
        transcript_restricted=transcript_restricted,
        draft=draft,
        withdrawn=withdrawn,
    )


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by its path relative to it."""
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def empty_the_archive() -> None:
    """Delete every row an import recreates, children first, as if the database were new.
    The audit log refuses deletion through its own manager; a test may go around it."""
    from archive.audit.models import AuditEntry
    from archive.consent.models import ConsentRecord, StoredDisclosure
    from archive.publishing.models import Review, Revision
    from archive.testimonies.models import (
        Collection,
        NarratorIdentity,
        Place,
        PlaceName,
        ReferenceSequence,
        Subject,
        SubjectLabel,
    )

    AuditEntry._base_manager.all().delete()
    Review.objects.all().delete()
    StoredDisclosure.objects.all().delete()
    ConsentRecord.objects.update(supersedes=None)
    ConsentRecord.objects.all().delete()
    Testimony.objects.update(live_revision=None, status=Testimony.Status.DRAFT, erased_at=None)
    Revision.objects.all().delete()
    Testimony.objects.all().delete()
    NarratorIdentity.objects.all().delete()
    Narrator.objects.all().delete()
    PlaceName.objects.all().delete()
    SubjectLabel.objects.all().delete()
    Place.objects.update(parent=None)
    Place.objects.all().delete()
    Subject.objects.update(parent=None)
    Subject.objects.all().delete()
    Collection.objects.all().delete()
    ReferenceSequence.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def bags(tmp_path: Path) -> Path:
    """A folder for bags, apart from the test's index and storage (also under tmp_path)."""
    return tmp_path / "bags"
