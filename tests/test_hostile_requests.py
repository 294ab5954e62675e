"""No request can make the archive answer 500: every public page, the API, OAI-PMH, the
account pages and the admin are walked with hostile values in each of their parameters,
path segments and headers. Each answer is a 4xx, or the page ignoring the bad value, and
nothing in the database changes."""

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import DateField
from django.test import Client, RequestFactory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.accounts.models import User
from archive.testimonies.models import Testimony
from tests.factories import make_collection, make_live_testimony, make_user, wav_bytes

pytestmark = pytest.mark.django_db

# Raw, already percent-encoded query values: what a hostile client can put on the wire.
HOSTILE = [
    "%C2%B2",  # ² : str.isdigit() says yes, int() says no
    "%D9%A3",  # ٣ : an Arabic-Indic digit, which int() would take
    "%01%1F",  # control characters (illegal in XML)
    "%00",  # NUL (PostgreSQL refuses it in text)
    "%ED%A0%80",  # a lone surrogate, encoded
    "%FF%FE",  # not UTF-8 at all
    "9" * 5000,  # past Python's 4,300-digit int() limit
    "99999999999999999999999",  # past a 64-bit integer
    "-1",
    "0",
    "A" * 20_000,
    "%22%3E%3Cscript%3E",
    "%5B%7B%22a%22%3A",  # [{"a":
]

PUBLIC_PARAMETERS: dict[str, list[str]] = {
    "/": ["page", "q"],
    "/search/": [
        "q",
        "sort",
        "recorded_from",
        "recorded_to",
        "page",
        "language",
        "place_id",
        "subject_id",
        "collection_id",
        "decade",
        "media",
        "access",
    ],
    "/testimonies/{reference}/": ["t", "q", "lang"],
    "/testimonies/{reference}/concern/": ["kind"],
    "/collections/": ["page"],
    "/collections/{collection}/": ["page"],
    "/places/": ["page"],
    "/subjects/": ["page"],
    "/feeds/testimonies.atom": ["page"],
    "/sitemap.xml": ["p"],
    "/sitemap-testimonies.xml": ["p"],
    "/media/{media}/": ["download"],
    "/api/testimonies": [
        "q",
        "page",
        "recorded_from",
        "recorded_to",
        "language",
        "place_id",
        "subject_id",
        "collection_id",
        "decade",
        "media",
        "access",
    ],
    "/api/testimonies/{reference}": ["x"],
    "/api/places": ["page"],
    "/api/subjects": ["page"],
    "/api/collections": ["page"],
    "/api/places/1": ["page"],
    "/oai/": ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"],
    "/accounts/login/": ["next"],
    "/accounts/signup/": ["next"],
    "/healthz": ["x"],
}

# OAI verbs with every argument legal for them, so that the hostile value reaches the
# argument's own parsing rather than the "no such argument" check.
OAI_REQUESTS: list[dict[str | None, str | None]] = [
    {"verb": "GetRecord", "identifier": None, "metadataPrefix": "oai_dc"},
    {
        "verb": "GetRecord",
        "identifier": "oai:testimony-archive:TA-2023-0001",
        "metadataPrefix": None,
    },
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": None},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": None},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": None},
    {"verb": "ListIdentifiers", "resumptionToken": None},
    {"verb": "ListMetadataFormats", "identifier": None},
    {"verb": "ListSets", "resumptionToken": None},
    {"verb": "Identify", None: None},
    {"verb": None},
]

HOSTILE_HEADERS = [
    "bytes=0-" + "9" * 5000,
    "bytes=" + "9" * 5000 + "-",
    "bytes=-" + "9" * 5000,
    "bytes=" + "0" * 5000 + "1-" + "0" * 4999 + "9",
    "bytes=²-³",
    "bytes=٣-٤",
    "bytes=" + ",".join(["0-1"] * 2000),
    "Bearer " + "\x01" * 10,
    "Bearer " + "A" * 10_000,
    "Bearer ²",
    "Basic ²",
    "ru-RU;q=" + "9" * 5000,
    ",".join(["en;q=0.5"] * 2000),
    "x" * 20_000,
    '"' + "9" * 5000 + '"',
    "W/" * 3000,
]


