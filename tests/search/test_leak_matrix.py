"""Nothing restricted reaches a reader who may not see it: not a result, a count, a facet,
a snippet or a suggestion. Every persona against every kind of testimony."""

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from tests import html
from tests.kinds import KINDS, REAL_NAMES

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")

# Which personas may find each kind's secret word through the site's search. (Staff search
# the admin; on the site they see what researchers see.)
EVERYONE = {"anonymous", "researcher", "approved_researcher", "moderator"}
RESEARCHERS = {"approved_researcher", "moderator"}
FINDABLE_BY = {
    "public": EVERYONE,
    "pseudonym": EVERYONE,
    "full_name_without_consent": EVERYONE,
    "audio_for_researchers": EVERYONE,
    "researchers_only": RESEARCHERS,
    "transcript_for_researchers": RESEARCHERS,
    "staff_only": set(),
    "draft": set(),
    "in_review": set(),
    "embargoed": set(),
    "withdrawn": set(),
    "erased": set(),
}
assert sorted(FINDABLE_BY) == KINDS
PERSONAS = sorted(EVERYONE)


def search(client, **params) -> lxml_html.HtmlElement:
    return html.document(client.get(SEARCH, params))


def results_part(page: lxml_html.HtmlElement) -> str:
    """The page below the search form: results, counts, facets, snippets, suggestions."""
    [form] = html.elements(page, f"//form[{html.with_class('search-form')}]")
    return "".join(
        html.markup(after)
        for after in html.elements(form, "ancestor-or-self::*/following-sibling::*")
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", KINDS)
def test_it_shows_a_secret_word_only_to_those_who_may_see_it(archive, client_of, persona, kind):
    word = archive.secrets[kind]
    page = search(client_of(persona), q=word)
    shown = results_part(page)
    if persona in FINDABLE_BY[kind]:
        assert html.results_count(page) == 1
        assert html.references(page) == [archive.testimonies[kind].reference]
        assert html.texts(page, f"//*[{html.with_class('snippet')}]/mark") == [word]
    else:
        assert html.results_count(page) == 0
        assert html.references(page) == []
        assert word not in shown
        assert archive.testimonies[kind].reference not in html.markup(page)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", KINDS)
def test_it_never_suggests_a_word_only_a_restricted_testimony_holds(
    archive, client_of, persona, kind
):
    word = archive.secrets[kind]
    misspelt = word[:-1] + ("x" if word[-1] != "x" else "y")
    page = search(client_of(persona), q=misspelt)
    suggestion = f"//*[{html.with_class('suggestion')}]"
    if persona in FINDABLE_BY[kind]:
        assert html.text(page, suggestion) == f"Did you mean {word}?"
        assert html.links(page, f"{suggestion}/a") == [f"?q={word}"]
    else:
        assert html.elements(page, suggestion) == []
        assert "Did you mean" not in html.markup(page)
        assert word not in results_part(page)


# Whose metadata each persona may see: these are what an empty search lists.
LISTED_FOR_ALL = {
    "vera",
    "russian",
    "armenian",
    "public",
    "pseudonym",
    "full_name_without_consent",
    "transcript_for_researchers",
    "audio_for_researchers",
}
LISTED = {
    "anonymous": LISTED_FOR_ALL,
    "researcher": LISTED_FOR_ALL,
    "approved_researcher": LISTED_FOR_ALL | {"researchers_only"},
    "moderator": LISTED_FOR_ALL | {"researchers_only"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_counts_and_facets_only_what_the_reader_may_see(archive, client_of, persona):
    page = search(client_of(persona))
    total = html.results_count(page)
    assert total == len(LISTED[persona])
    listed = html.references(page)
    assert sorted(listed) == sorted(archive.testimonies[kind].reference for kind in LISTED[persona])
    # Every testimony here has one transcript, so the language counts add up to the number
    # listed, less the one whose transcript only researchers may read.
    language_facet = html.facet(page, "Language")
    assert language_facet is not None
    transcripts_readable = persona in RESEARCHERS
    assert sum(language_facet.values()) == total - (0 if transcripts_readable else 1)
    access_facet = html.facet(page, "Access")
    if persona in ("anonymous", "researcher"):
        assert access_facet is None
    else:
        assert access_facet is not None
        assert access_facet["Researchers only"] == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_finds_a_narrator_by_a_name_they_did_not_consent_to_show(
    archive, client_of, persona
):
    client = client_of(persona)
    for real_name in ("Hakobyan", "Sargsyan", "Gor Sargsyan", "Harutyunyan", "Lusine Harutyunyan"):
        page = search(client, q=real_name)
        assert html.results_count(page) == 0, (persona, real_name)
        assert real_name not in results_part(page)
    nameless = archive.testimonies["full_name_without_consent"]
    named_page = search(client, q=archive.secrets["full_name_without_consent"])
    assert html.references(named_page) == [nameless.reference]
    meta = html.text(
        named_page, f"//li[{html.with_class('result')}]/p[{html.with_class('result-meta')}]"
    )
    assert meta is not None
    assert f"Narrator {nameless.narrator_id}" in meta
    pseudonymous = archive.testimonies["pseudonym"]
    pseudonym_page = search(client, q=archive.secrets["pseudonym"])
    assert html.references(pseudonym_page) == [pseudonymous.reference]
    assert "Lusine H." in html.markup(pseudonym_page)
    for page in (named_page, pseudonym_page, search(client, q="Lusine")):
        for real_name in REAL_NAMES:
            assert real_name not in html.markup(page), (persona, real_name)
    assert "Anahit P." in html.markup(search(client, q="գյուղ"))
