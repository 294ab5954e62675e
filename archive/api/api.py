"""The JSON API (django-ninja), mounted at /api/.

Every answer is built from `disclosed_content` (archive/consent/policy.py) for the caller's
audience, exactly as the site's pages are: a testimony the caller may not see is the same
404 as one that does not exist; one withdrawn after publication is a 410 tombstone that
holds only its reference and the day it was withdrawn. Places, subjects and collections
are listed only where a testimony the caller may see uses them (and their broader
entries), with counts over those testimonies alone.
"""

import logging
from collections import Counter
from collections.abc import Mapping
from typing import Any, cast

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import NinjaAPI, Query, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from archive.accounts.audience import Audience
from archive.api.access import ApiCaller, Caller, RateLimited, caller_of
from archive.api.docs import LocalSwagger
from archive.api.schemas import (
    CollectionOut,
    CollectionPage,
    CollectionRef,
    ErrorOut,
    FacetValueOut,
    GoneOut,
    MediaOut,
    NameOut,
    PageParams,
    PlaceOut,
    PlacePage,
    PlaceRef,
    ResultOut,
    SearchOut,
    SearchParams,
    SegmentOut,
    SnippetPiece,
    SubjectOut,
    SubjectPage,
    SubjectRef,
    TestimonyOut,
    TranscriptOut,
    ValidationErrorOut,
)
from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import (
    AccessLabel,
    disclosed_content,
    disclosure_for,
    findable,
    tombstone_shown,
)
from archive.public.citations import csl_json, w3cdtf_recording_date
from archive.public.forms import SearchForm, chosen_filters
from archive.public.search import facets_of, hits_of, vocabulary_counts
from archive.search.engine import SearchUnavailable
from archive.search.middleware import RETRY_AFTER_SECONDS
from archive.search.query import ParsedQuery, QueryError, parse_query
from archive.search.searching import PAGE_SIZE, Filters, SearchResults, search, suggest
from archive.testimonies.models import Collection, Place, Subject, Testimony
from archive.testimonies.snapshot_types import DisclosedContent

logger = logging.getLogger(__name__)

DESCRIPTION = """Read the archive's testimonies, places, subjects and collections.

Without credentials you see what the public sees. Signed in on the site, or with a personal
token (`Authorization: Bearer ta_…`, made on your profile page), you see what your account
may see. Requests are rate-limited; past the limit the answer is 429 with `Retry-After`.
Errors are JSON objects with a `message`."""

api = NinjaAPI(
    title="Testimony Archive API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=ApiCaller(),
    docs=LocalSwagger(),
)

VOCABULARY_PAGE_SIZE = 100
ERRORS: dict[int, Any] = {401: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut, 503: ErrorOut}


# Errors: always JSON with a message.


def _error(request: HttpRequest, status: int, message: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"message": message, **extra}, status=status)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"location": list(map(str, e.get("loc", []))), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return _error(request, 422, "The request is not valid.", errors=errors)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, exc.message)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(RateLimited)
def _rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = _error(request, 429, str(exc))
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(SearchUnavailable)
def _search_unavailable(request: HttpRequest, exc: SearchUnavailable) -> HttpResponse:
    # Logged where it happened; nothing of the error goes out (it may hold index bytes).
    response = _error(request, 503, "Search is unavailable for a moment; try again shortly.")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error at %s", request.path, exc_info=exc)
    return _error(request, 500, "Something went wrong on our side; it has been logged.")


# Links.


def _absolute(request: HttpRequest, name: str, *args: Any) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _api_url(request: HttpRequest, name: str, *args: Any) -> str:
    return _absolute(request, f"api:{name}", *args)


def _filtered_url(request: HttpRequest, field: str, value: int) -> str:
    return f"{_api_url(request, 'search_testimonies')}?{field}={value}"


# Testimonies.


def _facets(
    results: SearchResults, chosen: dict[str, list[str]], audience: Audience
) -> dict[str, list[FacetValueOut]]:
    return {
        field: [
            FacetValueOut(value=f.value, label=f.label, count=f.count, chosen=f.chosen)
            for f in values
        ]
        for field, values in facets_of(results, chosen, audience).items()
    }


