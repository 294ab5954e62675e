"""E-mail to researchers about their account and access, and to the staff who decide.

Called after commit (services schedule them with transaction.on_commit), never inside it.
Bodies are templates under templates/accounts/email/, links use SITE_URL.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from archive.accounts.models import AccessRequest, User


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the sign-up confirmation link; they stop working once the address is
    confirmed (the hash covers the pending flag) and after PASSWORD_RESET_TIMEOUT."""

    key_salt = "archive.accounts.emails.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{user.pk}{user.email}{user.awaiting_email_confirmation}{user.is_active}{timestamp}"


email_confirmation_tokens = EmailConfirmationTokenGenerator()


def _send(template: str, context: dict[str, Any], recipients: list[str]) -> None:
    if not recipients:
        return
    context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    send_mail(
        subject=f"[{settings.SITE_NAME}] " + " ".join(subject.split()),
        message=render_to_string(f"accounts/email/{template}.txt", context),
        from_email=None,
        recipient_list=recipients,
    )


def confirmation_link(user: User) -> str:
    path = reverse(
        "accounts:confirm_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_confirmation_tokens.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_email_confirmation(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    if not user.awaiting_email_confirmation or not user.email:
        return
    _send("confirm_email", {"user": user, "link": confirmation_link(user)}, [user.email])


def send_sign_up_attempt_notice(user_id: int) -> None:
    """Tell the owner of an address that someone tried to sign up with it (the sign-up page
    tells the one who tried nothing of it); an owner still waiting for confirmation gets
    the link again."""
    user = User.objects.get(pk=user_id)
    if not user.email:
        return
    context = {
        "user": user,
        "confirmation_link": confirmation_link(user) if user.awaiting_email_confirmation else "",
        "login_link": f"{settings.SITE_URL}{reverse('accounts:login')}",
        "reset_link": f"{settings.SITE_URL}{reverse('accounts:password_reset')}",
    }
    _send("sign_up_existing", context, [user.email])


def deciders() -> list[str]:
    """Addresses of everyone who may decide access requests."""
    may_decide = Q(groups__permissions__codename="decide_accessrequest") | Q(
        user_permissions__codename="decide_accessrequest"
    )
    users = User.objects.filter(Q(is_superuser=True) | may_decide, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def _load(access_request_id: int) -> AccessRequest:
    return AccessRequest.objects.select_related("user").get(pk=access_request_id)


def _admin_link(access_request: AccessRequest) -> str:
    path = reverse("admin:accounts_accessrequest_change", args=[access_request.pk])
    return f"{settings.SITE_URL}{path}"


def notify_requested(access_request_id: int) -> None:
    """The researcher gets an acknowledgement; the people who decide get the request."""
    access_request = _load(access_request_id)
    researcher = access_request.user
    context = {
        "access_request": access_request,
        "user": researcher,
        "admin_link": _admin_link(access_request),
        "profile_link": f"{settings.SITE_URL}{reverse('accounts:profile')}",
    }
    _send("access_requested", context, [researcher.email] if researcher.email else [])
    staff = [email for email in deciders() if email != researcher.email]
    _send("access_to_decide", context, staff)


def notify_researcher(access_request_id: int) -> None:
    """Tell the researcher what became of their request: approved, refused, expired or
    revoked (the template follows the status)."""
    access_request = _load(access_request_id)
    if not access_request.user.email:
        return
    context = {
        "access_request": access_request,
        "user": access_request.user,
        "profile_link": f"{settings.SITE_URL}{reverse('accounts:profile')}",
        "search_link": f"{settings.SITE_URL}{reverse('search')}",
    }
    _send(f"access_{access_request.status}", context, [access_request.user.email])
