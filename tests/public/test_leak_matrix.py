"""Nothing restricted reaches a reader who may not see it on the site's pages: every persona
against every kind of testimony, on the testimony page, the browse pages, the home page, the
sitemap and the feed. (The search page has its own matrix in tests/search.)"""

import json
import re

import pytest
from django.urls import reverse

from archive.accounts.roles import Role
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from tests.factories import make_live_testimony, make_user
from tests.html import document, elements, texts
from tests.kinds import KINDS, REAL_NAMES

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "researcher", "approved_researcher", "curator"]
RESEARCHERS = {"approved_researcher", "curator"}
STAFF = {"curator"}
# Who may open each kind's page (curators count as staff on the testimony page).
READERS = {
    "public": set(PERSONAS),
    "pseudonym": set(PERSONAS),
    "full_name_without_consent": set(PERSONAS),
    "transcript_for_researchers": set(PERSONAS),
    "audio_for_researchers": set(PERSONAS),
    "researchers_only": RESEARCHERS,
    "staff_only": STAFF,
    "embargoed": STAFF,
    "draft": set(),
    "in_review": set(),
}
TOMBSTONES = {"withdrawn", "erased"}
assert sorted([*READERS, *TOMBSTONES]) == KINDS
# Who may read each kind's transcript, where its secret word is.
TRANSCRIPT_READERS = {**READERS, "transcript_for_researchers": RESEARCHERS}
# Who may have each kind's recordings.
RECORDING_READERS = {**READERS, "audio_for_researchers": RESEARCHERS}
# What everyone may see: the search tests' three accounts and the kinds open to all.
LIVE_FOR_ALL = {"vera", "russian", "armenian"} | {
    kind for kind, readers in READERS.items() if readers == set(PERSONAS)
}


def same_page(html: str, other: str) -> bool:
    """The same page but for what differs in every response (CSRF token, CSP nonce)."""

    def settled(text: str) -> str:
        return re.sub(r'(name="csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', text)

    return settled(html) == settled(other)


def page_of(client, testimony, **params):
    return client.get(reverse("testimony", args=[testimony.reference]), params)


def assert_nothing_of(html: str, archive, kind: str) -> None:
    testimony = archive.testimonies[kind]
    assert testimony.reference not in html, kind
    assert archive.secrets[kind] not in html, kind
    assert f">{testimony.title}<" not in html, kind
    assert f'"{testimony.title}"' not in html, kind
    # Nor the place, subject and collection only it uses.
    assert archive.places[kind].name not in html, kind
    assert archive.subjects[kind].label not in html, kind
    assert archive.collections[kind].title not in html, kind


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(READERS))
def test_it_shows_a_testimony_page_only_to_those_who_may_see_it(archive, client_of, persona, kind):
    testimony = archive.testimonies[kind]
    response = page_of(client_of(persona), testimony)
    html = response.content.decode()
    for real_name in REAL_NAMES:
        assert real_name not in html, (kind, real_name)
    if persona in READERS[kind]:
        assert response.status_code == 200
        [heading] = elements(document(html), "//h1")
        assert (heading.get("lang"), heading.text_content()) == ("en", testimony.title)
        assert (archive.secrets[kind] in html) == (persona in TRANSCRIPT_READERS[kind])
        files = {reverse("media_file", args=[asset.pk]) for asset in testimony.media.all()}
        shown_files = {url for url in files if url in html}
        assert shown_files == (files if persona in RECORDING_READERS[kind] else set())
    else:
        # Exactly what a reference that does not exist gets: no hint that it does.
        missing = client_of(persona).get(reverse("testimony", args=["TA-1999-9999"]))
        assert response.status_code == missing.status_code == 404
        assert same_page(html, missing.content.decode())
        assert_nothing_of(html, archive, kind)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("kind", sorted(TOMBSTONES))
def test_it_answers_a_withdrawn_testimony_with_a_tombstone_and_nothing_else(
    archive, client_of, persona, kind
):
    testimony = archive.testimonies[kind]
    response = page_of(client_of(persona), testimony)
    html = response.content.decode()
    assert response.status_code == 410
    assert testimony.reference in html
    assert "This testimony has been withdrawn" in html
    assert archive.secrets[kind] not in html
    assert f">{testimony.title}<" not in html
    assert "application/ld+json" not in html
    assert reverse("concern", args=[testimony.reference]) in html


def test_it_says_an_erased_testimony_was_withdrawn_at_the_narrators_request(archive, anonymous):
    html = page_of(anonymous, archive.testimonies["erased"]).content.decode()
    assert "withdrawn at the narrator’s request" in html
    assert "Withdrawn on" in html


