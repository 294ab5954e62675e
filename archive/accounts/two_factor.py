"""Two-factor authentication for staff (django-otp, TOTP authenticator apps).

With STAFF_REQUIRE_TWO_FACTOR on, the admin opens only to staff who confirmed a code from
their authenticator in this session (django-otp's `user.is_verified()`); anyone else is sent
to /accounts/two-factor/ to enrol a device or enter a code. Outside the admin the same rule
holds through the disclosure policy: until the code is confirmed, a staff session reaches
what a plain account does (archive/accounts/access.py `has_staff_reach`). The setting is
read on every request, so it can be switched in tests and needs no restart logic.
"""

import base64
from typing import Any
from urllib.parse import urlencode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.audit.log import record_audit

ENROLMENT_DEVICE_NAME = "Authenticator app"


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def enrolment_device(user: Any) -> TOTPDevice:
    """The device being set up: kept unconfirmed until a first code from it is right, so
    a QR code that was never scanned grants nothing. The same one on every reload, so the
    code scanned a minute ago still works."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
    return device


def verify(request: HttpRequest, device: TOTPDevice, token: str, *, enrolling: bool) -> bool:
    """Check a code from the device (django-otp throttles repeated failures); when right,
    mark this session verified, and finish an enrolment."""
    if not token or not device.verify_token(token):
        return False
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_audit("accounts.two_factor_enrol", actor=request.user, obj=device)
    otp_login(request, device)
    return True


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as an SVG QR code, inline as a data: URI (allowed by
    the Content Security Policy's img-src), so no other host ever sees the secret."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    svg = image.to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def secret_in_base32(device: TOTPDevice) -> str:
    """The secret for typing into an app by hand, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def staff_needs_second_factor(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(
        settings.STAFF_REQUIRE_TWO_FACTOR
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and not user.is_verified()
    )


def two_factor_url(next_url: str) -> str:
    return reverse("accounts:two_factor") + "?" + urlencode({"next": next_url})


class TwoFactorAdminSite(AdminSite):
    """The admin site, closed to staff who have not confirmed a one-time code in this
    session while STAFF_REQUIRE_TWO_FACTOR is on. (django-otp's OTPAdminSite does the
    same but asks for the code on its own login form, whose device list and set-up we do
    not want; here enrolment and codes live on one page.)"""

    def has_permission(self, request: HttpRequest) -> bool:
        return super().has_permission(request) and not staff_needs_second_factor(request)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        # A logged-in staff member lands here when has_permission refused them for want
        # of a code: send them to enter one, then on to where they were going.
        if request.method == "GET" and staff_needs_second_factor(request):
            next_url = request.GET.get("next") or reverse("admin:index", current_app=self.name)
            return HttpResponseRedirect(two_factor_url(next_url))
        response: HttpResponse = super().login(request, extra_context)
        return response


def require_two_factor_in(site: AdminSite) -> None:
    """Give the site the two-factor rule in place: archive/urls.py mounts `admin.site`,
    and every ModelAdmin is registered on that very object."""
    if not isinstance(site, TwoFactorAdminSite):
        site.__class__ = type("TwoFactorAdminSite", (TwoFactorAdminSite, site.__class__), {})
