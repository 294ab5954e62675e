"""Citations of a known testimony, built from what the reader was shown."""

import pytest
from django.urls import reverse

from archive.accounts.audience import Audience
from archive.consent.policy import disclosed_content
from archive.public.citations import build_citations, csl_json
from archive.testimonies.models import Testimony
from archive.testimonies.snapshot_types import DisclosedContent

pytestmark = pytest.mark.django_db


def public_content(testimony: Testimony) -> DisclosedContent:
    content = disclosed_content(testimony, Audience.PUBLIC)
    assert content is not None
    return content


@pytest.fixture(autouse=True)
def site(settings):
    settings.SITE_URL = "https://archive.example.org"
    settings.SITE_NAME = "Testimony Archive"


def test_it_cites_a_testimony_in_chicago_apa_and_bibtex(described):
    reference = described.testimony.reference
    content = public_content(described.testimony)
    citations = build_citations(content)
    link = f"https://archive.example.org/testimonies/{reference}/"
    assert citations.permalink == link
    assert citations.chicago == (
        "Mariam K. “The last bus from Stepanakert.” Interview by Ani Grigoryan, "
        f"2 October 2023. Testimony Archive, {reference}. {link}."
    )
    assert citations.apa == (
        "Mariam K. (2023, October 2). The last bus from Stepanakert "
        f"[Interview by Ani Grigoryan]. Testimony Archive. {link}"
    )
    key = reference.replace("-", "")
    assert citations.bibtex == (
        f"@misc{{{key},\n"
        "  author = {{Mariam K.}},\n"
        "  title = {{The last bus from Stepanakert}},\n"
        "  year = {2023},\n"
        "  howpublished = {Interview by Ani Grigoryan},\n"
        f"  note = {{Testimony Archive, {reference}}},\n"
        f"  url = {{{link}}}\n"
        "}"
    )


def test_it_cites_one_moment_with_its_time_code(described):
    reference = described.testimony.reference
    content = public_content(described.testimony)
    citations = build_citations(content, seconds=83)
    link = f"https://archive.example.org/testimonies/{reference}/?t=83"
    assert citations.permalink == link
    assert citations.chicago.endswith(f"Testimony Archive, {reference}, at 1:23. {link}.")
    assert "[Interview by Ani Grigoryan, at 1:23]" in citations.apa


def test_it_gives_csl_json_with_the_disclosed_name(described):
    testimony = described.testimony
    data = csl_json(testimony, public_content(testimony))
    assert data == {
        "id": testimony.reference,
        "type": "interview",
        "title": "The last bus from Stepanakert",
        "author": [{"literal": "Mariam K."}],
        "interviewer": [{"literal": "Ani Grigoryan"}],
        "publisher": "Testimony Archive",
        "archive": "Testimony Archive",
        "archive_location": testimony.reference,
        "URL": f"https://archive.example.org/testimonies/{testimony.reference}/",
        "issued": {"date-parts": [[2023, 10, 2]]},
        "abstract": "A teacher remembers the day her town emptied.",
        "language": "hy",
    }


def test_it_puts_the_citations_and_a_moment_on_the_page(anonymous, described):
    url = reverse("testimony", args=[described.testimony.reference])
    html = anonymous.get(url, {"t": "83"}).content.decode()
    assert "Cite this testimony at 1:23" in html
    assert f'href="https://archive.example.org{url}?t=83"' in html
    assert 'data-copy="cite-chicago" hidden' in html  # shown by the script only


def test_it_escapes_bibtex_specials(described):
    content = public_content(described.testimony)
    content["title"] = "50% & {more}"
    assert "title = {{50\\% \\& \\{more\\}}}" in build_citations(content).bibtex


@pytest.mark.parametrize(
    ("title", "cited"),
    [
        ("“I left everything behind”", "“‘I left everything behind.’”"),
        ('"I left everything behind"', "“‘I left everything behind.’”"),
        ("Where do we go now?", "“Where do we go now?”"),
    ],
)
def test_it_quotes_a_title_once_with_its_full_stop_inside(described, title, cited):
    content = public_content(described.testimony)
    content["title"] = title
    assert f"Mariam K. {cited} Interview by" in build_citations(content).chicago