def test_it_blames_the_narrator_only_when_a_consent_was_withdrawn(archive, anonymous, archivist):
    # The fixture's "withdrawn" was taken offline by a moderator, not by a withdrawn consent.
    html = page_of(anonymous, archive.testimonies["withdrawn"]).content.decode()
    assert "no longer published" in html
    assert "narrator’s request" not in html

    unpublished = make_live_testimony(title="Unpublished on request")
    withdraw_consent(unpublished.consent_records.get(), actor=archivist, scope="unpublish")
    services.withdraw(unpublished, actor=archivist, reason="The narrator asked.")
    html = page_of(anonymous, unpublished).content.decode()
    assert "withdrawn at the narrator’s request" in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_keeps_a_withdrawn_researchers_only_testimony_unknown_to_the_public(client_of, persona):
    # The reader first: a researcher is told of it only if they could once see it.
    client = client_of(persona)
    testimony = make_live_testimony(title="Once for researchers", access_level="researchers")
    services.withdraw(testimony, actor=make_user(role=Role.MODERATOR), reason="Taken down.")
    response = page_of(client, testimony)
    if persona in RESEARCHERS:
        assert response.status_code == 410
        assert testimony.reference in response.content.decode()
    else:
        missing = client_of(persona).get(reverse("testimony", args=["TA-1999-9999"]))
        assert response.status_code == missing.status_code == 404
        assert testimony.reference not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_shows_the_real_name_behind_a_pseudonym(archive, client_of, persona):
    client = client_of(persona)
    armenian = archive.testimonies["armenian"]
    html = page_of(client, armenian).content.decode()
    assert "Anahit P." in html
    assert "Hakobyan" not in html
    html = page_of(client, archive.testimonies["pseudonym"]).content.decode()
    assert "Lusine H." in html
    assert "Harutyunyan" not in html
    nameless = archive.testimonies["full_name_without_consent"]
    html = page_of(client, nameless).content.decode()
    # The narrator chose the full name, but consented to show it to nobody: staff pages do
    # not show it either (real names stay with archivists, in the admin).
    assert "Sargsyan" not in html
    assert f"Narrator {nameless.narrator_id}" in html
    [script] = elements(document(html), "//script[@type='application/ld+json']")
    ld = json.loads(script.text or "")
    assert ld["author"]["name"] == f"Narrator {nameless.narrator_id}"


LISTS = ["home", "collections", "places", "subjects"]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("page", LISTS)
def test_it_lists_and_counts_only_what_the_reader_may_see(archive, client_of, persona, page):
    html = client_of(persona).get(reverse(page)).content.decode()
    for kind in KINDS:
        if persona not in READERS.get(kind, set()):
            assert_nothing_of(html, archive, kind)
    assert "Hakobyan" not in html
    for real_name in REAL_NAMES:
        assert real_name not in html


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_counts_the_collections_from_visible_testimonies_only(archive, client_of, persona):
    page = document(client_of(persona).get(reverse("collections")))
    listed = dict(
        zip(
            texts(page, "//ul[@class='collection-list']/li/h2"),
            texts(page, "//ul[@class='collection-list']/li/p[@class='count']"),
            strict=True,
        )
    )
    # Counted from the search index, where staff see what researchers see.
    shown = {"september", "diaries"} | (LIVE_FOR_ALL & set(KINDS))
    if persona in RESEARCHERS:
        shown.add("researchers_only")
    assert listed == {archive.collections[name].title: "1 testimony" for name in shown}


def test_it_hides_the_home_pages_recent_restricted_publications(archive, client_of):
    public = client_of("anonymous").get(reverse("home")).content.decode()
    approved = client_of("approved_researcher").get(reverse("home")).content.decode()
    research = archive.testimonies["researchers_only"]
    assert research.reference not in public
    assert research.reference in approved


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_puts_only_public_testimonies_in_the_sitemap_and_the_feed(archive, client_of, persona):
    client = client_of(persona)
    index = client.get(reverse("sitemap")).content.decode()
    assert "/testimonies/" not in index  # an index of the sitemap's pages only
    sitemap = client.get(reverse("sitemap_section", args=["testimonies"])).content.decode()
    feed = client.get(reverse("testimony_feed")).content.decode()
    for kind, testimony in archive.testimonies.items():
        listed = kind in LIVE_FOR_ALL
        assert (f"/testimonies/{testimony.reference}/" in sitemap) == listed, kind
        assert (f"/testimonies/{testimony.reference}/" in feed) == listed, kind
    for text in (index, sitemap, feed):
        assert "Hakobyan" not in text
        for real_name in REAL_NAMES:
            assert real_name not in text
        for secret in archive.secrets.values():
            assert secret not in text
