"""STAFF_REQUIRE_TWO_FACTOR: the admin opens only to staff who confirmed a one-time code."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.audit.models import AuditEntry
from tests.conftest import client_for
from tests.html import document, text

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
TWO_FACTOR = reverse("accounts:two_factor")


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def required(settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = True


def test_without_the_setting_the_admin_opens_as_before(settings, archivist):
    settings.STAFF_REQUIRE_TWO_FACTOR = False

    assert client_for(archivist).get(ADMIN).status_code == 200


@pytest.mark.usefixtures("required")
def test_staff_without_a_device_are_sent_to_set_one_up(archivist):
    client = client_for(archivist)

    response = client.get(ADMIN, follow=True)

    assert response.redirect_chain[-1][0] == f"{TWO_FACTOR}?next={quote(ADMIN, safe='')}"
    assert b"data:image/svg+xml;base64," in response.content  # the QR code, inline
    assert re.fullmatch(r"[A-Z2-7 ]+", text(document(response), "//*[@id='totp-secret']") or "")
    # Nothing under /admin/ opens meanwhile.
    changelist = reverse("admin:testimonies_testimony_changelist")
    assert client.get(changelist)["Location"].startswith(reverse("admin:login"))


@pytest.mark.usefixtures("required")
def test_enrolling_with_a_right_code_opens_the_admin(archivist):
    client = client_for(archivist)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=archivist)
    assert not device.confirmed

    response = client.post(TWO_FACTOR, {"token": current_code(device), "next": ADMIN})

    assert response["Location"] == ADMIN
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(ADMIN).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor_enrol", actor=archivist).exists()


@pytest.mark.usefixtures("required")
def test_a_wrong_code_opens_nothing_and_further_tries_are_throttled(archivist):
    client = client_for(archivist)
    client.get(TWO_FACTOR)
    device = TOTPDevice.objects.get(user=archivist)
    wrong = "000000" if current_code(device) != "000000" else "111111"

    response = client.post(TWO_FACTOR, {"token": wrong})

    assert response.status_code == 400
    assert b"not right" in response.content
    assert client.get(ADMIN).status_code == 302
    # django-otp makes the next try wait (doubling with each failure): even the right code
    # is refused at once after a wrong one.
    assert client.post(TWO_FACTOR, {"token": current_code(device)}).status_code == 400
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


@pytest.mark.usefixtures("required")
def test_a_new_session_asks_for_a_code_without_showing_the_secret_again(archivist):
    device = TOTPDevice.objects.create(user=archivist, name="phone", confirmed=True)
    client = client_for(archivist)

    page = client.get(ADMIN, follow=True)
    assert page.redirect_chain[-1][0].startswith(TWO_FACTOR)
    assert b"data:image/svg+xml" not in page.content
    assert b"totp-secret" not in page.content

    client.post(TWO_FACTOR, {"token": current_code(device)})

    assert client.get(ADMIN).status_code == 200


@pytest.mark.usefixtures("required")
def test_a_researcher_is_not_asked_for_a_second_factor(researcher):
    client = client_for(researcher)

    assert client.get(reverse("accounts:profile")).status_code == 200
    assert client.get(TWO_FACTOR).status_code == 404


@pytest.mark.usefixtures("required")
def test_the_admin_login_page_still_lets_staff_log_in_first(archivist):
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=" + ADMIN,
        {"username": archivist.username, "password": "correct horse battery staple", "next": ADMIN},
        follow=True,
    )

    assert response.redirect_chain[-1][0].startswith(TWO_FACTOR)


def test_archivists_see_the_staffs_devices_in_the_admin(archivist, contributor):
    TOTPDevice.objects.create(user=contributor, name="phone", confirmed=True)
    changelist = reverse("admin:otp_totp_totpdevice_changelist")

    assert client_for(archivist).get(changelist).status_code == 200
    assert client_for(contributor).get(changelist).status_code == 403
