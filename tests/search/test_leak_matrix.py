"""Nothing restricted reaches a reader who may not see it: not a result, a count, a facet,
a snippet or a suggestion. Every persona against every kind of testimony."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from archive.accounts.models import User
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
SEARCH = reverse("search")

# Which personas may find each kind's secret word through the site's search. (Staff search
# the admin; on the site they see what researchers see.)
EVERYONE = {"anonymous", "researcher", "approved_researcher", "moderator"}
RESEARCHERS = {"approved_researcher", "moderator"}
FINDABLE_BY = {
    "public": EVERYONE,
    "researchers_only": RESEARCHERS,
    "transcript_for_researchers": RESEARCHERS,
    "staff_only": set(),
    "draft": set(),
    "in_review": set(),
    "embargoed": set(),
    "withdrawn": set(),
    "erased": set(),
}
PERSONAS = sorted(EVERYONE)


@pytest.fixture
def approved_researcher(db: None) -> User:
    from tests.factories import make_user

    user = make_user(username="rita.approved")
    user.user_permissions.add(Permission.objects.get(codename="access_research_material"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def client_of(request, anonymous):
    def get(persona: str):
        if persona == "anonymous":
            return anonymous
        return client_for(request.getfixturevalue(persona))

    return get


def results_part(html: str) -> str:
    """The page below the search form: results, counts, facets, snippets, suggestions."""
    return html.split('class="search-form"', 1)[1].split("</form>", 1)[1]


def total(html: str) -> int:
    match = re.search(r'id="results-count"[^>]*>\s*(\d+) testimon', html)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(FINDABLE_BY))
def test_it_shows_a_secret_word_only_to_those_who_may_see_it(archive, client_of, persona, kind):
    word = archive.secrets[kind]
    html = client_of(persona).get(SEARCH, {"q": word}).content.decode()
    shown = results_part(html)
    if persona in FINDABLE_BY[kind]:
        assert total(html) == 1
        assert f"<mark>{word}</mark>" in shown
    else:
        assert total(html) == 0
        assert word not in shown
        assert archive.testimonies[kind].reference not in html


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(FINDABLE_BY))
def test_it_never_suggests_a_word_only_a_restricted_testimony_holds(
    archive, client_of, persona, kind
):
    word = archive.secrets[kind]
    misspelt = word[:-1] + ("x" if word[-1] != "x" else "y")
    html = client_of(persona).get(SEARCH, {"q": misspelt}).content.decode()
    if persona in FINDABLE_BY[kind]:
        assert f'Did you mean <a href="?q={word}">{word}</a>?' in html
    else:
        assert "Did you mean" not in html
        assert word not in results_part(html)


# Whose metadata each persona may see: these are what an empty search lists.
LISTED_FOR_ALL = {
    "vera",
    "russian",
    "armenian",
    "full_name_without_consent",
    "transcript_for_researchers",
}
LISTED = {
    "anonymous": LISTED_FOR_ALL,
    "researcher": LISTED_FOR_ALL,
    "approved_researcher": LISTED_FOR_ALL | {"researchers_only"},
    "moderator": LISTED_FOR_ALL | {"researchers_only"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_counts_and_facets_only_what_the_reader_may_see(archive, client_of, persona):
    html = client_of(persona).get(SEARCH).content.decode()
    assert total(html) == len(LISTED[persona])
    listed = set(re.findall(r'class="reference">([^<]+)<', html))
    assert listed == {archive.testimonies[kind].reference for kind in LISTED[persona]}
    # Every testimony here has one transcript, so the language counts add up to the number
    # listed, less the one whose transcript only researchers may read.
    language_facet = re.search(r"<h2>Language</h2>(.*?)</section>", html, flags=re.S)
    assert language_facet is not None
    counts = [int(n) for n in re.findall(r'class="count">(\d+)<', language_facet.group(1))]
    transcripts_readable = persona in RESEARCHERS
    assert sum(counts) == total(html) - (0 if transcripts_readable else 1)
    access_facet = re.search(r"<h2>Access</h2>(.*?)</section>", html, flags=re.S)
    if persona in ("anonymous", "researcher"):
        assert access_facet is None
    else:
        assert access_facet is not None
        assert 'Researchers only</a> <span class="count">1<' in access_facet.group(1)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_finds_a_narrator_by_a_name_they_did_not_consent_to_show(
    archive, client_of, persona
):
    for real_name in ("Hakobyan", "Sargsyan", "Gor Sargsyan"):
        html = client_of(persona).get(SEARCH, {"q": real_name}).content.decode()
        assert total(html) == 0, (persona, real_name)
        assert real_name not in results_part(html)
    nameless = archive.testimonies["full_name_without_consent"]
    html = client_of(persona).get(SEARCH, {"q": "Nameless"}).content.decode()
    assert nameless.reference in html
    assert f"Narrator {nameless.narrator_id}" in html
    assert "Sargsyan" not in html
    assert "Anahit P." in client_of(persona).get(SEARCH, {"q": "գյուղ"}).content.decode()
