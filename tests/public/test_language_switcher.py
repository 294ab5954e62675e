"""The language switcher in the page header changes the interface language in a real browser
with JavaScript turned off (a plain form posted to Django's set_language), and the choice
stays for the following pages. Screenshots of the home page in each language are saved
under var/screenshots/ (git-ignored) for a person to look at.

Browser fixtures: tests/conftest.py.
"""

from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.factories import make_collection, make_live_testimony

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_orm_beside_playwright"),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

# What the header says in each language: the main navigation's label and its first link,
# and the switcher's own label (from the catalogues in archive/locale/).
HEADER = {
    "en": {"nav": "Main", "search": "Search", "language": "Language"},
    "hy": {"nav": "Գլխավոր ընտրացանկ", "search": "Որոնում", "language": "Լեզու"},
    "ru": {"nav": "Основное меню", "search": "Поиск", "language": "Язык"},
}


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # Without JavaScript: the switcher must work as a plain form.
    return {**browser_context_args, "java_script_enabled": False, "locale": "en-GB"}


@pytest.fixture
def archive_with_a_testimony() -> None:
    # Something on the home page worth a screenshot: a published Armenian account in a
    # collection.
    collection = make_collection(title="Stepanakert, 2023")
    make_live_testimony(
        title="Վերջին օրը Ստեփանակերտում",
        summary="The narrator tells of the last days before leaving the city.",
        transcript="Այդ առավոտ մենք հավաքեցինք մեր իրերը։",
        language="hy",
        collection=collection,
    )


def switch_language(page: Any, language: str) -> None:
    page.select_option("#language-choice", language)
    with page.expect_navigation():
        page.locator("form.language-switcher button[type=submit]").click()


def assert_interface_in(page: Any, language: str) -> None:
    words = HEADER[language]
    assert page.locator("html").get_attribute("lang") == language
    navigation = page.get_by_role("navigation", name=words["nav"], exact=True)
    assert navigation.get_by_role("link", name=words["search"], exact=True).count() == 1
    assert page.locator("label[for=language-choice]").inner_text() == words["language"]
    assert page.locator("#language-choice").input_value() == language


@pytest.mark.usefixtures("archive_with_a_testimony")
def test_it_switches_the_interface_to_armenian_and_russian_and_keeps_the_choice(
    page: Any,
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/")
    assert_interface_in(page, "en")
    page.screenshot(path=SCREENSHOTS / "home-en.png", full_page=True)

    for language in ("hy", "ru"):
        switch_language(page, language)

        # Back on the page the form was sent from, now in the chosen language.
        assert urlparse(page.url).path == "/"
        assert_interface_in(page, language)
        page.screenshot(path=SCREENSHOTS / f"home-{language}.png", full_page=True)
        # The choice persists on the next pages (Django's language cookie).
        page.goto("/search/?q=Ստեփանակերտ")
        assert_interface_in(page, language)
        page.goto("/")
        assert_interface_in(page, language)

    switch_language(page, "en")
    assert_interface_in(page, "en")


def test_it_returns_to_the_page_the_language_was_changed_on(page: Any) -> None:
    page.goto("/places/")

    switch_language(page, "ru")

    assert urlparse(page.url).path == "/places/"
    assert_interface_in(page, "ru")
    assert page.get_by_role("heading", level=1).inner_text() == "Места"


def test_it_marks_each_language_of_the_switcher_in_its_own_language(page: Any) -> None:
    page.goto("/")

    options = page.locator("#language-choice option")

    assert [
        (option.get_attribute("value"), option.get_attribute("lang")) for option in options.all()
    ] == [("en", "en"), ("hy", "hy"), ("ru", "ru")]
    assert options.all_inner_texts() == ["English", "Հայերեն", "Русский"]
