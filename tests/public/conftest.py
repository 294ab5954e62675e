"""Fixtures for the site's pages: the search tests' archive (tests/search/conftest.py, with a
testimony of every kind), and one fully described testimony."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from archive.publishing.services import approve, submit_for_review
from archive.search.engine import forget_index
from archive.testimonies.models import (
    MediaAsset,
    Narrator,
    Testimony,
    Transcript,
    TranscriptSegment,
)
from tests.factories import (
    FULL_CONSENT,
    make_collection,
    make_consent,
    make_media,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
    wav_bytes,
)

# The search tests' module-wide archive, shared here (imported fixtures are registered).
from tests.search.conftest import archive, module_index_dir  # noqa: F401


@pytest.fixture(autouse=True)
def search_index(request: pytest.FixtureRequest, settings: Any, tmp_path: Path) -> Iterator[Path]:
    """Tests of the module-wide archive read the index it was built into (browse pages count
    from it, as the search page does); every other test has an index of its own."""
    if "archive" in request.fixturenames:
        settings.SEARCH_INDEX_DIR = request.getfixturevalue("module_index_dir")
        yield settings.SEARCH_INDEX_DIR
        return
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


@dataclass
class DescribedTestimony:
    testimony: Testimony
    audio: MediaAsset
    staff_audio: MediaAsset


def describe_testimony() -> DescribedTestimony:
    """A public testimony with every part: vocabulary, an original and a translation,
    time-coded passages, a public recording and one kept for staff, and a content note;
    published through the real workflow."""
    karabakh = make_place(name="Nagorno-Karabakh", kind="region")
    stepanakert = make_place(name="Stepanakert", kind="city", parent=karabakh)
    goris = make_place(name="Goris", kind="city")
    exodus = make_subject(label="Exodus of 2023")
    collection = make_collection(title="Exodus of September 2023", slug="exodus-2023")
    testimony = make_testimony(
        title="The last bus from Stepanakert",
        summary="A teacher remembers the day her town emptied.",
        narrator=make_narrator(
            given_name="Mariam",
            family_name="Khachatryan",
            attribution=Narrator.Attribution.PSEUDONYM,
            pseudonym="Mariam K.",
        ),
        interviewer="Ani Grigoryan",
        recorded_on=date(2023, 10, 2),
        recorded_precision="day",
        recording_place=goris,
        period_start_year=2020,
        period_end_year=2023,
        collection=collection,
        source="Recorded in a shelter for displaced families.",
        rights_statement="CC BY-NC 4.0",
        content_notes="Death of a family member; shelling.",
        access_level="public",
        language="hy",
        transcript="Մենք գյուղից գնացինք աշնանը։\n\nԳյուղերում ոչ ոք չմնաց։",
    )
    testimony.places.set([stepanakert])
    testimony.subjects.set([exodus])
    audio = make_media(
        testimony=testimony,
        content=wav_bytes(seconds=3.0),
        name="interview.wav",
        caption="The interview",
    )
    staff_audio = make_media(
        testimony=testimony,
        content=wav_bytes(seconds=1.0, seed=2),
        name="Khachatryan-private.wav",
        access_level="staff",
    )
    translation = Transcript.objects.create(
        testimony=testimony,
        language="en",
        is_original=False,
        translator="Lilit Avetisyan",
        text="We left the village in autumn.\n\nNobody stayed in the villages.",
    )
    TranscriptSegment.objects.create(
        transcript=translation,
        recording=audio,
        position=1,
        start_seconds=Decimal("0"),
        end_seconds=Decimal("1.5"),
        text="We left the village in autumn.",
    )
    TranscriptSegment.objects.create(
        transcript=translation,
        recording=audio,
        position=2,
        start_seconds=Decimal("83"),
        text="Nobody stayed in the villages.",
    )
    # Superusers rather than role members: a browser test's flush removes the role groups.
    first, second = (make_user(is_staff=True, is_superuser=True) for _ in range(2))
    make_consent(
        narrator=testimony.narrator,
        testimonies=[testimony],
        recorded_by=first,
        verified_by=second,
        **FULL_CONSENT,
    )
    approve(submit_for_review(testimony, actor=first), actor=second)
    testimony.refresh_from_db()
    return DescribedTestimony(testimony=testimony, audio=audio, staff_audio=staff_audio)


@pytest.fixture
def described(db: None) -> DescribedTestimony:
    return describe_testimony()
