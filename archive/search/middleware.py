"""Pages that read the search index answer 503 when it cannot be read."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from archive.search.engine import SearchUnavailable

RETRY_AFTER_SECONDS = 30


def search_unavailable_response(request: HttpRequest) -> HttpResponse:
    """A plain page saying so; no detail of the error (it was logged where it happened),
    even with DEBUG on: Django's debug page would show the raw index bytes in it."""
    response = render(request, "search_unavailable.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SearchUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, SearchUnavailable):
            return search_unavailable_response(request)
        return None