def _results(request: HttpRequest, results: SearchResults, caller: Caller) -> list[ResultOut]:
    return [
        ResultOut(
            reference=hit.testimony.reference,
            title=hit.content["title"],
            narrator=hit.content["narrator_name"],
            recorded_on=hit.content["recorded_on"],
            recording_date=w3cdtf_recording_date(hit.content),
            summary=hit.content["summary"],
            snippet=[SnippetPiece(text=text, match=match) for text, match in hit.snippet],
            url=_api_url(request, "get_testimony", hit.testimony.reference),
            page_url=_absolute(request, "testimony", hit.testimony.reference),
        )
        for hit in hits_of(results, caller.user, caller.audience)
    ]


@api.get(
    "/testimonies/",
    response={200: SearchOut, **ERRORS},
    tags=["testimonies"],
    summary="Search the testimonies you may see",
)
def search_testimonies(request: HttpRequest, params: Query[SearchParams]) -> Any:
    """The search page as JSON: the same query, facet filters, sort and pages. Without `q`
    it lists everything you may see. Counts and facets cover only what you may see."""
    caller = caller_of(request)
    form = SearchForm(request.GET)
    if not form.is_valid():
        errors = [
            {"location": ["query", field], "message": str(message)}
            for field, messages in form.errors.items()
            for message in messages
        ]
        return Status(422, {"message": "The request is not valid.", "errors": errors})
    data = form.cleaned_data
    parsed: ParsedQuery | None = None
    if data["q"]:
        try:
            parsed = parse_query(data["q"])
        except QueryError as error:
            errors = [{"location": ["query", "q"], "message": str(error)}]
            return Status(422, {"message": str(error), "errors": errors})
    chosen = chosen_filters(request.GET)
    filters = Filters(
        values=chosen, recorded_from=data["recorded_from"], recorded_to=data["recorded_to"]
    )
    results = search(
        parsed,
        audience=caller.audience,
        filters=filters,
        sort=data["sort"] or "relevance",
        page=data["page"] or 1,
    )
    search_out = SearchOut(
        total=results.total,
        page=results.page,
        pages=results.pages,
        page_size=PAGE_SIZE,
        results=_results(request, results, caller),
        facets=_facets(results, chosen, caller.audience),
        suggestion=(
            suggest(parsed, audience=caller.audience) if parsed and results.total < 3 else None
        ),
        simplified=list(parsed.notices) if parsed else [],
    )
    return Status(200, search_out)


def _place_ref(request: HttpRequest, place: Place) -> PlaceRef:
    return PlaceRef(id=place.pk, name=place.name, url=_api_url(request, "get_place", place.pk))


def _subject_ref(request: HttpRequest, subject: Subject) -> SubjectRef:
    return SubjectRef(
        id=subject.pk, label=subject.label, url=_api_url(request, "get_subject", subject.pk)
    )


def _collection_ref(request: HttpRequest, collection: Collection) -> CollectionRef:
    return CollectionRef(
        id=collection.pk,
        slug=collection.slug,
        title=collection.title,
        url=_api_url(request, "get_collection", collection.pk),
    )


def _testimony_out(
    request: HttpRequest,
    testimony: Testimony,
    content: DisclosedContent,
    access: AccessLabel,
) -> TestimonyOut:
    place_ids = [*content["places"], content.get("recording_place")]
    places = Place.objects.in_bulk([pk for pk in place_ids if pk])
    subjects = Subject.objects.in_bulk(content["subjects"])
    collection_id = content.get("collection")
    collection = Collection.objects.filter(pk=collection_id).first() if collection_id else None
    recording_place = places.get(content.get("recording_place") or 0)
    media_ids = {asset["id"] for asset in content["media"]}
    citation = csl_json(testimony, content)
    citation.setdefault("URL", _absolute(request, "testimony", testimony.reference))
    return TestimonyOut(
        reference=testimony.reference,
        title=content["title"],
        summary=content["summary"],
        narrator=content["narrator_name"],
        interviewer=content["interviewer"],
        recorded_on=content["recorded_on"],
        recorded_precision=content["recorded_precision"],
        recording_date=w3cdtf_recording_date(content),
        period_start_year=content["period_start_year"],
        period_end_year=content["period_end_year"],
        recording_place=_place_ref(request, recording_place) if recording_place else None,
        places=[_place_ref(request, places[pk]) for pk in content["places"] if pk in places],
        subjects=[
            _subject_ref(request, subjects[pk]) for pk in content["subjects"] if pk in subjects
        ],
        collection=_collection_ref(request, collection) if collection else None,
        source=content["source"],
        rights_statement=content["rights_statement"],
        content_notes=content["content_notes"],
        access=access,
        transcripts=[
            TranscriptOut(
                language=transcript["language"],
                is_original=transcript["is_original"],
                translator=transcript["translator"],
                text=transcript["text"],
                segments=[
                    SegmentOut(
                        position=segment["position"],
                        start_seconds=segment["start_seconds"],
                        end_seconds=segment["end_seconds"],
                        # A moment in a recording this reader may not have names no file.
                        recording=(
                            segment["recording"] if segment["recording"] in media_ids else None
                        ),
                        text=segment["text"],
                    )
                    for segment in transcript["segments"]
                ],
            )
            for transcript in content["transcripts"]
        ],
        media=[
            MediaOut(
                id=asset["id"],
                kind=asset["kind"],
                caption=asset["caption"],
                mime_type=asset["mime_type"],
                duration_seconds=asset["duration_seconds"],
                sha256=asset["sha256"],
                url=_absolute(request, "media_file", asset["id"]),
            )
            for asset in content["media"]
        ],
        citation=citation,
        url=_api_url(request, "get_testimony", testimony.reference),
        page_url=_absolute(request, "testimony", testimony.reference),
    )


