"""Refusing, before any view runs, what no address of this site can hold."""

from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse

from archive.lib.arguments import strict_int

# Where the JSON API lives (archive/api/urls.py): its errors are JSON.
API_PREFIX = "/api/"


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
        in_path = "\x00" in request.path
        if not in_path and b"\x00" not in unquote_to_bytes(query.replace("+", " ")):
            return self.get_response(request)
        message = "This address holds a NUL character (%00), which no page here accepts."
        if request.path.startswith(API_PREFIX):
            # The API's own documented refusal, in JSON like everything under /api/.
            return JsonResponse(
                {
                    "message": "The request is not valid.",
                    "errors": [{"location": ["path" if in_path else "query"], "message": message}],
                },
                status=422,
            )
        response: HttpResponse = HttpResponseBadRequest(
            message + "\n", content_type="text/plain; charset=utf-8"
        )
        return response


class RefuseMalformedAdminSelection:
    """400 for an admin list action (delete, submit, export...) whose selected rows are not
    row ids: Django's admin filters on them as given, and a "²" or a 23-digit number there
    raised a 500 in every list. Every model here has whole-number ids. Only form-encoded
    posts are read (as the list's action form is): never a file upload."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            request.method == "POST"
            and request.content_type == "application/x-www-form-urlencoded"
            and request.path.startswith(reverse("admin:index"))
            and any(
                strict_int(value) is None for value in request.POST.getlist(ACTION_CHECKBOX_NAME)
            )
        ):
            response: HttpResponse = HttpResponseBadRequest(
                "The rows selected for this action are not row numbers.\n",
                content_type="text/plain; charset=utf-8",
            )
            return response
        return self.get_response(request)
