"""The researcher-facing site's pages: home, testimony (or its tombstone), browsing by
collection, place and subject, the narrators' concern form, and robots.txt.

Every page renders from `disclosed_content(...)` for the reader's audience; lists are built
on `Testimony.objects.visible_to(user)`, and the counts of places, subjects and collections
are the search index's (whose documents hold only what the policy lets each audience see),
as on the search page they link to. A testimony the reader may not see answers exactly as
one that does not exist.
"""

from collections import Counter
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import User
from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import findable, tombstone_shown, withdrawn_at_narrators_request
from archive.lib.arguments import strict_int
from archive.lib.throttle import limit_sendings
from archive.public.access_log import record_access
from archive.public.citations import build_citations, recording_date_display, time_code
from archive.public.concerns import ConcernForm
from archive.public.models import AccessRecord
from archive.public.presentation import (
    cards,
    disclosure_and_content,
    json_for_script,
    media_views,
    period_display,
    structured_data,
    transcript_view,
    vocabulary,
)
from archive.public.search import vocabulary_counts
from archive.public.services import submit_concern
from archive.search.highlighting import QueryWords, query_words
from archive.search.query import QueryError, parse_query
from archive.testimonies.models import Collection, Place, Subject, Testimony

RECENT_COUNT = 6
COLLECTION_PAGE_SIZE = 20
MAX_TIME_CODE = 100 * 3600
# Parts whose restriction makes a page view worth logging (files log themselves).
LOGGED_PARTS = ("metadata", "summary", "transcripts", "name")


def _live_testimonies(user: Any) -> Any:
    """What lists may show this reader."""
    return testimonies_for_policy().visible_to(user).live()


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    audience = audience_of(request.user)
    live = _live_testimonies(request.user)
    recent = cards(live.latest_published(RECENT_COUNT), audience)
    return render(
        request,
        "public/home.html",
        {"recent": recent, "collections": _collections_with_counts(request.user)[:8]},
    )


def _findable(reference: str, audience: Audience, reader: User | AnonymousUser) -> Testimony | None:
    """The testimony under this reference if the reader may know of it (to see it, or to
    be shown its tombstone), found in one query: one they may not know of is refused
    after the same work as one that does not exist."""
    return (
        testimonies_for_policy()
        .select_related("stored_disclosure")
        .filter(findable(audience, reader), reference=reference)
        .first()
    )


def _tombstone(request: HttpRequest, testimony: Testimony) -> HttpResponse:
    # Only what the tombstone itself says: the reference, when, why, and how to reach us.
    narrators_request = withdrawn_at_narrators_request(testimony)
    return render(
        request,
        "public/tombstone.html",
        {
            "reference": testimony.reference,
            "withdrawn_on": testimony.withdrawn_at,
            "narrators_request": narrators_request,
        },
        status=410,
    )


def _time_code(request: HttpRequest) -> int | None:
    return strict_int(request.GET.get("t"), maximum=MAX_TIME_CODE)


def _search_words(request: HttpRequest) -> tuple[str, QueryWords]:
    text = request.GET.get("q", "")
    if not text.strip():
        return "", QueryWords()
    try:
        parsed = parse_query(text)
    except QueryError:
        # A query the search page would refuse marks nothing; the page still shows.
        return "", QueryWords()
    return parsed.text, query_words(parsed)


@require_safe
def testimony(request: HttpRequest, reference: str) -> HttpResponse:
    audience = audience_of(request.user)
    found = _findable(reference, audience, request.user)
    if found is None:
        raise Http404
    if tombstone_shown(found, audience, request.user):
        return _tombstone(request, found)
    disclosure, content = disclosure_and_content(found, audience)
    if content is None:
        raise Http404
    if any(Audience.PUBLIC < getattr(disclosure, part) <= audience for part in LOGGED_PARTS):
        record_access(request, AccessRecord.Resource.TESTIMONY, testimony=found)

    query_text, words = _search_words(request)
    media = media_views(content)
    transcripts = [transcript_view(t, media, words) for t in content["transcripts"]]
    chosen_language = request.GET.get("lang", "")
    current = next((t for t in transcripts if t.language == chosen_language), None)
    current = current or (transcripts[0] if transcripts else None)
    seconds = _time_code(request)
    words_of = vocabulary(content)
    context = {
        "testimony": found,
        "content": content,
        "reference": found.reference,
        "recorded": recording_date_display(content),
        "period": period_display(content),
        "vocabulary": words_of,
        "media": media,
        "transcripts": transcripts,
        "transcript": current,
        "language_links": [
            (t, _switch_language_url(request, t.language), t is current) for t in transcripts
        ],
        "query_text": query_text,
        "seconds": seconds,
        "time_label": time_code(seconds) if seconds is not None else "",
        "citations": build_citations(content, seconds=seconds),
        "json_ld": json_for_script(structured_data(found, content, words_of)),
    }
    return render(request, "public/testimony.html", context)


