"""Researchers' account pages: sign-up and e-mail confirmation, profile, access requests,
the terms of use, and the staff's two-factor set-up. Login, logout, password reset and
change are Django's own views (archive/accounts/urls.py) with our templates."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from archive.accounts import services, two_factor
from archive.accounts.access import signed_in_user
from archive.accounts.audience import Audience, audience_of
from archive.accounts.emails import email_confirmation_tokens
from archive.accounts.forms import (
    AccessRequestForm,
    ProfileForm,
    ResendConfirmationForm,
    SignUpForm,
)
from archive.accounts.models import AccessRequest, User
from archive.lib.errors import WorkflowError
from archive.lib.throttle import limit_sendings

# Signed-up researchers log in with the model backend; django-axes only watches logins.
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
@limit_sendings("sign_up")
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.sign_up(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
        )
        return redirect("accounts:sign_up_done")
    return render(request, "accounts/sign_up.html", {"form": form})


class PasswordResetView(auth_views.PasswordResetView):
    """Django's page, handing the address to a task rather than looking it up and sending
    here: the same work whether or not an account has it (archive/accounts/tasks.py)."""

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        services.request_password_reset(form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/sign_up_done.html")


def _user_from_link(uidb64: str) -> User | None:
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        return User.objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, User.DoesNotExist):
        return None


@require_http_methods(["GET", "POST"])
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the sign-up e-mail. Opening it (GET) changes nothing, since mail
    scanners open links too; the button on the page (POST) activates the account."""
    user = _user_from_link(uidb64)
    if user is None or not email_confirmation_tokens.check_token(user, token):
        return render(request, "accounts/confirm_email_invalid.html", status=400)
    if request.method == "POST":
        try:
            user = services.confirm_email(user)
        except WorkflowError as error:
            messages.info(request, error.message)
            return redirect("accounts:login")
        login(request, user, backend=MODEL_BACKEND)
        messages.success(request, _("Your e-mail address is confirmed. Welcome!"))
        return redirect("accounts:profile")
    return render(request, "accounts/confirm_email.html", {"account": user})


@require_http_methods(["GET", "POST"])
@limit_sendings("resend_confirmation")
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.resend_email_confirmation(form.cleaned_data["email"])
        # The same answer whether or not such an account exists.
        messages.info(
            request,
            _(
                "If an account with this address is waiting for confirmation, "
                "we sent it a new link."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/resend_confirmation.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(
            user,
            actor=user,
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
        )
        messages.success(request, _("Your details are saved."))
        return redirect("accounts:profile")
    access_requests = list(AccessRequest.objects.filter(user_id=user.pk).order_by("-created_at"))
    audience = audience_of(user)
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "access_requests": access_requests,
            "open_request": services.open_request_of(user),
            "is_approved_researcher": audience == Audience.RESEARCHERS,
            "is_staff_reader": audience >= Audience.STAFF,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_access(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if audience_of(user) >= Audience.RESEARCHERS or services.open_request_of(user):
        messages.info(request, _("You already have access, or a request waiting for a decision."))
        return redirect("accounts:profile")
    form = AccessRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_access(
                actor=user,
                affiliation=data["affiliation"],
                purpose=data["purpose"],
                accepted_terms=data["accept_terms"],
                requested_until=data["requested_until"],
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you: your request was sent. We will write to you when it is decided."),
            )
            return redirect("accounts:profile")
    return render(request, "accounts/request_access.html", {"form": form})


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/terms.html")


def _next_url(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Staff enrol an authenticator app (a TOTP device) or confirm a code from it, which
    the admin asks for when STAFF_REQUIRE_TWO_FACTOR is on."""
    user: Any = request.user
    if not user.is_staff:
        raise Http404
    next_url = _next_url(request, "/admin/")
    device = two_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = two_factor.enrolment_device(user)
    assert device is not None  # noqa: S101  (for mypy: enrolment_device always returns one)
    error = ""
    if request.method == "POST":
        token = "".join(request.POST.get("token", "").split())
        if two_factor.verify(request, device, token, enrolling=enrolling):
            messages.success(request, _("Your code is confirmed."))
            return redirect(next_url)
        error = _("That code is not right, or came too late. Try the current code.")
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolling": enrolling,
            "verified": user.is_verified(),
            "qr_code": two_factor.qr_code_data_uri(device) if enrolling else "",
            "secret": two_factor.secret_in_base32(device) if enrolling else "",
            "error": error,
            "next": next_url,
            "required": settings.STAFF_REQUIRE_TWO_FACTOR,
        },
        status=400 if error else 200,
    )
