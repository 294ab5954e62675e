"""`manage.py seed_demo`: the demo archive, loaded through the real workflow, once.

Loading takes seconds (every testimony goes through the services), so the tests that only
read the archive share one load (LoadedArchiveTests), rolled back after the class; the
tests of re-running load their own into an empty database.
"""

import hashlib
import io
import re
import wave
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import transaction
from django.test import RequestFactory, override_settings
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.models import AuditEntry
from archive.consent.models import ConsentRecord, StoredDisclosure
from archive.demo.seed import load_demo_archive
from archive.publishing.models import Review, Revision
from archive.testimonies.models import (
    AccessLevel,
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

pytestmark = pytest.mark.django_db

COUNTED = [
    Testimony,
    Transcript,
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
    Collection,
    ConsentRecord,
    User,
    Revision,
    Review,
    AuditEntry,
    StoredDisclosure,
]
CREATED = re.compile(r"^\s+(\S+) \(\w+\) created, password: (\S+)$", re.MULTILINE)


def storages_at(location: Path) -> dict[str, Any]:
    from django.conf import settings

    return {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Path]:
    """The demo archive loaded once into an empty database; yields its file storage."""
    storage = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages_at(storage)),
        transaction.atomic(),
    ):
        load_demo_archive()
        yield storage
        transaction.set_rollback(True)


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot_counts(storage: Path) -> dict[str, int]:
    counts = {model._meta.label: model._default_manager.count() for model in COUNTED}
    counts["files in storage"] = sum(1 for path in storage.rglob("*") if path.is_file())
    return counts


def vera() -> Testimony:
    return Testimony.objects.get(external_id="demo:vera-petrosyan")


def test_it_creates_nothing_twice_and_shows_each_password_once(private_storage):
    first = seed_demo()
    after_first = snapshot_counts(private_storage)
    second = seed_demo()

    assert snapshot_counts(private_storage) == after_first
    assert after_first["testimonies.Testimony"] == 41
    assert after_first["files in storage"] == 2
    assert CREATED.findall(second) == []
    assert second.count("already exists; its password was not changed") == 4
    assert "http://127.0.0.1:8000/admin/" in second
    accounts = CREATED.findall(first)
    assert {username for username, _ in accounts} == {
        "demo-contributor",
        "demo-moderator",
        "demo-archivist",
        "demo-archivist-2",
    }
    for username, password in accounts:
        assert password not in second
        assert User.objects.get(username=username).is_staff
        request = RequestFactory().post("/accounts/login/")
        assert authenticate(request, username=username, password=password), username


