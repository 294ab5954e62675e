"""`manage.py generate_corpus`: deterministic synthetic testimonies for benchmarks."""

import hashlib
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from archive.audit.models import AuditEntry
from archive.consent.disclosures import refresh_stored_disclosures
from archive.consent.models import ConsentRecord
from archive.publishing.snapshots import build_snapshot
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony, Transcript

pytestmark = pytest.mark.django_db


def generate(count: int = 50, seed: int = 7, **options: int) -> str:
    out = io.StringIO()
    call_command("generate_corpus", count=count, seed=seed, stdout=out, **options)
    return out.getvalue()


def corpus(seed: int = 7):
    return Testimony.objects.filter(external_id__startswith=f"corpus:{seed}:")


def content_digest(seed: int = 7, *, up_to: int | None = None) -> str:
    """What the seed decides, without what the database decides (ids, references, times)."""
    testimonies = corpus(seed)
    if up_to is not None:
        testimonies = testimonies.filter(
            external_id__in=[f"corpus:{seed}:{index}" for index in range(1, up_to + 1)]
        )
    rows = []
    for testimony in testimonies.order_by("external_id").prefetch_related(
        "transcripts", "places", "subjects"
    ):
        rows.append(
            [
                testimony.external_id,
                testimony.title,
                testimony.summary,
                testimony.status,
                testimony.access_level,
                str(testimony.recorded_on),
                sorted(place.name for place in testimony.places.all()),
                sorted(subject.label for subject in testimony.subjects.all()),
                sorted(
                    [t.language, t.is_original, t.translator, t.text]
                    for t in testimony.transcripts.all()
                ),
            ]
        )
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()


def digest_of_a_fresh_run(seed: int) -> str:
    """Generate into the empty database, digest, and roll everything back."""
    with transaction.atomic():
        generate(seed=seed)
        digest = content_digest(seed)
        transaction.set_rollback(True)
    assert not Testimony.objects.exists()
    return digest


def test_it_makes_the_same_corpus_from_the_same_seed():
    first = digest_of_a_fresh_run(seed=7)
    second = digest_of_a_fresh_run(seed=7)
    other_seed = digest_of_a_fresh_run(seed=8)

    assert first == second
    assert other_seed != first


def test_it_skips_the_testimonies_that_exist_on_a_rerun():
    generate(count=50)
    digest_of_first_fifty = content_digest()

    rerun = generate(count=50)
    assert corpus().count() == 50
    assert "Created 0 testimonies, skipped 50" in rerun
    assert Narrator.objects.count() == 50

    generate(count=60)
    assert corpus().count() == 60
    assert content_digest(up_to=50) == digest_of_first_fifty


def test_it_writes_transcripts_of_2_to_20_kb_in_english_russian_and_armenian():
    generate(count=50)
    transcripts = Transcript.objects.filter(testimony__in=corpus())
    originals = transcripts.filter(is_original=True)

    assert originals.count() == 50
    assert {"en", "ru", "hy"} <= set(originals.values_list("language", flat=True))
    assert transcripts.filter(is_original=False, language="en").exclude(translator="").exists()
    for transcript in transcripts:
        assert 2 * 1024 <= len(transcript.text.encode()) <= 20 * 1000
        assert len(transcript.paragraphs) >= 2


def test_it_prints_progress_and_the_rate():
    output = generate(count=50, batch_size=20)

    assert len(re.findall(r"^  [\d,]+/50 \([\d,]+ testimonies/s\)$", output, re.MULTILINE)) == 3
    assert re.search(r"Created 50 testimonies, skipped 0 .*: [\d,]+ testimonies/s\.", output)


def test_it_leaves_what_the_workflow_would_have_left():
    generate(count=50, batch_size=20)
    testimonies = list(corpus().select_related("live_revision"))
    statuses = {testimony.status for testimony in testimonies}

    assert Testimony.Status.PUBLISHED in statuses
    assert len(statuses) >= 3
    assert refresh_stored_disclosures([t.pk for t in testimonies]) == 0
    for testimony in testimonies:
        live = testimony.status == Testimony.Status.PUBLISHED
        assert (testimony.live_revision is not None) == live
        if live:
            assert testimony.live_revision.content == build_snapshot(testimony)
    verified = ConsentRecord.objects.filter(verified_by__isnull=False)
    assert verified.exists()
    assert not verified.filter(verified_by=F("recorded_by")).exists()


def test_it_moves_the_corpus_through_the_publishing_service():
    generate(count=50, batch_size=20)
    submitted = corpus().exclude(status=Testimony.Status.DRAFT)

    entries = AuditEntry.objects.filter(action="publishing.place_generated")
    assert sorted(entries.values_list("testimony_id", flat=True)) == sorted(
        submitted.values_list("pk", flat=True)
    )
    assert set(entries.values_list("actor__username", flat=True)) == {"corpus-verifier"}


def test_it_creates_only_valid_objects():
    generate(count=50, batch_size=20)

    for model in (Testimony, Transcript, Narrator, NarratorIdentity, ConsentRecord):
        for instance in model.objects.all():
            instance.full_clean()


def test_it_refuses_a_count_below_one():
    with pytest.raises(CommandError):
        generate(count=0)
    assert not Testimony.objects.exists()
