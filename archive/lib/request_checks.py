"""Refusing, before any view runs, what no address of this site can hold."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase


class RefuseNulCharacters:
    """400 for a path or query string holding a NUL character (%00).

    PostgreSQL cannot hold NUL in text, so a lookup with one (a reference in the path, an
    admin list filter, any query parameter that reaches a query) fails with an error, a
    500, where SQLite simply finds nothing. No address or parameter here needs it; form
    fields refuse it themselves (Django's ProhibitNullCharactersValidator).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(query.replace("+", " ")):
            response: HttpResponse = HttpResponseBadRequest(
                "This address holds a NUL character (%00), which no page here accepts.\n",
                content_type="text/plain; charset=utf-8",
            )
            return response
        return self.get_response(request)
