"""The testimony page: what it shows of a published testimony, from its live revision."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from archive.public.models import AccessRecord
from tests.conftest import client_for
from tests.html import document, elements
from tests.public.conftest import DescribedTestimony

pytestmark = pytest.mark.django_db


def page(client, described: DescribedTestimony, **params) -> str:
    url = reverse("testimony", args=[described.testimony.reference])
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_writes_dates_in_the_readers_language_and_citations_in_english(anonymous, described):
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = page(anonymous, described)
    assert '<html lang="ru"' in html
    # The catalogue's English inside a Russian page says so (WCAG 3.1.2, language of parts).
    assert '<h1 lang="en">The last bus from Stepanakert</h1>' in html
    assert '<a href="/search/?place_id=' in html and 'lang="en">Stepanakert</a>' in html
    assert '<dd>2 октября 2023 г., <span lang="en">Goris</span></dd>' in html
    assert "Interview by Ani Grigoryan, 2 October 2023." in html  # the Chicago citation


def test_it_shows_the_catalogue_description(anonymous, described):
    html = page(anonymous, described)
    assert '<h1 lang="en">The last bus from Stepanakert</h1>' in html
    assert "Told by Mariam K." in html
    assert "Khachatryan" not in html  # the real name behind the pseudonym
    assert "<dd>Ani Grigoryan</dd>" in html
    assert '<dd>2 October 2023, <span lang="en">Goris</span></dd>' in html
    assert ">Stepanakert</a>" in html
    assert "<dd>2020–2023</dd>" in html
    assert ">Exodus of 2023</a>" in html
    assert 'href="/collections/exodus-2023/"' in html
    assert "Recorded in a shelter for displaced families." in html
    assert "CC BY-NC 4.0" in html
    assert "A teacher remembers the day her town emptied." in html


def test_it_hides_the_text_behind_its_content_note(anonymous, described):
    html = page(anonymous, described)
    note = html.index("Death of a family member; shelling.")
    assert html.rfind('<details class="content-note">', 0, note) != -1
    assert note < html.index("Մենք")


def test_it_shows_the_original_first_and_switches_to_a_translation(anonymous, described):
    html = page(anonymous, described)
    assert "Original transcript, in Armenian." in html
    assert '<div class="transcript-text" lang="hy">' in html
    assert 'href="?lang=en#transcript" hreflang="en"' in html
    html = page(anonymous, described, lang="en")
    assert "Translation into English, by Lilit Avetisyan." in html
    assert '<div class="transcript-text" lang="en">' in html
    assert "We left the village in autumn." in html


def test_it_links_time_coded_passages_to_that_moment_of_the_recording(anonymous, described):
    html = page(anonymous, described, lang="en")
    audio = described.audio
    assert f'<audio id="media-{audio.pk}" class="player" controls preload="metadata" ' in html
    assert f'href="/media/{audio.pk}/#t=83" data-media="media-{audio.pk}" data-start="83"' in html
    assert ">1:23</a>" in html


def test_it_offers_only_the_media_the_reader_may_have(anonymous, described, superuser):
    staff_file = f"/media/{described.staff_audio.pk}/"
    assert staff_file not in page(anonymous, described)
    assert staff_file in page(client_for(superuser), described)


def test_it_marks_the_words_of_the_search_the_reader_came_from(anonymous, described):
    html = page(anonymous, described, lang="en", q="villages")
    assert "We left the <mark>village</mark> in autumn." in html
    assert "Nobody stayed in the <mark>villages</mark>." in html
    html = page(anonymous, described, q="գյուղ")
    assert "Մենք <mark>գյուղից</mark> գնացինք" in html


def test_it_marks_nothing_for_a_search_it_cannot_parse(anonymous, described):
    html = page(anonymous, described, lang="en", q='"unclosed')
    assert "<mark>" not in html


def test_it_escapes_the_reader_s_search_words(anonymous, described):
    html = page(anonymous, described, q="<script>alert(1)</script>")
    assert "<script>alert(1)" not in html


def test_it_describes_the_disclosed_testimony_in_json_ld(anonymous, described):
    html = page(anonymous, described)
    [script] = elements(document(html), "//script[@type='application/ld+json']")
    assert script.get("nonce")
    data = json.loads(script.text or "")
    assert data["name"] == "The last bus from Stepanakert"
    assert data["author"] == {"@type": "Person", "name": "Mariam K."}
    assert data["identifier"] == described.testimony.reference
    assert data["temporalCoverage"] == "2020/2023"


def test_it_shows_the_live_revision_not_the_working_copy(anonymous, described):
    testimony = described.testimony
    testimony.title = "An unapproved new title"
    testimony.save()
    html = page(anonymous, described)
    assert "The last bus from Stepanakert" in html
    assert "unapproved" not in html


def test_it_logs_a_researchers_view_of_restricted_material_only(
    anonymous, approved_researcher, described
):
    from tests.factories import make_live_testimony

    restricted = make_live_testimony(title="For researchers", access_level="researchers")
    url = reverse("testimony", args=[restricted.reference])
    assert client_for(approved_researcher).get(url).status_code == 200
    record = AccessRecord.objects.get()
    assert record.user == approved_researcher
    assert record.resource == AccessRecord.Resource.TESTIMONY
    assert record.testimony == restricted
    page(anonymous, described)
    page(client_for(approved_researcher), described)
    assert AccessRecord.objects.count() == 1  # a public page is not logged


def test_it_answers_an_unknown_reference_with_404(anonymous):
    assert anonymous.get(reverse("testimony", args=["TA-2020-0404"])).status_code == 404


def test_it_needs_few_queries(
    anonymous, approved_researcher, described, django_assert_max_num_queries
):
    url = reverse("testimony", args=[described.testimony.reference])
    with django_assert_max_num_queries(7):
        assert anonymous.get(url, {"lang": "en", "q": "village"}).status_code == 200
    researcher_client = client_for(approved_researcher)
    with django_assert_max_num_queries(11):
        assert researcher_client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["²", "٣", "9" * 5000, "-5", "1.5", str(100 * 3600 + 1)])
def test_it_ignores_a_time_code_that_is_not_one(anonymous, described, value):
    html = page(anonymous, described, t=value)

    assert "Cite the whole testimony" not in html


def test_it_cites_the_moment_a_time_code_names(anonymous, described):
    html = page(anonymous, described, t="83")

    assert "Cite the whole testimony" in html