@api.get(
    "/testimonies/{reference}",
    response={200: TestimonyOut, 404: ErrorOut, 410: GoneOut, **ERRORS},
    tags=["testimonies"],
    summary="One testimony, as far as you may see it",
)
def get_testimony(request: HttpRequest, reference: str) -> Any:
    """Metadata, transcripts, media links and the citation (CSL-JSON) of the last approved
    version. 404 if there is no such testimony or you may not see it; 410 if it was
    withdrawn after publication (only its reference and the day remain)."""
    caller = caller_of(request)
    # One query that finds only what the caller may know of: one they may not costs what
    # one that does not exist costs.
    found = (
        testimonies_for_policy()
        .select_related("stored_disclosure")
        .filter(findable(caller.audience, caller.user), reference=reference)
        .first()
    )
    if found is None:
        raise Http404
    disclosure = disclosure_for(found)
    content = disclosed_content(found, caller.audience, disclosure=disclosure)
    if content is not None:
        return Status(200, _testimony_out(request, found, content, disclosure.access))
    if found.withdrawn_at and tombstone_shown(found, caller.audience, caller.user):
        gone = GoneOut(
            message="This testimony was withdrawn.",
            reference=found.reference,
            withdrawn_on=timezone.localdate(found.withdrawn_at),
        )
        return Status(410, gone)
    raise Http404


# Places, subjects and collections: only what the caller's testimonies use.


def _with_ancestors(ids: set[int], parents: Mapping[int, int | None]) -> set[int]:
    found: set[int] = set()
    for start in ids:
        node: int | None = start
        while node is not None and node not in found and node in parents:
            found.add(node)
            node = parents[node]
    return found


def _shown_vocabulary(
    model: type[Place] | type[Subject], field: str, audience: Audience
) -> tuple[set[int], Counter[int]]:
    counts = vocabulary_counts(audience, field)
    parents = dict(model.objects.values_list("pk", "parent_id"))
    return _with_ancestors(set(counts), parents), counts


