"""Invisible characters inside a word (a soft hyphen from pasted Word text, a zero-width
joiner, a combining stress mark) and compatibility forms (full-width letters) do not hide
the word from search: it is read as a reader sees it."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.accounts.audience import Audience
from archive.search.analysis import (
    WordPositions,
    english_analyzer,
    russian_analyzer,
    words_analyzer,
)
from archive.search.engine import forget_index
from archive.search.query import parse_query
from archive.search.searching import search
from tests.factories import make_live_testimony

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


def tokens(analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text)]


@pytest.mark.parametrize(
    ("written", "seen"),
    [
        ("Nelli Harutyu\u00adnyan", "Nelli Harutyunyan"),
        ("Harut\u200dyunyan", "Harutyunyan"),
        ("Harut\u2060yunyan", "Harutyunyan"),
        ("\ufeffHarutyunyan", "Harutyunyan"),
        ("\uff28\uff41\uff52\uff55\uff54\uff59\uff55\uff4e\uff59\uff41\uff4e", "Harutyunyan"),
        ("Арутюнь\u00adян", "Арутюньян"),
        ("Арутю\u0301нян", "Арутюнян"),
    ],
)
def test_it_reads_a_word_through_invisible_characters(written, seen):
    for analyzer in (english_analyzer(), russian_analyzer(), words_analyzer()):
        assert tokens(analyzer, written) == tokens(analyzer, seen)
        # Bulk indexing takes another path to the same postings.
        postings = WordPositions().postings(written, analyzer)
        assert postings.terms == WordPositions().postings(seen, analyzer).terms


def test_it_parts_words_at_a_zero_width_space():
    assert tokens(words_analyzer(), "left\u200bbehind") == ["left", "behind"]


def test_it_finds_a_word_written_with_a_soft_hyphen_in_a_transcript(search_index):
    testimony = make_live_testimony(transcript="Our neighbour Nelli Harutyu\u00adnyan stayed.")
    for query in ("Harutyunyan", "harutyunyan", "neighbour"):
        assert set(search(parse_query(query), audience=Audience.PUBLIC).testimony_ids) == {
            testimony.pk
        }
