"""In a real browser: a researcher signs up, confirms the address from the e-mail, asks for
access; an archivist approves it in the admin; the researcher then finds the testimony kept
for researchers. Screenshots of each step go to var/screenshots/ (git-ignored).

Browser fixtures: tests/conftest.py.
"""

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, Permission
from django.core import mail

from archive.accounts.models import AccessRequest, User
from archive.accounts.roles import ROLE_PERMISSIONS, Role
from archive.public.models import AccessRecord
from tests.factories import TEST_PASSWORD, make_live_testimony, make_user

# The live server reads the database from another thread, so the test commits.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_orm_beside_playwright"),
]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "var" / "screenshots"
SECRET_WORD = "quillwort"
PASSWORD = "a long enough passphrase 42"


def restore_role_groups() -> None:
    """The role groups come from a data migration, which the flush after an earlier
    transactional test removed; the permissions themselves are recreated by the flush."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = {tuple(name.split(".")) for name in names}
        group.permissions.set(
            permission
            for permission in Permission.objects.select_related("content_type")
            if (permission.content_type.app_label, permission.codename) in wanted
        )


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def results_count(page: Any) -> int:
    text = (
        page.locator("#results-count").inner_text()
        if page.locator("#results-count").count()
        else "0"
    )
    match = re.match(r"\s*(\d+)", text)
    return int(match.group(1)) if match else 0


def test_a_researcher_signs_up_is_approved_and_sees_researchers_material(
    browser: Any, base_url: str, settings: Any
) -> None:
    settings.STAFF_REQUIRE_TWO_FACTOR = False
    restore_role_groups()
    archivist = make_user(role=Role.ARCHIVIST, username="ani.archivist")
    testimony = make_live_testimony(
        title="Letters from the blockade",
        access_level="researchers",
        transcript=f"We kept the {SECRET_WORD} seeds in a tin through the winter.",
    )
    mail.outbox.clear()
    researcher_context = browser.new_context(base_url=base_url)
    page = researcher_context.new_page()

    # 1. Sign up.
    page.goto("/accounts/sign-up/")
    page.get_by_label("Username").fill("lilit.researcher")
    page.get_by_label("E-mail address").fill("lilit@example.org")
    page.get_by_label("First name").fill("Lilit")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    shot(page, "01-researcher-sign-up-form")
    page.get_by_role("button", name="Sign up").click()
    page.wait_for_url("**/accounts/sign-up/done/")
    shot(page, "02-researcher-check-your-email")

    # 2. Confirm the address with the link the live server mailed.
    (message,) = [m for m in mail.outbox if m.to == ["lilit@example.org"]]
    match = re.search(r"https?://[^/\s]+(/accounts/confirm/\S+/)", str(message.body))
    assert match, message.body
    path = match.group(1)
    page.goto(path)
    shot(page, "03-researcher-confirm-email")
    page.get_by_role("button", name="Confirm and activate my account").click()
    page.wait_for_url("**/accounts/profile/")
    assert User.objects.get(username="lilit.researcher").is_active

    # Before approval the testimony is not found.
    page.goto(f"/search/?q={SECRET_WORD}")
    assert results_count(page) == 0
    assert "Letters from the blockade" not in page.content()
    shot(page, "04-researcher-search-before-approval")

    # 3. Request access.
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Request access").click()
    page.get_by_label("Affiliation").fill("Yerevan State University")
    page.get_by_label("Purpose of research").fill("Oral history of the blockade years.")
    page.get_by_label("I have read the terms of use and accept them").check()
    shot(page, "05-researcher-access-request-form")
    page.get_by_role("button", name="Send the request").click()
    page.wait_for_url("**/accounts/profile/")
    assert "waiting for a decision" in page.locator("#access-status").inner_text()
    shot(page, "06-researcher-profile-request-waiting")

    # 4. The archivist approves it in the admin, in a browser context of their own.
    staff_context = browser.new_context(base_url=base_url)
    admin = staff_context.new_page()
    admin.goto("/admin/login/?next=/admin/")
    admin.get_by_label("Username").fill(archivist.username)
    admin.get_by_label("Password").fill(TEST_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.wait_for_url("**/admin/")
    admin.goto("/admin/accounts/accessrequest/")
    shot(admin, "07-archivist-access-request-list")
    admin.get_by_role("link", name=re.compile(r"Access request #\d+")).first.click()
    admin.get_by_role("button", name="Approve access").wait_for()
    shot(admin, "08-archivist-access-request-page")
    admin.get_by_role("button", name="Approve access").click()
    admin.get_by_text("now has access").wait_for()
    shot(admin, "09-archivist-approved")
    access_request = AccessRequest.objects.get(user__username="lilit.researcher")
    assert access_request.status == AccessRequest.Status.APPROVED
    assert access_request.decided_by == archivist
    assert any(m.to == ["lilit@example.org"] and "approved" in m.subject for m in mail.outbox)

    # 5. The researcher now finds it.
    page.goto("/accounts/profile/")
    assert "approved researcher" in page.locator("#access-status").inner_text()
    shot(page, "10-researcher-profile-approved")
    page.goto(f"/search/?q={SECRET_WORD}")
    assert results_count(page) == 1
    assert page.locator(".result-title", has_text="Letters from the blockade").count() == 1
    shot(page, "11-researcher-search-after-approval")

    # 6. And the testimony's own page (built beside this work), whose view is logged.
    response = page.goto(f"/testimonies/{testimony.reference}/")
    assert response is not None
    assert response.status == 200
    assert "Letters from the blockade" in page.content()
    shot(page, "12-researcher-testimony-page")
    assert AccessRecord.objects.filter(
        user__username="lilit.researcher",
        resource=AccessRecord.Resource.TESTIMONY,
        testimony_id=testimony.pk,
    ).exists()
    researcher_context.close()
    staff_context.close()
