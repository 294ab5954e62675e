"""Making, checking and revoking personal API tokens.

A token is `ta_` followed by 43 URL-safe characters (256 random bits). The database keeps
its SHA-256 hash and its first characters; a stolen database therefore holds no usable
token. A token acts for its owner with the owner's audience at the moment of each request
(archive/consent/policy.py `audience_of`), so a researcher whose approval ends keeps a
token that opens only what the public sees. A token carries no second factor, so it never
acts with staff reach: a staff member's token reaches what their account would as a plain
one (archive/accounts/access.py `without_staff_reach`), and a staff session that has not
confirmed its one-time code may not create one.
"""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from archive.accounts.access import has_staff_reach, without_staff_reach
from archive.accounts.models import User
from archive.api.models import ApiToken
from archive.audit.log import record_audit

TOKEN_PREFIX = "ta_"  # noqa: S105 (a marker, not a secret)
SHOWN_PREFIX_LENGTH = 10
# How long the last-used time may lag, so a busy token does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    pass


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def create_token(*, actor: User, name: str, valid_days: int | None) -> tuple[ApiToken, str]:
    """A new token for `actor`; returns it with its raw value, which is never stored."""
    if not actor.is_authenticated or not actor.is_active:
        raise TokenError("Sign in to create an API token.")
    if actor.is_staff and not has_staff_reach(actor):
        # Whoever holds only a staff password must not turn it into a lasting credential.
        raise TokenError("Confirm a code from your authenticator app first (Two-factor).")
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("Give the token a name of up to 100 characters.")
    if valid_days is not None and not 1 <= valid_days <= 366:
        raise TokenError("A token may be valid for 1 to 366 days.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=raw[:SHOWN_PREFIX_LENGTH],
        token_hash=hash_token(raw),
        expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
    )
    record_audit("api.token.create", actor=actor, obj=token, data={"prefix": token.prefix})
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, actor: User) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    if token.user_id != actor.pk:
        raise TokenError("You may revoke only your own tokens.")
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if revoked != 1:
        raise TokenError("This token is already revoked.")
    token.refresh_from_db()
    record_audit("api.token.revoke", actor=actor, obj=token, data={"prefix": token.prefix})
    return token


def token_for(raw: str) -> ApiToken | None:
    """The active token with this raw value whose owner may still sign in, or None."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    without_staff_reach(token.user)
    return token
