"""Which words exist is answered from the documents the searching audience may find: a name
that only a restricted testimony holds changes nothing a search by another audience answers
(totals, results, facets, suggestion, simplified notices), whether the word is searched
exactly, by its near spellings, as a prefix or fuzzily, or corrected."""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from archive.accounts.audience import Audience
from archive.search import searching
from archive.search.engine import forget_index
from archive.search.query import parse_query
from archive.search.searching import search, suggest
from archive.testimonies.models import Narrator
from tests.factories import make_live_testimony, make_narrator

pytestmark = pytest.mark.django_db
CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')

# Each is searched before and after a testimony by "Garik Petrosian" that the audience may
# not find is published. "garik" and "petrosian" are words only that testimony holds; the
# archive holds "Gagik" (one edit from "garik") and "Petrosyan" (one from "petrosian").
QUERIES = [
    "narrator:garik",
    "narrator:Petrosian",
    "narrator:galik",
    "garik",
    "petrosian",
    "Garik Petrosian",
    "gar*",
    "gari*",
    "narrator:gar*",
    "garik~",
    "garix~1",
    "narrator:garik~1",
    "petrosian~2",
    "garek",
    "garikh",
    "garikk",
    "petrosiam",
    "place:garik",
]


@pytest.fixture
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


def publish_visible_archive() -> None:
    make_live_testimony(
        title="The orchard",
        narrator=make_narrator(
            given_name="Gagik", family_name="Avetisyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        transcript="Our dogs were Garia, Garib, Garic, Garid and Garie.",
    )
    make_live_testimony(
        title="The stone",
        narrator=make_narrator(
            given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        transcript="A garnet ring and our dog Garif were all we took.",
    )


def publish_hidden_testimony(access_level: str) -> None:
    # Spellings of the name near the words the archive holds: widened words and
    # suggestions would have more forms to choose from (MAX_FORMS_PER_WORD, five
    # suggestions looked at), and the name's are the most frequent.
    make_live_testimony(
        title="The orchard",
        access_level=access_level,
        narrator=make_narrator(
            given_name="Garik", family_name="Petrosian", attribution=Narrator.Attribution.FULL_NAME
        ),
        transcript="Garik Petrosian (also written Garikk, Gariq, Garig, Gharik).",
    )


def answers(audience: Audience) -> dict[str, Any]:
    """What a search answers for each query: the testimonies found, in order, how many,
    the facets, the notices and the "did you mean" suggestion."""
    found = {}
    for text in QUERIES:
        parsed = parse_query(text)
        results = search(parsed, audience=audience)
        found[text] = {
            "total": results.total,
            "testimonies": results.testimony_ids,
            "facets": {name: dict(counts) for name, counts in results.facets.items()},
            "notices": parsed.notices,
            "suggestion": suggest(parsed, audience=audience),
        }
    return found


def api_and_page_answers(client: Client) -> dict[str, Any]:
    found = {}
    for text in QUERIES:
        response = client.get("/api/testimonies/", {"q": text})
        assert response.status_code == 200
        page = client.get(reverse("search"), {"q": text})
        assert page.status_code == 200
        found[text] = (response.json(), CSRF_TOKEN.sub("", page.content.decode()))
    return found


@pytest.mark.parametrize(
    ("access_level", "audience"),
    [
        ("researchers", Audience.PUBLIC),
        ("staff", Audience.PUBLIC),
        ("staff", Audience.RESEARCHERS),
    ],
)
def test_it_answers_as_if_a_testimony_the_audience_may_not_find_did_not_exist(
    search_index, access_level, audience
):
    publish_visible_archive()
    before = answers(audience)
    publish_hidden_testimony(access_level)
    after = answers(audience)
    assert after == before
    # The probe that found it: a near spelling of a visible name finds it, the hidden name
    # too; every form of a widened word the audience may find is searched.
    assert before["narrator:galik"]["total"] == 1
    assert after["narrator:garik"]["total"] == 1
    assert after["gari*"]["total"] == after["garix~1"]["total"] == 2
    assert after["garikh"]["suggestion"] == "garif"


def test_it_answers_anonymous_readers_as_if_the_hidden_testimony_did_not_exist(
    search_index, anonymous
):
    # The API's JSON and the search page's HTML, word for word.
    publish_visible_archive()
    before = api_and_page_answers(anonymous)
    publish_hidden_testimony("researchers")
    assert api_and_page_answers(anonymous) == before


def test_it_finds_the_name_for_an_audience_that_may_find_its_testimony(search_index):
    publish_visible_archive()
    publish_hidden_testimony("researchers")
    found = answers(Audience.RESEARCHERS)
    # Searched exactly: the researchers' testimony alone, not Gagik's as a near spelling.
    assert found["narrator:garik"]["total"] == 1
    assert found["narrator:Petrosian"]["total"] == 1
    assert found["garek"]["suggestion"] == "garik"
    assert (
        answers(Audience.PUBLIC)["narrator:garik"]["testimonies"]
        != found["narrator:garik"]["testimonies"]
    )


def test_it_checks_a_bounded_number_of_terms_against_the_audience(
    search_index, monkeypatch: pytest.MonkeyPatch
):
    # Each check reads a term's postings beside the audience's: a search makes at most
    # MAX_TERM_CHECKS of them, however many terms its words stand for.
    publish_visible_archive()
    publish_hidden_testimony("researchers")
    monkeypatch.setattr(searching, "MAX_TERM_CHECKS", 3)
    checks = []
    finds_any = searching._finds_any

    def counted(*args: Any) -> bool:
        checks.append(args)
        return finds_any(*args)

    monkeypatch.setattr(searching, "_finds_any", counted)
    found = search(
        parse_query("gari* garix~1 narrator:garik place:garik"), audience=Audience.PUBLIC
    )
    assert 0 < len(checks) <= 3
    # Beyond the bound a term counts as absent: fewer forms are searched, never a hidden one.
    assert found.total <= 1
