"""The array evaluation of queries (archive/search/evaluation.py) against whoosh's own: the
same documents with the same scores, for every kind of query the search page builds."""

import random
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index
from whoosh.query import And, Or, Phrase, Term
from whoosh.searching import Searcher

from archive.accounts.audience import Audience
from archive.search.engine import get_index
from archive.search.evaluation import _common, evaluate
from archive.search.facets import count_facets
from archive.search.indexing import index_now
from archive.search.postings import ARRAYS_EXTENSION
from archive.search.query import parse_query, tolerate_spellings
from archive.search.schema import FACET_FIELDS
from archive.search.searching import (
    Filters,
    _near_spellings,
    audience_filter,
    letters_of,
    near_enough,
    search,
    within_distance,
)

pytestmark = pytest.mark.django_db

QUERIES = [
    "village",
    "villages school",
    "quince",
    "Petrosyan",
    "Petrosian",
    "Петросян",
    "Պետրոսյան",
    "деревня",
    "գյուղ",
    "Stepanakert",
    "Khankendi",
    '"left everything"',
    '"left everything behind"',
    '"everything left"',
    '"В деревнях не было"',
    "village OR зима",
    "village NOT school",
    "vill*",
    "scholl~",
    "place:Goris",
    "narrator:Petrosian",
    "lighthouse",
    "zephyrine",
    "nothingmatchesthis",
]


@pytest.fixture
def searcher(search_index: Path) -> Iterator[Searcher]:
    """A searcher of the test's own, lent for the whole test."""
    with get_index().searcher() as lent:
        yield lent


def _whoosh(searcher, query) -> dict[int, float]:
    return {hit.docnum: hit.score for hit in searcher.search(query, limit=None, optimize=False)}


@pytest.mark.parametrize("audience", [Audience.PUBLIC, Audience.RESEARCHERS])
@pytest.mark.parametrize("text", QUERIES)
def test_it_finds_the_documents_whoosh_finds_with_whoosh_scores(
    archive, search_index, text, audience, searcher
):
    reader = searcher.reader()
    wanted = tolerate_spellings(
        parse_query(text).query,
        lambda f, t: reader.doc_frequency(f, t) > 0,
        near=_near_spellings(reader, lambda f, t: reader.doc_frequency(f, t) > 0),
    )
    for scope in [[], Filters(values={"language": ["en", "ru"]}).query()]:
        query = And([wanted, audience_filter(audience), *scope])
        docnums, scores = evaluate(searcher, query)
        expected = _whoosh(searcher, query)
        assert docnums.tolist() == sorted(expected)
        assert scores.tolist() == pytest.approx([expected[d] for d in docnums.tolist()])


def test_it_matches_phrases_in_order_only(archive, search_index, searcher):
    in_order = Phrase("text_en", ["left", "everyth"])
    reversed_order = Phrase("text_en", ["everyth", "left"])
    apart = Phrase("text_en", ["left", "behind"])
    found = {
        name: evaluate(searcher, query)[0].tolist()
        for name, query in [("in order", in_order), ("reversed", reversed_order), ("apart", apart)]
    }
    assert found["in order"] == sorted(_whoosh(searcher, in_order))
    assert found["in order"]
    assert found["reversed"] == []
    assert found["apart"] == []


def test_it_leaves_out_documents_replaced_since_the_segment_was_written(archive, search_index):
    # Reindexing a testimony deletes its document and adds it again, at a new number. Twice:
    # the first commit may merge the module's small segments, and the deletion with them,
    # into one; the second replaces the document in that one, and leaves its own beside it.
    index_now([archive.testimonies["vera"].pk])
    index_now([archive.testimonies["vera"].pk])
    with get_index().searcher() as searcher:
        query = Or([Term("audiences", "public"), Term("audiences", "researchers")])
        docnums, _ = evaluate(searcher, query)
        assert searcher.reader().has_deletions()
        live = [n for n in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(n)]
        assert docnums.tolist() == live


