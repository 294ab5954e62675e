"""Who is calling the API, and how often they may.

A caller is either a personal token (`Authorization: Bearer ta_…`) or the browser session;
without either, the public. A bad, revoked or expired token is refused with 401 rather than
quietly treated as the public, so a script notices. Requests are counted in fixed windows
in Django's cache: per token for token callers, per IP address for everyone else (and for
refused tokens, so guessing tokens is throttled too).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from ninja.errors import AuthenticationError

from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import User
from archive.api.models import ApiToken
from archive.api.tokens import token_for
from archive.lib.client_address import address_block, client_address
from archive.lib.throttle import count_in_window

# Requests allowed per window, overridable in settings (API_RATE_LIMIT_PER_TOKEN, …).
DEFAULT_LIMIT_PER_TOKEN = 120
DEFAULT_LIMIT_PER_IP = 60
DEFAULT_WINDOW_SECONDS = 60


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Too many requests: try again in {retry_after} seconds.")


@dataclass(frozen=True)
class Caller:
    user: User | AnonymousUser
    token: ApiToken | None

    @property
    def audience(self) -> Audience:
        """What the API shows: the site's search shows staff what researchers see, and so
        does the API (staff work in the admin)."""
        return min(audience_of(self.user), Audience.RESEARCHERS)


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def count_request(scope: str, ident: str, limit: int) -> None:
    """Count one request in the current window; RateLimited once the limit is passed."""
    window = _limit("API_RATE_LIMIT_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)
    count, wait = count_in_window(f"api:{scope}:{ident}", window)
    if count > limit:
        raise RateLimited(wait)


def client_ip(request: HttpRequest) -> str:
    """What the per-address limit counts by (IPv6: the /64 network)."""
    return address_block(client_address(request))


def bearer_token(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return ""
    return value.strip()


UNUSABLE_KEY_MESSAGE = "The API token is unknown, revoked or expired."


def token_refusal(request: HttpRequest) -> HttpResponseBase | None:
    """A request with a personal token acts as the token's owner, counted against the
    token's rate limit; a token that does not work is refused with the API's JSON 401 (and
    one past its limit with a 429). None: go on, as the token's owner if there was one."""
    raw = bearer_token(request)
    if raw is None:
        return None
    token = token_for(raw)
    if token is None:
        return JsonResponse(
            {"message": UNUSABLE_KEY_MESSAGE},
            status=401,
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    try:
        count_request(
            "token", str(token.pk), _limit("API_RATE_LIMIT_PER_TOKEN", DEFAULT_LIMIT_PER_TOKEN)
        )
    except RateLimited as limited:
        return JsonResponse(
            {"message": str(limited)},
            status=429,
            headers={"Retry-After": str(limited.retry_after)},
        )
    request.user = token.user
    return None


class ApiTokenMiddleware:
    """For the views outside /api/ that the API links to (the media files), marked with
    archive.accounts.access.accepts_api_tokens: a personal token works there as in the API.
    (The mark lives below the API so that those views need not import it.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponseBase],
        args: Any,
        kwargs: Any,
    ) -> HttpResponseBase | None:
        if not getattr(view, "accepts_api_tokens", False):
            return None
        return token_refusal(request)


class ApiCaller:
    """Ninja's auth hook for every operation: always names a caller (the public at least),
    or raises 401 for a token that does not work and 429 past the rate limit."""

    def __call__(self, request: HttpRequest) -> Caller:
        raw = bearer_token(request)
        if raw is None:
            count_request(
                "ip", client_ip(request), _limit("API_RATE_LIMIT_PER_IP", DEFAULT_LIMIT_PER_IP)
            )
            user = getattr(request, "user", None) or AnonymousUser()
            return Caller(user=user, token=None)
        token = token_for(raw)
        if token is None:
            count_request(
                "ip", client_ip(request), _limit("API_RATE_LIMIT_PER_IP", DEFAULT_LIMIT_PER_IP)
            )
            raise AuthenticationError(message=UNUSABLE_KEY_MESSAGE)
        count_request(
            "token", str(token.pk), _limit("API_RATE_LIMIT_PER_TOKEN", DEFAULT_LIMIT_PER_TOKEN)
        )
        # The token stands for its owner, not for whoever holds the browser session.
        return Caller(user=token.user, token=token)


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):  # every operation runs ApiCaller first
        raise TypeError("the API operation ran without ApiCaller")
    return caller
