"""Whether a researcher's approved access request is in force, for the disclosure policy."""

from datetime import date
from typing import Any

from django.utils import timezone

from archive.accounts.models import AccessRequest

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
