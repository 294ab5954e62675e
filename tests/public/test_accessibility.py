"""axe-core (shipped offline by pytest-playwright-axe) finds no WCAG 2.2 A/AA or best-practice
violation on the pages people land on: home, search results with facets, a testimony with a
content note, a transcript and a recording, sign-up and the access request, in each interface
language. Reports are written under var/axe/, and a screenshot of each page checked under
var/screenshots/axe-*.png (both git-ignored).

axe is injected into the page as an inline script, which our Content Security Policy rightly
blocks; this module's browser context bypasses the CSP for that reason alone (the switcher and
media tests run with the policy on).

Browser fixtures: tests/conftest.py.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from pytest_playwright_axe import OPTIONS_WCAG_22AA, Axe

from archive.testimonies.models import Testimony
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_place,
    make_subject,
    make_user,
    wav_bytes,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_orm_beside_playwright"),
]

REPORTS = Path(settings.BASE_DIR) / "var" / "axe"
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
LANGUAGES = [code for code, _name in settings.LANGUAGES]

ARMENIAN_TRANSCRIPT = (
    "Այդ առավոտ մենք հավաքեցինք մեր իրերը և դուրս եկանք տնից։\n\n"
    "Ճանապարհը երկար էր, երեխաները լռում էին։"
)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # axe-core is injected as an inline script: only this module turns the CSP off.
    return {**browser_context_args, "bypass_csp": True}


@pytest.fixture
def testimony() -> Testimony:
    """A published public testimony with everything its page can show: places and subjects
    (which the search page turns into facets), a collection, a content note, an Armenian
    transcript (a second language on the page) and a public recording."""
    city = make_place(name="Stepanakert")
    return make_live_testimony(
        title="The last morning in Stepanakert",
        summary="Leaving the city in September 2023, with the children and a neighbour.",
        interviewer="Anna Grigoryan",
        content_notes="Describes shelling and the death of a neighbour.",
        period_start_year=2020,
        period_end_year=2023,
        recording_place=city,
        places=[city, make_place(name="Goris")],
        subjects=[make_subject(label="Displacement"), make_subject(label="Family")],
        collection=make_collection(title="Leaving Artsakh, 2023"),
        transcript=ARMENIAN_TRANSCRIPT,
        language="hy",
        media=[{"content": wav_bytes(seconds=2), "name": "interview.wav"}],
    )


def open_in(page: Any, base_url: str, language: str, path: str) -> None:
    # The language as Django's cookie holds it after the switcher (tested on its own).
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )
    response = page.goto(path)
    assert response is not None and response.ok, f"{path}: {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language


def log_in(page: Any, base_url: str) -> None:
    """An ordinary signed-up user, who may ask for research access, logged in by session
    cookie (the login form has its own tests)."""
    client = Client()
    client.force_login(make_user())
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def assert_no_violations(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"axe-{name}.png", full_page=True)
    results = Axe(output_directory=REPORTS).run(
        page, filename=name, options=OPTIONS_WCAG_22AA, strict_mode=False
    )
    violations = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(str(node["target"]) for node in violation["nodes"])
        for violation in results["violations"]
    ]
    assert not violations, f"axe on {page.url}:\n" + "\n".join(violations)
    assert results["passes"], "axe ran no check at all"


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_the_home_page(
    page: Any, base_url: str, language: str, testimony: Testimony
) -> None:
    open_in(page, base_url, language, "/")
    assert page.get_by_role("link", name=testimony.title).count() == 1

    assert_no_violations(page, f"home-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_search_results_with_facets(
    page: Any, base_url: str, language: str, testimony: Testimony
) -> None:
    open_in(page, base_url, language, "/search/?q=Stepanakert")
    assert page.get_by_role("link", name=testimony.title).count() == 1
    assert page.get_by_text("Displacement").count() >= 1  # a subject facet

    assert_no_violations(page, f"search-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_a_testimony_page(
    page: Any, base_url: str, language: str, testimony: Testimony
) -> None:
    open_in(page, base_url, language, f"/testimonies/{testimony.reference}/")
    assert page.locator("audio").count() == 1
    assert page.locator(".transcript-text[lang=hy]").count() == 1

    assert_no_violations(page, f"testimony-{language}")

    page.locator("details.content-note summary").click()  # the transcript behind the note
    assert_no_violations(page, f"testimony-transcript-open-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_the_sign_up_page(page: Any, base_url: str, language: str) -> None:
    open_in(page, base_url, language, "/accounts/sign-up/")
    assert page.locator("form.stacked-form input").count() >= 2

    assert_no_violations(page, f"sign-up-{language}")

    # With the errors of an empty submission shown.
    page.locator("form.stacked-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() >= 1
    assert_no_violations(page, f"sign-up-errors-{language}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_it_finds_no_violation_on_the_access_request_page(
    page: Any, base_url: str, language: str
) -> None:
    log_in(page, base_url)
    open_in(page, base_url, language, "/accounts/access/")
    assert page.locator("form.stacked-form textarea").count() >= 1

    assert_no_violations(page, f"access-request-{language}")


def test_it_would_report_a_violation(page: Any, base_url: str) -> None:
    # The checks above pass only if axe really runs in these pages: here a field loses its
    # label and a paragraph its language, and axe must say so.
    open_in(page, base_url, "en", "/")
    page.evaluate(
        """() => {
            document.querySelector("label[for=q]").remove();
            document.querySelector("#q").removeAttribute("placeholder");
            document.querySelector(".lede").setAttribute("lang", "armenian");
        }"""
    )

    results = Axe(output_directory=REPORTS).run(
        page, filename="broken-home", options=OPTIONS_WCAG_22AA
    )

    assert {"label", "valid-lang"} <= {violation["id"] for violation in results["violations"]}