@pytest.fixture
def site() -> dict[str, str]:
    collection = make_collection(slug="voices")
    testimony = make_live_testimony(
        collection=collection,
        media=[{"content": wav_bytes(seconds=0.2), "name": "voice.wav"}],
    )
    return {
        "reference": testimony.reference,
        "collection": collection.slug,
        "media": str(testimony.media.get().pk),
    }


def fingerprint() -> dict[str, Any]:
    """How many rows each table holds, and when each testimony was last saved, to show
    nothing was written (sessions aside: a login page may start one)."""
    skipped = {"sessions.session", "axes.accesslog", "axes.accessattempt", "public.accessrecord"}
    found: dict[str, Any] = {
        model._meta.label_lower: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.label_lower not in skipped and not model._meta.proxy
    }
    found["saved"] = sorted(Testimony.objects.values_list("pk", "updated_at"))
    return found


def answer(client: Client, path: str, **headers: str) -> int:
    # A WSGI server hands Django header bytes decoded as Latin-1.
    headers = {name: value.encode().decode("latin-1") for name, value in headers.items()}
    response = client.get(path, headers=headers)
    if response.streaming:
        # Read through the test client's wrapper, which closes the file (and keeps the
        # database connection, which response.close() alone would close on PostgreSQL).
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code < 500, (path[:200], list(headers), response.status_code)
    return response.status_code


@pytest.fixture
def hostile_client() -> Iterator[Client]:
    # A 500 shows as a status to assert on rather than an exception, as in production.
    yield Client(raise_request_exception=False)


def test_it_answers_every_page_with_a_hostile_query_value_without_a_5xx(
    site: dict[str, str], hostile_client: Client, settings: Any
) -> None:
    settings.API_RATE_LIMIT_ANONYMOUS = 10**9
    settings.API_RATE_LIMIT_PER_TOKEN = 10**9
    before = fingerprint()
    for template, parameters in PUBLIC_PARAMETERS.items():
        path = template.format(**site)
        for value in HOSTILE:
            for parameter in parameters:
                answer(hostile_client, f"{path}?{parameter}={value}")
            answer(hostile_client, f"{path}?" + "&".join(f"{p}={value}" for p in parameters))
    assert fingerprint() == before


def test_it_answers_every_oai_argument_with_a_hostile_value_with_an_oai_error(
    site: dict[str, str], hostile_client: Client
) -> None:
    before = fingerprint()
    for arguments in OAI_REQUESTS:
        for value in HOSTILE:
            query = "&".join(
                f"{name if name is not None else value}={given if given is not None else value}"
                for name, given in arguments.items()
            )
            for method in ("get", "post"):
                if method == "get":
                    response = hostile_client.get(f"/oai/?{query}")
                else:
                    response = hostile_client.post(
                        "/oai/", query, content_type="application/x-www-form-urlencoded"
                    )
                if response.status_code == 400 and "%00" in query and method == "get":
                    continue  # refused before OAI-PMH: no address here holds a NUL
                assert response.status_code == 200, (query[:200], response.status_code)
                assert b"<error code=" in response.content or b"<GetRecord" in response.content
    assert fingerprint() == before


# The first and last days (and seconds) a date can name, and just past them.
EXTREME_DATES = [
    "0001-01-01",
    "0001-01-01T00:00:00Z",
    "9999-12-31",
    "9999-12-31T23:59:59Z",
    "0000-01-01",
    "10000-01-01",
    "9999-12-31T24:00:00Z",
]


def test_it_answers_every_oai_date_argument_with_an_extreme_date_without_a_5xx(
    site: dict[str, str], hostile_client: Client
) -> None:
    for verb in ("ListIdentifiers", "ListRecords"):
        for first in EXTREME_DATES:
            for arguments in (
                {"from": first},
                {"until": first},
                *({"from": first, "until": second} for second in EXTREME_DATES),
            ):
                query = {"verb": verb, "metadataPrefix": "oai_dc", **arguments}
                for response in (
                    hostile_client.get("/oai/", query),
                    hostile_client.post("/oai/", query),
                ):
                    assert response.status_code == 200, (query, response.status_code)
                    assert b"<error code=" in response.content or b"<header" in response.content


