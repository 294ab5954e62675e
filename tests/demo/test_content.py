"""The demo's content, read from the TOML files in archive/demo/data/."""

from pathlib import Path

import pytest

from archive.demo.content import (
    COLLECTIONS,
    DEMO_TESTIMONIES,
    GAZETTEER,
    THESAURUS,
    ContentError,
    read_testimony,
    reflow,
)
from archive.testimonies.models import Testimony

MINIMAL = """
key = "demo:test"
title = "A title"
summary = "A summary."
status = "draft"
access_level = "staff"

[narrator]
attribution = "anonymous"

[transcript]
language = "en"
text = \"\"\"
First paragraph,
wrapped.

Second.
\"\"\"
"""


def test_it_reads_every_testimony_with_vera_petrosyan_first():
    assert len(DEMO_TESTIMONIES) == 41
    assert DEMO_TESTIMONIES[0].key == "demo:vera-petrosyan"
    assert len({entry.key for entry in DEMO_TESTIMONIES}) == 41


def test_it_names_only_places_subjects_and_collections_it_has():
    places = {entry.name for entry in GAZETTEER}
    subjects = {entry.label for entry in THESAURUS}
    collections = {entry.slug for entry in COLLECTIONS}
    for entry in DEMO_TESTIMONIES:
        assert set(entry.places) <= places, entry.key
        assert set(entry.subjects) <= subjects, entry.key
        assert entry.collection is None or entry.collection in collections, entry.key


def test_it_joins_wrapped_lines_and_keeps_paragraphs(tmp_path: Path):
    path = tmp_path / "test.toml"
    path.write_text(MINIMAL)
    entry = read_testimony(path)
    assert entry.transcript.text == "First paragraph, wrapped.\n\nSecond."
    assert entry.status == Testimony.Status.DRAFT
    assert entry.consent is None
    assert reflow("  one\n  line  ") == "one line"


@pytest.mark.parametrize(
    "change",
    [
        ('status = "draft"', 'status = "lost"'),
        ('summary = "A summary."', 'summary = "A summary."\nsumary = "typo"'),
        ('title = "A title"\n', ""),
    ],
    ids=["a status outside the choices", "an unknown key", "a missing key"],
)
def test_it_refuses_a_file_naming_it(tmp_path: Path, change: tuple[str, str]):
    path = tmp_path / "broken.toml"
    path.write_text(MINIMAL.replace(*change))
    with pytest.raises(ContentError, match="broken.toml"):
        read_testimony(path)