def _vocabulary_page[M: Model](
    queryset: QuerySet[M], shown: set[int], page: int
) -> tuple[int, int, list[M]]:
    """One page of the shown entries of `queryset` (already ordered): the page number, the
    number of pages, and the entries."""
    pages = max(1, -(-len(shown) // VOCABULARY_PAGE_SIZE))
    page = min(page, pages)
    start = (page - 1) * VOCABULARY_PAGE_SIZE
    return page, pages, list(queryset.filter(pk__in=shown)[start : start + VOCABULARY_PAGE_SIZE])


def _place_out(request: HttpRequest, place: Place, counts: Counter[int]) -> PlaceOut:
    return PlaceOut(
        id=place.pk,
        name=place.name,
        kind=place.kind,
        latitude=None if place.latitude is None else str(place.latitude),
        longitude=None if place.longitude is None else str(place.longitude),
        note=place.note,
        parent=_place_ref(request, cast(Place, place.parent)) if place.parent else None,
        names=[NameOut(language=n.language, name=n.name) for n in place.names.all()],
        testimonies=counts[place.pk],
        url=_api_url(request, "get_place", place.pk),
        testimonies_url=_filtered_url(request, "place_id", place.pk),
    )


@api.get("/places/", response={200: PlacePage, **ERRORS}, tags=["vocabularies"])
def list_places(request: HttpRequest, params: Query[PageParams]) -> Any:
    """Places that testimonies you may see tell of or were recorded in, with their broader
    places, by name."""
    shown, counts = _shown_vocabulary(Place, "place_id", caller_of(request).audience)
    ordered = Place.objects.select_related("parent").prefetch_related("names")
    page, pages, places = _vocabulary_page(ordered.order_by("name", "pk"), shown, params.page)
    results = [_place_out(request, place, counts) for place in places]
    return Status(200, PlacePage(total=len(shown), page=page, pages=pages, results=results))


@api.get(
    "/places/{int:place_id}",
    response={200: PlaceOut, 404: ErrorOut, **ERRORS},
    tags=["vocabularies"],
)
def get_place(request: HttpRequest, place_id: int) -> Any:
    shown, counts = _shown_vocabulary(Place, "place_id", caller_of(request).audience)
    if place_id not in shown:
        raise Http404
    place = Place.objects.select_related("parent").prefetch_related("names").get(pk=place_id)
    return Status(200, _place_out(request, place, counts))


def _subject_out(request: HttpRequest, subject: Subject, counts: Counter[int]) -> SubjectOut:
    return SubjectOut(
        id=subject.pk,
        label=subject.label,
        scope_note=subject.scope_note,
        parent=_subject_ref(request, cast(Subject, subject.parent)) if subject.parent else None,
        labels=[NameOut(language=n.language, name=n.name) for n in subject.labels.all()],
        testimonies=counts[subject.pk],
        url=_api_url(request, "get_subject", subject.pk),
        testimonies_url=_filtered_url(request, "subject_id", subject.pk),
    )


@api.get("/subjects/", response={200: SubjectPage, **ERRORS}, tags=["vocabularies"])
def list_subjects(request: HttpRequest, params: Query[PageParams]) -> Any:
    """Subjects of testimonies you may see, with their broader subjects, by label."""
    shown, counts = _shown_vocabulary(Subject, "subject_id", caller_of(request).audience)
    ordered = Subject.objects.select_related("parent").prefetch_related("labels")
    page, pages, subjects = _vocabulary_page(ordered.order_by("label", "pk"), shown, params.page)
    results = [_subject_out(request, subject, counts) for subject in subjects]
    return Status(200, SubjectPage(total=len(shown), page=page, pages=pages, results=results))


@api.get(
    "/subjects/{int:subject_id}",
    response={200: SubjectOut, 404: ErrorOut, **ERRORS},
    tags=["vocabularies"],
)
def get_subject(request: HttpRequest, subject_id: int) -> Any:
    shown, counts = _shown_vocabulary(Subject, "subject_id", caller_of(request).audience)
    if subject_id not in shown:
        raise Http404
    subject = Subject.objects.select_related("parent").prefetch_related("labels").get(pk=subject_id)
    return Status(200, _subject_out(request, subject, counts))


def _collection_out(
    request: HttpRequest, collection: Collection, counts: Counter[int]
) -> CollectionOut:
    return CollectionOut(
        id=collection.pk,
        slug=collection.slug,
        title=collection.title,
        description=collection.description,
        testimonies=counts[collection.pk],
        url=_api_url(request, "get_collection", collection.pk),
        testimonies_url=_filtered_url(request, "collection_id", collection.pk),
    )


def _shown_collections(audience: Audience) -> tuple[set[int], Counter[int]]:
    counts = vocabulary_counts(audience, "collection_id")
    return set(counts), counts


@api.get("/collections/", response={200: CollectionPage, **ERRORS}, tags=["vocabularies"])
def list_collections(request: HttpRequest, params: Query[PageParams]) -> Any:
    """Collections holding testimonies you may see, by title."""
    shown, counts = _shown_collections(caller_of(request).audience)
    ordered = Collection.objects.order_by("title", "pk")
    page, pages, collections = _vocabulary_page(ordered, shown, params.page)
    results = [_collection_out(request, collection, counts) for collection in collections]
    return Status(200, CollectionPage(total=len(shown), page=page, pages=pages, results=results))


@api.get(
    "/collections/{int:collection_id}",
    response={200: CollectionOut, 404: ErrorOut, **ERRORS},
    tags=["vocabularies"],
)
def get_collection(request: HttpRequest, collection_id: int) -> Any:
    shown, counts = _shown_collections(caller_of(request).audience)
    if collection_id not in shown:
        raise Http404
    return Status(200, _collection_out(request, Collection.objects.get(pk=collection_id), counts))