@pytest.mark.parametrize(
    "segment",
    [value for value in HOSTILE if value not in ("0", "-1")]
    + ["%2F..%2F", "TA-2023-" + "9" * 5000],
)
def test_it_answers_hostile_path_segments_with_a_4xx(
    site: dict[str, str], hostile_client: Client, segment: str
) -> None:
    for template in [
        "/testimonies/{}/",
        "/testimonies/{}/concern/",
        "/collections/{}/",
        "/sitemap-{}.xml",
        "/media/{}/",
        "/media/consent/{}/",
        "/api/testimonies/{}",
        "/api/places/{}",
        "/api/subjects/{}",
        "/api/collections/{}",
        "/api/{}",
    ]:
        assert answer(hostile_client, template.format(segment)) >= 400
    # The same page for any reference, so as to tell nothing about which exist.
    answer(hostile_client, f"/testimonies/{segment}/concern/sent/")


def test_it_answers_hostile_headers_without_a_5xx(
    site: dict[str, str], hostile_client: Client
) -> None:
    before = fingerprint()
    # Each page with the headers it reads (every page reads Accept-Language and Cookie).
    cases = {
        "/": ["Accept-Language", "Cookie", "If-None-Match", "If-Modified-Since"],
        f"/testimonies/{site['reference']}/": ["Accept-Language", "Authorization"],
        f"/media/{site['media']}/": ["Range", "If-Range", "Authorization"],
        "/api/testimonies": ["Authorization", "Accept-Language"],
        "/oai/?verb=Identify": ["Accept-Language"],
    }
    for path, headers in cases.items():
        for header in headers:
            for value in HOSTILE_HEADERS:
                answer(hostile_client, path, **{header: value})
    response = hostile_client.get(
        f"/media/{site['media']}/", headers={"Range": "bytes=0-" + "9" * 5000}
    )
    # Past the end of any file: the whole range from the first byte.
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 206
    assert fingerprint() == before


def test_it_answers_hostile_posts_without_a_5xx_or_a_change(
    site: dict[str, str], hostile_client: Client
) -> None:
    researcher = make_user(username="ruben.hostile")
    hostile_client.force_login(researcher)
    before = fingerprint()
    for value in HOSTILE:
        for body in [
            f"action=revoke&token={value}",
            f"name={value}&valid_for={value}",
            f"language={value}&next={value}",
        ]:
            for path in ["/api/tokens/", "/i18n/setlang/"]:
                response = hostile_client.post(
                    path, body, content_type="application/x-www-form-urlencoded"
                )
                assert response.status_code < 500, (path, body[:100], response.status_code)
    after = fingerprint()
    after.pop("api.apitoken", None), before.pop("api.apitoken", None)
    after.pop("audit.auditentry", None), before.pop("audit.auditentry", None)
    assert after == before


ADMIN_PATHS = [
    "/admin/testimonies/testimony/",
    "/admin/testimonies/narrator/",
    "/admin/consent/consentrecord/",
    "/admin/audit/auditentry/",
    "/admin/testimonies/mediaasset/",
    "/admin/testimonies/place/",
]
ADMIN_PARAMETERS = ["q", "p", "o", "status__exact", "collection__id__exact", "_popup", "e"]


def request_of(client: Client) -> Any:
    """A request by the client's user, for asking an admin which actions it offers."""
    request = RequestFactory().get("/admin/")
    request.user = User.objects.get(pk=client.session["_auth_user_id"])
    return request


def test_it_answers_hostile_admin_list_parameters_without_a_5xx(site: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="sona.hostile", is_superuser=True, is_staff=True))
    before = fingerprint()
    testimony = Testimony.objects.get(reference=site["reference"])
    # The values that reach a query or int(): admin pages are slow enough to keep it short.
    for value in ["%C2%B2", "%00", "%ED%A0%80", "%FF", "9" * 5000, "9" * 23]:
        for path in ADMIN_PATHS:
            for parameter in ADMIN_PARAMETERS:
                answer(client, f"{path}?{parameter}={value}")
        for model in admin.site._registry:
            base = f"/admin/{model._meta.app_label}/{model._meta.model_name}"
            for view in ("change", "history", "delete"):
                answer(client, f"{base}/{value}/{view}/")
        answer(client, f"/admin/testimonies/testimony/{value}/workflow/submit/")
        for model, model_admin in admin.site._registry.items():
            changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
            for action in model_admin.get_actions(request_of(client)):
                response = client.post(
                    changelist,
                    f"action={action}&index=0&{ACTION_CHECKBOX_NAME}={value}",
                    content_type="application/x-www-form-urlencoded",
                )
                assert response.status_code < 500, (changelist, action, value[:20])
        answer(client, f"/admin/consent/consentrecord/{value}/verify/")
        answer(client, f"/admin/testimonies/testimony/{testimony.pk}/history/?p={value}")
    assert fingerprint() == before