def _switch_language_url(request: HttpRequest, language: str) -> str:
    query = request.GET.copy()
    query["lang"] = language
    return "?" + query.urlencode()


@require_http_methods(["GET", "HEAD", "POST"])
@limit_sendings("concern")
def concern(request: HttpRequest, reference: str) -> HttpResponse:
    """The removal or correction request, for a testimony the reader may see or a tombstone
    (a narrator may want to confirm the erasure or ask about it)."""
    audience = audience_of(request.user)
    found = _findable(reference, audience, request.user)
    if found is None:
        raise Http404
    tombstone = tombstone_shown(found, audience, request.user)
    if not tombstone:
        _, content = disclosure_and_content(found, audience)
        if content is None:
            raise Http404
    form = ConcernForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not form.is_spam():
            submit_concern(
                testimony=found,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
            )
        return redirect(reverse("concern_sent", args=[found.reference]))
    return render(
        request,
        "public/concern.html",
        {
            "form": form,
            "reference": found.reference,
            "tombstone": tombstone,
        },
        status=400 if form.is_bound else 200,
    )


@require_safe
def concern_sent(request: HttpRequest, reference: str) -> HttpResponse:
    # Says nothing of the testimony: the page is the same for any reference.
    return render(request, "public/concern_sent.html", {"reference": reference})


def _collections_with_counts(user: Any) -> list[tuple[Collection, int]]:
    counts = vocabulary_counts(audience_of(user), "collection_id")
    return [(c, counts[c.pk]) for c in Collection.objects.filter(pk__in=list(counts))]


@require_safe
def collections(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "public/collections.html",
        {"collections": _collections_with_counts(request.user)},
    )


@require_safe
def collection(request: HttpRequest, slug: str) -> HttpResponse:
    chosen = Collection.objects.filter(slug=slug).first()
    # A slug that names no collection is counted like one of nothing the reader may see
    # (the same queries, the same 404), so trying slugs cannot tell which exist.
    testimonies = _live_testimonies(request.user).filter(
        live_revision__content__collection=chosen.pk if chosen else 0
    )
    page = Paginator(testimonies.order_by("-published_at", "-pk"), COLLECTION_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    if chosen is None or not page.paginator.count:
        # A collection of nothing this reader may see is not shown to them at all.
        raise Http404
    return render(
        request,
        "public/collection.html",
        {
            "collection": chosen,
            "page": page,
            "items": cards(page.object_list, audience_of(request.user)),
        },
    )


def _tree(nodes: list[Any], counts: Counter[int]) -> list[tuple[Any, int, list[Any]]]:
    """Nested (node, count, children) for the nodes that hold, or whose descendants hold,
    something the reader may see. Empty branches are left out."""
    children: dict[int | None, list[Any]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(parent: int | None, seen: frozenset[int]) -> list[tuple[Any, int, list[Any]]]:
        branches = []
        for node in children.get(parent, []):
            if node.pk in seen:
                continue  # a cycle the database was left with: shown once
            below = build(node.pk, seen | {node.pk})
            if counts[node.pk] or below:
                branches.append((node, counts[node.pk], below))
        return branches

    return build(None, frozenset())


@require_safe
def places(request: HttpRequest) -> HttpResponse:
    counts = vocabulary_counts(audience_of(request.user), "place_id")
    nodes = list(Place.objects.prefetch_related("names"))
    return render(request, "public/places.html", {"tree": _tree(nodes, counts)})


@require_safe
def subjects(request: HttpRequest) -> HttpResponse:
    counts = vocabulary_counts(audience_of(request.user), "subject_id")
    nodes = list(Subject.objects.prefetch_related("labels"))
    return render(request, "public/subjects.html", {"tree": _tree(nodes, counts)})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        # Every combination of search filters is a page; crawlers follow the sitemap instead.
        "Disallow: /search/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