def test_it_ranks_the_page_as_whoosh_does(archive, search_index, searcher):
    parsed = parse_query("village OR зима OR Goris OR quince")
    results = search(parsed, audience=Audience.RESEARCHERS)
    query = And([parsed.query, audience_filter(Audience.RESEARCHERS)])
    ranked = searcher.search(query, limit=None)
    assert results.testimony_ids == [int(hit["testimony_id"]) for hit in ranked][:20]
    assert results.total == len(ranked)


@pytest.mark.parametrize("seed", range(20))
def test_the_values_two_sorted_arrays_share_are_found_in_both(seed):
    rng = random.Random(seed)
    a, b = (
        np.array(sorted(rng.sample(range(200), rng.choice([0, 1, 5, 60, 150]))), dtype=np.int64)
        for _ in range(2)
    )
    mine, theirs = _common(a, b)
    shared = sorted(set(a.tolist()) & set(b.tolist()))
    assert a[mine].tolist() == shared
    assert b[theirs].tolist() == shared


@pytest.mark.parametrize(
    ("a", "b", "near"),
    [
        ("petrosyan", "petrosian", True),
        ("goris", "gorris", True),
        ("goris", "gorisx", True),
        ("goris", "grois", False),
        ("shushi", "shusha", True),
        ("shushi", "shasha", False),
    ],
)
def test_it_measures_one_edit_as_levenshtein_does(a, b, near):
    assert within_distance(a, b, 1) is near


@pytest.mark.parametrize(
    "text", ['"left everything"', '"В деревнях не было"', "village school", "Petrosyan"]
)
def test_a_segment_without_posting_arrays_is_read_from_whooshs_postings(
    archive, search_index, tmp_path, text
):
    """Segments that some other writer wrote have no posting arrays beside them
    (archive/search/postings.py): their postings come from whoosh's own blocks."""
    shutil.copytree(get_index().root / "current", tmp_path / "plain", symlinks=False)
    for arrays in (tmp_path / "plain").glob(f"*{ARRAYS_EXTENSION}"):
        arrays.unlink()
    wanted = parse_query(text).query
    query = And([wanted, audience_filter(Audience.RESEARCHERS)])
    with index.open_dir(str(tmp_path / "plain")).searcher() as plain:
        assert not any(getattr(s, "posting_arrays", None) for s, _ in plain.leaf_searchers())
        docnums, scores = evaluate(plain, query)
        expected = _whoosh(plain, query)
    assert docnums.tolist() == sorted(expected)
    assert docnums.tolist()
    assert scores.tolist() == pytest.approx([expected[d] for d in docnums.tolist()])
    with get_index().searcher() as ours:
        assert evaluate(ours, query)[0].tolist() == docnums.tolist()


@pytest.mark.parametrize("text", ["village", "Petrosyan", '"left everything"', ""])
def test_facet_counts_are_the_matched_documents_carrying_each_value(
    archive, search_index, text, searcher
):
    query = audience_filter(Audience.RESEARCHERS)
    if text:
        query = And([parse_query(text).query, query])
    docnums, _scores = evaluate(searcher, query)
    assert len(docnums)
    matched = set(docnums.tolist())
    counts = count_facets(searcher, docnums)
    reader = searcher.reader()
    for field in FACET_FIELDS:
        expected = {}
        for value in reader.lexicon(field):
            carrying = matched & set(reader.postings(field, value).all_ids())
            if carrying:
                expected[value.decode()] = len(carrying)
        assert dict(counts[field]) == expected, field


def _levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


@given(
    st.text(alphabet="abcde", max_size=9),
    st.text(alphabet="abcde", max_size=9),
    st.integers(min_value=0, max_value=3),
)
def test_within_distance_agrees_with_the_full_levenshtein_table(a: str, b: str, limit: int):
    assert within_distance(a, b, limit) is (_levenshtein(a, b) <= limit)


@given(
    st.text(alphabet="abcdeя", max_size=9),
    st.text(alphabet="abcdeя", max_size=9),
    st.integers(min_value=0, max_value=3),
)
def test_words_whose_letters_differ_too_much_are_never_near(a: str, b: str, limit: int):
    if _levenshtein(a, b) <= limit:
        assert near_enough(letters_of(a), letters_of(b), limit)