def test_it_writes_a_lost_recording_again_without_adding_one():
    load_demo_archive()
    recording = vera().media.get()
    assert recording.file.name
    recording.file.storage.delete(recording.file.name)

    load_demo_archive()

    restored = vera().media.get()
    assert restored.pk == recording.pk
    assert restored.file.name
    assert restored.file.storage.exists(restored.file.name)
    with restored.file.open("rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == recording.sha256


class LoadedArchiveTests:
    def test_it_catalogues_vera_petrosyan_first_and_publishes_her_account(self, demo):
        testimony = vera()
        original = testimony.transcripts.get(is_original=True)
        consent = testimony.consent_records.get()

        assert testimony.reference == "TA-2023-0001"
        assert testimony.status == Testimony.Status.PUBLISHED
        assert testimony.access_level == AccessLevel.PUBLIC
        assert original.language == "en"
        assert "I left everything behind" in original.text
        assert testimony.narrator.attributed_name == "Vera Petrosyan"
        assert testimony.narrator.identity.name_in_original_script == "Վերա Պետրոսյան"
        assert testimony.narrator.birth_year == 1953
        assert testimony.recorded_on == date(2023, 9, 26)
        assert testimony.recorded_precision == Testimony.DatePrecision.DAY
        assert {place.name for place in testimony.places.all()} >= {
            "Nagorno-Karabakh",
            "Stepanakert",
        }
        assert consent.is_verified
        assert consent.verified_by_id != consent.recorded_by_id
        assert all(
            getattr(consent, flag)
            for flag in (
                "allows_archiving",
                "allows_researcher_access",
                "allows_public_metadata",
                "allows_public_transcript",
                "allows_public_audio",
                "allows_name_disclosure",
                "allows_quotation",
            )
        )
        assert testimony in Testimony.objects.visible_to(AnonymousUser())

    def test_it_takes_each_testimony_through_the_workflow(self, demo):
        published = Testimony.objects.filter(status=Testimony.Status.PUBLISHED)

        assert published.exists()
        for testimony in published:
            review = testimony.reviews.get()
            assert testimony.live_revision == review.revision
            assert review.decision == Review.Decision.APPROVED
            assert review.decided_by_id != review.submitted_by_id
        scheduled = Testimony.objects.get(status=Testimony.Status.SCHEDULED)
        publish_at = scheduled.reviews.get().publish_at
        assert publish_at is not None
        assert publish_at > timezone.now()
        assert (
            AuditEntry.objects.filter(action="publishing.approve").count() == published.count() + 2
        )

    def test_it_covers_every_status_access_level_and_consent_situation(self, demo):
        today = timezone.localdate()
        consents = ConsentRecord.objects.all()

        assert set(Testimony.objects.values_list("status", flat=True)) == set(
            Testimony.Status.values
        )
        assert set(Testimony.objects.values_list("access_level", flat=True)) == set(
            AccessLevel.values
        )
        assert consents.filter(verified_at__isnull=False).exists()
        assert consents.filter(verified_at__isnull=True).exists()
        assert Testimony.objects.filter(consent_records__isnull=True).exists()
        assert consents.filter(allows_public_metadata=True, allows_public_audio=False).exists()
        assert consents.filter(narrator_is_minor=True).exclude(guardian="").exists()

        embargoed = consents.get(embargo_until__gt=today)
        assert embargoed.testimonies.get().status == Testimony.Status.PUBLISHED
        assert embargoed.testimonies.get() not in Testimony.objects.visible_to(AnonymousUser())

        withdrawn = consents.get(withdrawn_at__isnull=False)
        assert withdrawn.withdrawal_scope == ConsentRecord.WithdrawalScope.UNPUBLISH
        assert withdrawn.withdrawal_recorded_by is not None
        assert withdrawn.testimonies.get().status == Testimony.Status.WITHDRAWN

    def test_it_keeps_pseudonymous_and_anonymous_narrators_unnamed(self, demo):
        pseudonymous = Narrator.objects.filter(attribution=Narrator.Attribution.PSEUDONYM)
        anonymous = Narrator.objects.filter(attribution=Narrator.Attribution.ANONYMOUS)

        assert pseudonymous.count() >= 1
        assert anonymous.count() >= 1
        anahit = pseudonymous.get(pseudonym="Anahit P.")
        assert anahit.identity.family_name == "Hakobyan"
        assert anahit.attributed_name == "Anahit P."
        for narrator in [*pseudonymous, *anonymous]:
            assert not narrator.consent_records.filter(allows_name_disclosure=True).exists()
            identity = narrator.identity_or_none()
            guarded = identity.names_to_guard() if identity else []
            for testimony in narrator.testimonies.all():
                published_text = " ".join(
                    [testimony.title, testimony.summary]
                    + [transcript.text for transcript in testimony.transcripts.all()]
                )
                for name in guarded:
                    assert name.casefold() not in published_text.casefold()
        assert all(n.attributed_name == f"Narrator {n.pk}" for n in anonymous)

    def test_it_has_originals_and_translations_in_english_russian_and_armenian(self, demo):
        originals = Transcript.objects.filter(is_original=True)
        russian = " ".join(originals.filter(language="ru").values_list("text", flat=True))
        armenian = " ".join(originals.filter(language="hy").values_list("text", flat=True))

        assert set(originals.values_list("language", flat=True)) == {"en", "ru", "hy"}
        assert Transcript.objects.filter(is_original=False, language="en").exclude(translator="")
        assert re.search(r"(?<!\w)деревня(?!\w)", russian)
        assert re.search(r"(?<!\w)деревнях(?!\w)", russian)
        for form in ("գյուղ", "գյուղից", "գյուղում"):
            assert re.search(rf"(?<!\w){form}(?!\w)", armenian), form
        for transcript in Transcript.objects.all():
            assert len(transcript.paragraphs) >= 1
        synthetic = originals.exclude(testimony__external_id="demo:vera-petrosyan")
        assert all(len(transcript.paragraphs) >= 3 for transcript in synthetic)

    def test_it_names_places_in_armenian_russian_and_azerbaijani(self, demo):
        stepanakert = Place.objects.get(name="Stepanakert")
        goris = Place.objects.get(name="Goris")

        assert set(stepanakert.names.values_list("language", "name")) >= {
            ("en", "Khankendi"),
            ("az-Latn", "Xankəndi"),
            ("hy", "Ստեփանակերտ"),
            ("ru", "Степанакерт"),
        }
        assert Place.objects.get(children=stepanakert).name == "Nagorno-Karabakh"
        assert [place.pk for place in goris.ancestors()] == [
            Place.objects.get(name="Syunik Province").pk,
            Place.objects.get(name="Armenia").pk,
        ]
        assert ("az-Latn", "Şuşa") in set(
            Place.objects.get(name="Shushi").names.values_list("language", "name")
        )
        for place in Place.objects.all():
            languages = set(place.names.values_list("language", flat=True))
            assert {"hy", "ru"} <= languages, place.name
        assert Subject.objects.get(children__label="2020 war").label == "War"
        assert SubjectLabel.objects.filter(subject__label="Blockade", language="hy").exists()

    def test_it_attaches_two_recordings_whose_bytes_match_their_checksums(self, demo, settings):
        settings.STORAGES = storages_at(demo)
        recordings = MediaAsset.objects.filter(kind=MediaAsset.Kind.AUDIO)

        assert recordings.count() == 2
        assert {(r.testimony.access_level, r.access_level) for r in recordings} == {
            (AccessLevel.PUBLIC, AccessLevel.PUBLIC),
            (AccessLevel.RESEARCHERS, AccessLevel.RESEARCHERS),
        }
        assert vera().media.get().kind == MediaAsset.Kind.AUDIO
        for recording in recordings:
            with recording.file.open("rb") as stored:
                data = stored.read()
            assert hashlib.sha256(data).hexdigest() == recording.sha256
            assert len(data) == recording.size_bytes < 100_000
            assert recording.mime_type.startswith("audio/")
            with recording.file.open("rb") as stored, wave.open(stored) as wav:
                assert (wav.getnchannels(), wav.getframerate()) == (1, 8000)
                assert 2 <= wav.getnframes() / wav.getframerate() <= 10

    def test_it_loads_only_valid_objects(self, demo):
        for model in (
            Testimony,
            Transcript,
            Narrator,
            NarratorIdentity,
            ConsentRecord,
            Place,
            PlaceName,
            Subject,
            SubjectLabel,
            Collection,
            MediaAsset,
        ):
            for instance in model._default_manager.all():
                instance.full_clean()
