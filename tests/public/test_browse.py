"""Browsing: the home page, collections, places and subjects; robots.txt and the sitemap."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive.accounts.roles import Role
from archive.consent.models import ConsentRecord
from archive.public.sitemaps import PublicTestimonySitemap
from archive.public.views import RECENT_COUNT
from archive.testimonies.models import PlaceName, SubjectLabel, Testimony
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_place,
    make_subject,
    make_user,
)
from tests.html import document, elements, text, texts

pytestmark = pytest.mark.django_db
SITEMAP_NS = {"sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap_entries(xml: str) -> dict[str, str | None]:
    """A sitemap's (or a sitemap index's) locations and their last modification dates."""
    root = etree.fromstring(xml.encode())
    return {
        str(entry.findtext("sitemap:loc", namespaces=SITEMAP_NS)): entry.findtext(
            "sitemap:lastmod", namespaces=SITEMAP_NS
        )
        for entry in root
    }


def sitemap_locations(xml: str) -> list[str]:
    return list(sitemap_entries(xml))


def test_it_lists_recent_publications_and_collections_on_the_home_page(anonymous):
    collection = make_collection(title="Blockade diaries", slug="blockade-diaries")
    make_live_testimony(title="Winter in Shushi", collection=collection)
    html = anonymous.get(reverse("home")).content.decode()
    assert ">Winter in Shushi</a>" in html
    assert (
        'href="/collections/blockade-diaries/" lang="en">Blockade diaries</a>'
        ' <span class="count">1<' in html
    )
    assert 'href="/collections/"' in html  # the browse links in the header


def test_the_home_page_and_the_feed_show_the_latest_publications_newest_first(anonymous):
    made = [make_live_testimony(title=f"Winter {number}") for number in range(7)]
    make_live_testimony(title="Latest but hidden", access_level="researchers")
    # Published a day apart, in another order than they were made in.
    days_ago = [3, 0, 6, 2, 5, 1, 4]
    for testimony, days in zip(made, days_ago, strict=True):
        Testimony.objects.filter(pk=testimony.pk).update(
            published_at=timezone.now() - timedelta(days=days)
        )
    newest_first = [f"Winter {number}" for number in sorted(range(7), key=days_ago.__getitem__)]

    def shown(text: str) -> list[str]:
        return sorted((title for title in newest_first if title in text), key=text.index)

    home = anonymous.get(reverse("home")).content.decode()
    feed = anonymous.get("/feeds/testimonies.atom").content.decode()
    assert shown(home) == newest_first[:RECENT_COUNT]
    assert shown(feed) == newest_first
    assert "Latest but hidden" not in home + feed


def test_it_shows_a_collection_with_its_visible_testimonies(anonymous):
    collection = make_collection(title="Blockade diaries", slug="blockade-diaries")
    make_live_testimony(title="Winter in Shushi", collection=collection)
    make_live_testimony(title="Hidden diary", collection=collection, access_level="researchers")
    html = anonymous.get(reverse("collection", args=["blockade-diaries"])).content.decode()
    assert '<h1 lang="en">Blockade diaries</h1>' in html
    assert ">Winter in Shushi</a>" in html
    assert "Hidden diary" not in html
    assert text(document(html), "//*[@id='collection-count']") == "1 testimony"


def test_it_hides_a_collection_of_nothing_the_reader_may_see(anonymous):
    collection = make_collection(slug="secret")
    make_live_testimony(collection=collection, access_level="staff")
    assert anonymous.get(reverse("collection", args=["secret"])).status_code == 404
    assert "secret" not in anonymous.get(reverse("collections")).content.decode()


def test_it_shows_places_by_hierarchy_with_their_variant_names(anonymous):
    karabakh = make_place(name="Nagorno-Karabakh", kind="region")
    stepanakert = make_place(name="Stepanakert", kind="city", parent=karabakh)
    PlaceName.objects.create(place=stepanakert, language="hy", name="Ստեփանակերտ")
    make_place(name="Nowhere told of")
    make_live_testimony(places=[stepanakert])
    html = anonymous.get(reverse("places")).content.decode()
    # Stepanakert, with its count, under Nagorno-Karabakh (whose label has none).
    [region] = elements(
        document(html),
        "//ul[@class='tree']/li[span[@class='tree-label' and @lang='en']=$name]",
        name="Nagorno-Karabakh",
    )
    [city] = elements(region, "ul[@class='tree']/li/a")
    assert (city.get("href"), city.get("lang"), city.text) == (
        f"/search/?place_id={stepanakert.pk}",
        "en",
        "Stepanakert",
    )
    assert texts(city, "following-sibling::span[@class='count'][1]") == ["1"]
    assert '<span lang="hy">Ստեփանակերտ</span>' in html
    assert "Nowhere told of" not in html


def test_it_shows_the_thesaurus_tree_with_counts_of_visible_testimonies(anonymous):
    displacement = make_subject(label="Displacement")
    exodus = make_subject(label="Exodus of 2023", parent=displacement)
    SubjectLabel.objects.create(subject=exodus, language="ru", name="Исход 2023 года")
    make_live_testimony(subjects=[exodus])
    make_live_testimony(subjects=[exodus], access_level="staff")
    html = anonymous.get(reverse("subjects")).content.decode()
    assert (
        f'href="/search/?subject_id={exodus.pk}" lang="en">Exodus of 2023</a>'
        ' <span class="count">1<' in html
    )
    assert '<span lang="ru">Исход 2023 года</span>' in html


def test_it_tells_robots_where_the_sitemap_is_and_what_to_leave_alone(anonymous):
    response = anonymous.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /admin/\n" in text
    assert "Disallow: /accounts/\n" in text
    assert "Sitemap: http://testserver/sitemap.xml\n" in text


def test_it_dates_sitemap_entries_by_publication(anonymous):
    testimony = make_live_testimony()
    index = anonymous.get("/sitemap.xml").content.decode()
    lastmod = sitemap_entries(index)["http://testserver/sitemap-testimonies.xml"]
    assert lastmod is not None
    assert lastmod.startswith(f"{timezone.localtime(testimony.published_at):%Y-%m-%dT%H:%M:%S}")
    xml = anonymous.get("/sitemap-testimonies.xml").content.decode()
    assert sitemap_entries(xml)[f"http://testserver/testimonies/{testimony.reference}/"] == (
        f"{testimony.published_at:%Y-%m-%d}"
    )


def test_the_sitemap_index_lists_every_page_and_each_page_asks_the_policy(anonymous, monkeypatch):
    monkeypatch.setattr(PublicTestimonySitemap, "limit", 2)
    public = [make_live_testimony() for _ in range(5)]
    make_live_testimony(access_level="researchers")
    # Consent withdrawn a moment ago, the stored disclosure not yet refreshed: the policy
    # itself is asked for each testimony of the page.
    public[2].consent_records.update(
        withdrawn_at=timezone.now(),
        withdrawal_scope=ConsentRecord.WithdrawalScope.UNPUBLISH,
        withdrawal_recorded_by=make_user(role=Role.ARCHIVIST),
    )
    index = anonymous.get("/sitemap.xml").content.decode()
    pages = [page for page in sitemap_locations(index) if "/sitemap-testimonies.xml" in page]
    assert pages == [
        "http://testserver/sitemap-testimonies.xml",
        "http://testserver/sitemap-testimonies.xml?p=2",
        "http://testserver/sitemap-testimonies.xml?p=3",
    ]
    listed = []
    for page in pages:
        xml = anonymous.get(page.removeprefix("http://testserver")).content.decode()
        listed += [
            location.removeprefix("http://testserver/testimonies/").removesuffix("/")
            for location in sitemap_locations(xml)
        ]
    assert sorted(listed) == sorted(t.reference for t in public if t != public[2])
    assert anonymous.get("/sitemap-testimonies.xml?p=4").status_code == 404


def test_it_serves_an_atom_feed_of_recent_public_publications(anonymous):
    testimony = make_live_testimony(title="Winter in Shushi", summary="Bread ran out.")
    response = anonymous.get("/feeds/testimonies.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert "<title>Winter in Shushi</title>" in xml
    assert f'href="http://testserver/testimonies/{testimony.reference}/"' in xml
    assert "Bread ran out." in xml


def test_it_builds_the_lists_in_a_few_queries_however_many_testimonies(
    anonymous, django_assert_max_num_queries
):
    collection = make_collection()
    place, subject = make_place(), make_subject()
    for _ in range(4):
        make_live_testimony(collection=collection, places=[place], subjects=[subject])
    with django_assert_max_num_queries(5):
        anonymous.get(reverse("home"))
    with django_assert_max_num_queries(5):
        anonymous.get(reverse("collection", args=[collection.slug]))
    with django_assert_max_num_queries(3):
        anonymous.get(reverse("places"))
    with django_assert_max_num_queries(3):
        anonymous.get(reverse("subjects"))
