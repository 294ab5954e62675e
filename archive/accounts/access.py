"""Who may act with which reach, for the disclosure policy: whether a staff account acts as
staff now (its second factor), and whether a researcher's approved access request is in force."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import DateField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone

from archive.accounts.models import AccessRequest, User

_NO_STAFF_REACH_ATTRIBUTE = "_archive_no_staff_reach"


def signed_in_user(request: HttpRequest) -> User:
    """The account acting in a request that only a signed-in account reaches (the admin,
    which lets in active staff alone; views behind login_required), as the actor services
    take. Anyone else is refused, should such a request ever get this far."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def has_staff_reach(user: Any) -> bool:
    """True when this signed-in staff account acts as staff now: with STAFF_REQUIRE_TWO_FACTOR
    on, only once a one-time code was confirmed in this session (django-otp's
    `user.is_verified()`, which OTPMiddleware puts on the request's user); without it, the
    password is enough, as before. A user object that did not come through that middleware
    (an API token's owner, a user loaded by hand) has no verified factor, so a stolen
    password alone never reaches more than a plain account does."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    if getattr(user, _NO_STAFF_REACH_ATTRIBUTE, False):
        return False
    if not settings.STAFF_REQUIRE_TWO_FACTOR:
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(callable(is_verified) and is_verified())


def without_staff_reach[UserT](user: UserT) -> UserT:
    """Mark a user object as acting without staff reach whatever the settings: a bearer
    token carries no second factor and leaks more easily than a session, so it acts with
    at most its owner's reach as a plain account."""
    setattr(user, _NO_STAFF_REACH_ATTRIBUTE, True)
    return user


# Cached on the user object (one per request) as the last day of access, so a list page
# asking for every row costs one query, and an approval that ends at midnight ends even for
# a user object that lives longer than a day.
_CACHE_ATTRIBUTE = "_research_access_until"


def has_research_access(user: Any, *, today: date | None = None) -> bool:
    """True while the user holds an approved, unrevoked access request that has not ended.

    Computed from the status and the date, not from a flag a cron job sets: revoking takes
    effect on the next request, expiry on the day after `expires_on`.
    """
    today = today or timezone.localdate()
    if not hasattr(user, _CACHE_ATTRIBUTE):
        # A one-row list tells "no approval" apart from "an approval without an end date".
        ends = list(
            AccessRequest.objects.in_force(today)
            .filter(user_id=user.pk)
            .values_list("expires_on", flat=True)[:1]
        )
        setattr(user, _CACHE_ATTRIBUTE, (ends[0] or date.max) if ends else None)
    until: date | None = getattr(user, _CACHE_ATTRIBUTE)
    return until is not None and until >= today


def forget_research_access(user: Any) -> None:
    """Drop the cached answer, after a change to this user's access in the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def research_access_between(user: Any, *, start: str, end: str) -> Q:
    """A filter on testimonies: true where this user's research access was in force at
    some time between the moments the field paths `start` and `end` name (when a testimony
    became visible to researchers, and when it was withdrawn): an approval decided by
    `end` that had not ended (revoked, expired, or past its last day) before `start`. Or
    the permission granted by hand, as audience_of counts it: Django keeps no date of a
    grant, so it counts from when the account was made."""
    approvals = AccessRequest.objects.filter(
        user_id=user.pk,
        status__in=[
            AccessRequest.Status.APPROVED,
            AccessRequest.Status.EXPIRED,
            AccessRequest.Status.REVOKED,
        ],
        decided_at__isnull=False,
        decided_at__lte=OuterRef(end),
    ).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef(start)),
        Q(expires_on__isnull=True) | Q(expires_on__gte=Cast(OuterRef(start), DateField())),
    )
    during = Q(Exists(approvals))
    by_hand = not (user.is_staff and not has_staff_reach(user)) and user.has_perm(
        "accounts.access_research_material"
    )
    if by_hand:
        during |= Q(**{f"{end}__gte": user.date_joined})
    return during


def accepts_api_tokens(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Marks a view outside /api/ that the API links to (the media files): a request there
    with a personal API token acts as the token's owner, is counted against the token's rate
    limit, and is refused with the API's JSON 401 if the token does not work. The API's
    middleware (archive/api/access.py, ApiTokenMiddleware) reads the mark and does that."""
    view.accepts_api_tokens = True  # type: ignore[attr-defined]  # a mark, as csrf_exempt's
    return view
