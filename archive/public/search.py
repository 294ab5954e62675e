"""The search page: reads the query string, asks the search engine for this reader's audience,
and shows only what the disclosure policy lets this reader see."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import get_language_info, gettext, gettext_lazy

from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import User
from archive.consent.disclosures import testimonies_for_results
from archive.consent.policy import disclosed_content
from archive.lib.arguments import strict_int
from archive.public.forms import SearchForm, chosen_filters
from archive.search.analysis import field_for_language
from archive.search.query import ParsedQuery, QueryError, parse_query
from archive.search.searching import Filters, SearchResults, search, snippet, suggest
from archive.testimonies.models import Collection, MediaAsset, Place, Subject, Testimony
from archive.testimonies.snapshot_types import DisclosedContent

FACET_TITLES = {
    "language": gettext_lazy("Language"),
    "place_id": gettext_lazy("Place"),
    "subject_id": gettext_lazy("Subject"),
    "collection_id": gettext_lazy("Collection"),
    "decade": gettext_lazy("Events of the"),
    "media": gettext_lazy("Media"),
    "access": gettext_lazy("Access"),
}
FACET_LIMIT = 12


@dataclass(frozen=True)
class FacetValue:
    label: str
    count: int
    chosen: bool
    url: str


@dataclass(frozen=True)
class ResultItem:
    reference: str
    title: str
    narrator: str
    recorded: str
    summary: str
    snippet: list[tuple[str, bool]]
    snippet_language: str


def _toggle(params: QueryDict, name: str, value: str) -> str:
    query = params.copy()
    values = query.getlist(name)
    query.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    query.pop("page", None)
    return "?" + query.urlencode()


def _labels(field: str, values: list[str]) -> dict[str, str]:
    ids = [number for v in values if (number := strict_int(v)) is not None]
    if field == "place_id":
        return {
            str(pk): name for pk, name in Place.objects.filter(pk__in=ids).values_list("pk", "name")
        }
    if field == "subject_id":
        return {
            str(pk): label
            for pk, label in Subject.objects.filter(pk__in=ids).values_list("pk", "label")
        }
    if field == "collection_id":
        return {
            str(pk): t for pk, t in Collection.objects.filter(pk__in=ids).values_list("pk", "title")
        }
    if field == "media":
        return {value: str(label) for value, label in MediaAsset.Kind.choices}
    if field == "access":
        return {"public": gettext("Public"), "researchers": gettext("Researchers only")}
    if field == "language":
        return {value: _language_name(value) for value in values}
    return {value: value for value in values}


def _language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class Facet:
    value: str
    label: str
    count: int
    chosen: bool


def facets_of(
    results: SearchResults, chosen: dict[str, list[str]], audience: Audience
) -> dict[str, list[Facet]]:
    """Per facet field (in FACET_TITLES' order), the most frequent values and the chosen
    ones, labelled; for the search page and the API alike."""
    facets: dict[str, list[Facet]] = {}
    for field in FACET_TITLES:
        if field == "access" and audience < Audience.RESEARCHERS:
            continue  # everything the public finds is public
        counts: Counter[str] = results.facets.get(field, Counter())
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
        for value in chosen.get(field, []):
            if value not in dict(top):
                top.append((value, counts.get(value, 0)))
        if field in VOCABULARY_FIELDS:
            # A chosen id is named only if this audience may find something that carries
            # it; any other is left out exactly as an id that does not exist, so the
            # names of places, subjects and collections only hidden testimonies use
            # cannot be read by trying ids.
            unseen = [value for value, count in top if not count]
            used = _used_by(audience, field, unseen) if unseen else set()
            top = [(value, count) for value, count in top if count or value in used]
        labels = _labels(field, [value for value, _ in top])
        facets[field] = [
            Facet(value, labels[value], count, value in chosen.get(field, []))
            for value, count in top
            if value in labels
        ]
    return facets


VOCABULARY_FIELDS = ("place_id", "subject_id", "collection_id")


def _used_by(audience: Audience, field: str, values: list[str]) -> set[str]:
    """Which of these values of `field` some testimony this audience may find carries (a
    search over the index, whose documents hold only what each audience may see)."""
    counts = search(None, audience=audience, filters=Filters(values={field: values})).facets
    return {value for value, count in counts[field].items() if count and value in values}


def vocabulary_counts(audience: Audience, field: str) -> Counter[int]:
    """How many testimonies this audience may find carry each place, subject or collection
    (`field`: place_id, subject_id or collection_id), by id; only those carried by some.
    The index's own counts, whose documents hold only what the policy let each audience
    see, as on the search page the browse pages link to; for the browse pages and the API
    alike. (Counting the live revisions in the database read every revision's JSON: most of
    a second a page at 100,000 testimonies.)"""
    counts = search(None, audience=min(audience, Audience.RESEARCHERS)).facets[field]
    return Counter({int(value): n for value, n in counts.items() if n and value.isdigit()})


@dataclass(frozen=True)
class Hit:
    testimony: Testimony
    content: DisclosedContent
    snippet: list[tuple[str, bool]]
    snippet_language: str  # the transcript's, for lang= around the snippet


def hits_of(results: SearchResults, user: User | AnonymousUser, audience: Audience) -> list[Hit]:
    """The page's testimonies as `audience` may see them, with a snippet of the transcript
    around the matched words; for the search page and the API alike."""
    # The index is derived: each hit is checked against the database's own answer again.
    visible = testimonies_for_results().visible_to(user)
    testimonies = {t.pk: t for t in visible.filter(pk__in=results.testimony_ids)}
    hits = []
    for testimony_id in results.testimony_ids:
        testimony = testimonies.get(testimony_id)
        if testimony is None:
            continue
        content = disclosed_content(testimony, audience)
        if content is None:
            continue
        pieces: list[tuple[str, bool]] = []
        language = ""
        # The transcripts in which the query matched words of their own language first:
        # their snippet is in the reader's words, and the others need not be read.
        for transcript in sorted(
            content["transcripts"],
            key=lambda t: not results.matched_terms.get(field_for_language(t["language"])),
        ):
            pieces = snippet(transcript["text"], transcript["language"], results.matched_terms)
            if pieces:
                language = transcript["language"]
                break
        hits.append(Hit(testimony, content, pieces, language))
    return hits


def _facets(
    results: SearchResults, params: QueryDict, chosen: dict[str, list[str]], audience: Audience
) -> list[tuple[str, str, list[FacetValue]]]:
    return [
        (
            field,
            str(FACET_TITLES[field]),
            [
                FacetValue(
                    label=facet.label,
                    count=facet.count,
                    chosen=facet.chosen,
                    url=_toggle(params, field, facet.value),
                )
                for facet in values
            ],
        )
        for field, values in facets_of(results, chosen, audience).items()
        if values
    ]


def _items(results: SearchResults, request: HttpRequest, audience: Audience) -> list[ResultItem]:
    return [
        ResultItem(
            reference=hit.testimony.reference,
            title=hit.content["title"],
            narrator=hit.content["narrator_name"],
            recorded=hit.content["recorded_on"] or "",
            summary=hit.content["summary"],
            snippet=hit.snippet,
            snippet_language=hit.snippet_language,
        )
        for hit in hits_of(results, request.user, audience)
    ]


def search_page(request: HttpRequest) -> HttpResponse:
    # Nothing typed yet lists everything the reader may see, with its facets to browse by.
    form = SearchForm(request.GET)
    chosen = chosen_filters(request.GET)
    audience = min(audience_of(request.user), Audience.RESEARCHERS)
    context: dict[str, Any] = {"form": form, "chosen": chosen, "searched": bool(request.GET)}
    if not form.is_valid():
        context["errors"] = (
            [e for errors in form.errors.values() for e in errors] if request.GET else []
        )
        return render(request, "public/search.html", context)
    data = form.cleaned_data
    parsed: ParsedQuery | None = None
    if data["q"]:
        try:
            parsed = parse_query(data["q"])
        except QueryError as error:
            context["errors"] = [str(error)]
            return render(request, "public/search.html", context)
    filters = Filters(
        values=chosen, recorded_from=data["recorded_from"], recorded_to=data["recorded_to"]
    )
    requested_page = data["page"] or 1
    results = search(
        parsed,
        audience=audience,
        filters=filters,
        sort=data["sort"] or "relevance",
        page=requested_page,
    )
    if parsed is not None:
        context["simplified"] = parsed.notices
    if requested_page > results.pages:
        context["notice"] = gettext("There is no page %(page)s: this search has %(pages)s.") % {
            "page": requested_page,
            "pages": results.pages,
        }
    context.update(
        results=results,
        items=_items(results, request, audience),
        facets=_facets(results, request.GET, chosen, audience),
        suggestion=suggest(parsed, audience=audience) if parsed and results.total < 3 else None,
        page_links=_pages(request.GET, results),
    )
    return render(request, "public/search.html", context)


def _pages(params: QueryDict, results: SearchResults) -> dict[str, str | None]:
    def link(page: int) -> str:
        query = params.copy()
        query["page"] = str(page)
        return "?" + query.urlencode()

    return {
        "previous": link(results.page - 1) if results.page > 1 else None,
        "next": link(results.page + 1) if results.page < results.pages else None,
    }
