"""Refusing, before any view runs, what no address of this site can hold."""

from collections.abc import Callable
from typing import Any
from urllib.parse import unquote_to_bytes

from django.contrib.admin import ModelAdmin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.fields import GenericForeignKey
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateField, Field, ForeignObjectRel, Model
from django.db.models.constants import LOOKUP_SEP
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


# What each date-part transform of a date or datetime field can be, as Django's Extract*
# functions number it. Years stop short of 9999: the admin's date hierarchy filters a year
# up to the first day of the next, and no date field here holds anything so late.
DATE_PARTS = {
    "year": (1, 9998),
    "iso_year": (1, 9998),
    "quarter": (1, 4),
    "month": (1, 12),
    "week": (1, 53),
    "day": (1, 31),
    "week_day": (1, 7),
    "iso_week_day": (1, 7),
    "hour": (0, 23),
    "minute": (0, 59),
    "second": (0, 59),
}
# The lookups whose value is a list (a range's two ends, the members of an "in").
LIST_LOOKUPS = {"range", "in"}


def _date_argument_is_sound(model: type[Model], name: str, value: str) -> bool:
    """False when the filter `name=value` on an admin list reaches a date or datetime field
    with a value that cannot be a date there: a part of a date (year, month...) that is
    not a whole number in ASCII digits or lies out of its range, or a date or time within
    a day of the first or last a datetime can hold (moving it to UTC overflows)."""
    parts = name.split(LOOKUP_SEP)
    field: Field[Any, Any] | ForeignObjectRel | GenericForeignKey | None = None
    while parts:
        try:
            field = model._meta.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        if field.related_model is None or isinstance(field.related_model, str):
            break
        model = field.related_model
    if not isinstance(field, DateField):  # DateTimeField is a DateField
        return True
    kind: DateField | tuple[int, int] = field
    for part in parts:
        if part in DATE_PARTS:
            kind = DATE_PARTS[part]
        elif part == "date":
            kind = DateField()
        elif part == "isnull":
            return True
    values = value.split(",") if parts and parts[-1] in LIST_LOOKUPS else [value]
    for given in values:
        if isinstance(kind, tuple):
            if strict_int(given, minimum=kind[0], maximum=kind[1]) is None:
                return False
            continue
        try:
            moment = kind.to_python(given)
        except ValidationError:
            continue  # Django's own answer: the list again, with "?e=1"
        if moment is not None and not 1 < moment.year < 9999:
            return False
    return True


class RefuseImpossibleAdminDates:
    """400 for an admin list filtered on a date with something that cannot be one there:
    `recorded_on__year=10000`, a 23-digit month, `updated_at__year=9999&...month=12` (the
    date hierarchy's next month is in year 10000), a datetime on 0001-01-01 in a time
    zone east of UTC. Django checks such values only as it runs the query, where they
    raise ValueError, OverflowError or a database error: a 500 in any list, Django's own
    included. The filters are read from the model the list shows, whatever admin it is."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        model_admin = getattr(view_func, "model_admin", None)
        if not isinstance(model_admin, ModelAdmin) or view_func.__name__ != "changelist_view":
            return None
        for name, values in request.GET.lists():
            for value in values:
                if not _date_argument_is_sound(model_admin.model, name, value):
                    response: HttpResponse = HttpResponseBadRequest(
                        f"“{name[:100]}” holds no date this list can be filtered on.\n",
                        content_type="text/plain; charset=utf-8",
                    )
                    return response
        return None
