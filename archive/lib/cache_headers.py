"""Keeping answers meant for one person out of shared caches.

A page, file or API answer made for a signed-in person (their name in the header, material
for approved researchers or staff, their profile and tokens) or for an API token must never
be stored by a proxy or CDN and served to the next person, nor kept on a shared computer's
disk. Anonymous answers keep whatever caching their view chose: they are the same for every
anonymous reader (and vary on Cookie wherever the session was read).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import patch_cache_control


def answered_for_someone(request: HttpRequest) -> bool:
    """Whether the answer may depend on who asks: the request carries credentials (an API
    token), or the view read the session of a signed-in person."""
    if request.META.get("HTTP_AUTHORIZATION"):
        return True
    session = getattr(request, "session", None)
    if session is None or not session.accessed:
        # Nothing about the person was read, so nothing about them is in the answer.
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class PrivateAnswersMiddleware:
    """After SessionMiddleware and before AuthenticationMiddleware: marks every answer made
    for someone `Cache-Control: private, no-store`, keeping any stricter word already set."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if answered_for_someone(request):
            # patch_cache_control drops a `public` the view may have set.
            patch_cache_control(response, private=True, no_store=True)
        return response