# Dates an admin list can be filtered on, and what each part of one can be given.
ADMIN_DATE_PARTS = {
    "year": ["10000", "0", "-1", "9" * 23, "9999", "%C2%B2", "%D9%A3"],
    "iso_year": ["10000", "9" * 23],
    "month": ["13", "0", "9" * 23],
    "day": ["32", "9" * 23],
    "week": ["54", "9" * 23],
    "week_day": ["8", "9" * 23],
    "iso_week_day": ["9" * 23],
    "quarter": ["5", "9" * 23],
    "hour": ["9" * 23],
}
ADMIN_DATE_VALUES = ["0001-01-01", "9999-12-31", "9999-12-31 23:59:59", "10000-01-01"]


def date_filters(field: str) -> Iterator[str]:
    for part, values in ADMIN_DATE_PARTS.items():
        for value in values:
            yield f"{field}__{part}={value}"
    yield f"{field}__year__gte=10000"
    for value in ADMIN_DATE_VALUES:
        for lookup in ("gte", "lt", "exact", "date__gte"):
            yield f"{field}__{lookup}={value}"
    yield f"{field}__range=0001-01-01,9999-12-31"
    # The date hierarchy's links: it filters up to the next year, month or day.
    yield f"{field}__year=9999&{field}__month=12"
    yield f"{field}__year=9999&{field}__month=12&{field}__day=31"


def test_it_answers_impossible_dates_in_every_admin_list_with_a_4xx(site: dict[str, str]) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(make_user(username="sona.dates", is_superuser=True, is_staff=True))
    before = fingerprint()
    for model in admin.site._registry:
        changelist = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        dates = [
            field.name
            for field in model._meta.get_fields()
            if isinstance(field, DateField) and not field.auto_created
        ]
        for field in dates:
            for query in date_filters(field):
                assert answer(client, f"{changelist}?{query}") in (200, 302, 400), query
        if dates:
            # A sound date still filters the list.
            assert answer(client, f"{changelist}?{dates[0]}__year=2024") == 200
    assert (
        answer(client, "/admin/testimonies/testimony/?updated_at__year=9998&updated_at__month=12")
        == 200
    )
    assert fingerprint() == before


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    value=st.text(max_size=40),
    parameter=st.sampled_from(
        [
            ("/search/", "page"),
            ("/search/", "place_id"),
            ("/search/", "recorded_from"),
            ("/search/", "q"),
            ("/testimonies/{reference}/", "t"),
            ("/oai/?verb=ListRecords&metadataPrefix=oai_dc", "from"),
            ("/oai/?verb=GetRecord&metadataPrefix=oai_dc", "identifier"),
            ("/api/testimonies", "page"),
            ("/api/testimonies", "q"),
        ]
    ),
)
def test_it_answers_any_text_in_a_parameter_without_a_5xx(
    site: dict[str, str], value: str, parameter: tuple[str, str]
) -> None:
    path, name = parameter
    path = path.format(**site)
    separator = "&" if "?" in path else "?"
    encoded = quote(value.encode("utf-8", "surrogatepass"), safe="")
    answer(Client(raise_request_exception=False), f"{path}{separator}{name}={encoded}")


def test_it_refuses_a_nul_with_a_clear_400_and_in_the_api_with_its_documented_422(
    site: dict[str, str],
) -> None:
    client = Client()

    page = client.get(f"/testimonies/{site['reference']}/?q=a%00b")
    api = client.get("/api/testimonies/?q=a%00b")
    api_path = client.get("/api/testimonies/TA-2023-%00/")

    assert page.status_code == 400
    assert "NUL" in page.content.decode()
    assert (api.status_code, api.json()["errors"][0]["location"]) == (422, ["query"])
    assert (api_path.status_code, api_path.json()["errors"][0]["location"]) == (422, ["path"])
