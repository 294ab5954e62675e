"""Searching the index for one reader: results, counts, facets, snippets and suggestions,
all computed over the documents that reader's audience may find, and nothing else."""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from whoosh.query import And, NumericRange, Or, Query, Term
from whoosh.searching import Searcher

from archive.consent.policy import Audience
from archive.search.analysis import WORDS, field_for_language
from archive.search.engine import get_index
from archive.search.facets import count_facets
from archive.search.query import ParsedQuery, tolerate_spellings
from archive.search.schema import build_schema

PAGE_SIZE = 20
SORTS = {"relevance": None, "date": "recorded", "title": "title_sort"}
FILTER_FIELDS = ("language", "place_id", "subject_id", "collection_id", "decade", "media", "access")
SCHEMA = build_schema()


@dataclass(frozen=True)
class Filters:
    """Facet values chosen (each list is an OR within its field) and a recording date range."""

    values: dict[str, list[str]] = field(default_factory=dict)
    recorded_from: date | None = None
    recorded_to: date | None = None

    def query(self) -> list[Query]:
        parts: list[Query] = []
        for name, chosen in self.values.items():
            if chosen:
                parts.append(Or([Term(name, value) for value in chosen]))
        if self.recorded_from or self.recorded_to:
            low = int(self.recorded_from.strftime("%Y%m%d")) if self.recorded_from else 1
            high = int(self.recorded_to.strftime("%Y%m%d")) if self.recorded_to else 99991231
            parts.append(NumericRange("recorded", low, high))
        return parts


@dataclass(frozen=True)
class SearchResults:
    # The page's testimonies, best first.
    testimony_ids: list[int]
    # The query's terms per field, to mark the reader's words in the text shown.
    matched_terms: dict[str, set[str]]
    total: int
    page: int
    pages: int
    facets: dict[str, Counter[str]]


def audience_filter(audience: Audience) -> Query:
    return Term("audiences", "researchers" if audience >= Audience.RESEARCHERS else "public")


def _matched_docnums(searcher: Searcher, query: Query) -> np.ndarray:
    return np.fromiter(searcher.docs_for_query(query), dtype=np.int64)


def search(
    parsed: ParsedQuery | None,
    *,
    audience: Audience,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
) -> SearchResults:
    """One page of results for an audience. Staff search the database in the admin; here
    they count as researchers, who may see the most."""
    filters = filters or Filters()
    searcher = get_index().searcher()
    scope = And([audience_filter(audience), *filters.query()])
    if parsed:
        reader = searcher.reader()
        wanted = tolerate_spellings(parsed.query, lambda f, t: reader.doc_frequency(f, t) > 0)
        query = And([wanted, scope])
    else:
        query = scope
    docnums = _matched_docnums(searcher, query)
    total = len(docnums)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    sortedby = SORTS.get(sort)
    results = searcher.search_page(
        query, page, pagelen=PAGE_SIZE, sortedby=sortedby, reverse=sort == "date"
    )
    # What to highlight: the query's terms that the index holds (prefixes and fuzzy terms
    # expanded), found once for the page rather than recorded for every matching document.
    matched: dict[str, set[str]] = {}
    if parsed is not None:
        # (Query.existing_terms would do, but it skips every field after the first one.)
        for leaf in wanted.leaves():
            for fieldname, text in leaf.expanded_terms(searcher.reader(), phrases=True):
                value = text.decode() if isinstance(text, bytes) else text
                matched.setdefault(fieldname, set()).add(value)
    return SearchResults(
        testimony_ids=[int(result["testimony_id"]) for result in results],
        matched_terms=matched,
        total=total,
        page=page,
        pages=pages,
        facets=count_facets(searcher, docnums),
    )


SNIPPET_WINDOWS = 2
SNIPPET_CONTEXT = 70
SNIPPET_MARKS = 8


def snippet(text: str, language: str, matched_terms: dict[str, set[str]]) -> list[tuple[str, bool]]:
    """Up to two passages of `text` around the words the query matched, as (text, is_match)
    pieces: the template escapes each piece and marks the matches.

    Words are compared through the same analysis as the field that matched, so `villages`
    marks `village`; the scan stops at the first few matches, so a long transcript costs
    little more than a short one.
    """
    names = [n for n in (field_for_language(language), "words") if matched_terms.get(n)]
    if not names:
        return []
    terms_of = SCHEMA[names[0]].analyzer.terms
    wanted = matched_terms[names[0]]
    marks: list[tuple[int, int]] = []
    for match in WORDS.finditer(text):
        if wanted.intersection(terms_of(match.group())):
            marks.append(match.span())
            if len(marks) >= SNIPPET_MARKS:
                break
    windows: list[list[tuple[int, int]]] = []
    for span in marks:
        if windows and span[0] - windows[-1][-1][1] < SNIPPET_CONTEXT * 2:
            windows[-1].append(span)
        elif len(windows) < SNIPPET_WINDOWS:
            windows.append([span])
    pieces: list[tuple[str, bool]] = []
    for number, spans in enumerate(windows):
        start = _word_boundary(text, spans[0][0] - SNIPPET_CONTEXT, backwards=True)
        end = _word_boundary(text, spans[-1][1] + SNIPPET_CONTEXT, backwards=False)
        pieces.append(("… " if number or start > 0 else "", False))
        position = start
        for span_start, span_end in spans:
            pieces += [(text[position:span_start], False), (text[span_start:span_end], True)]
            position = span_end
        pieces.append((text[position:end] + (" …" if end < len(text) else ""), False))
    return [(piece, is_match) for piece, is_match in pieces if piece]


def _word_boundary(text: str, index: int, *, backwards: bool) -> int:
    if index <= 0:
        return 0
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", 0, index) if backwards else text.find(" ", index)
    return (space + 1 if backwards else space) if space != -1 else index


def suggest(parsed: ParsedQuery, *, audience: Audience) -> str | None:
    """A corrected query built only from words that documents this audience may find
    contain, and only if it finds something. A word that only a restricted document holds
    is never offered."""
    searcher = get_index().searcher()
    words = re.findall(r"\w+", parsed.text)
    if not words or re.search(r'[":*~()]|\b(AND|OR|NOT)\b', parsed.text):
        return None
    scope = audience_filter(audience)
    corrector = searcher.corrector("words")
    corrected = []
    changed = False
    for word in words:
        folded = word.casefold()
        if searcher.search(And([Term("words", folded), scope]), limit=1).scored_length():
            corrected.append(word)
            continue
        replacement = None
        for candidate in corrector.suggest(folded, limit=5, maxdist=2):
            if searcher.search(And([Term("words", candidate), scope]), limit=1).scored_length():
                replacement = candidate
                break
        if replacement is None:
            return None
        corrected.append(replacement)
        changed = True
    if not changed:
        return None
    together = And([Term("words", word.casefold()) for word in corrected] + [scope])
    return " ".join(corrected) if searcher.search(together, limit=1).scored_length() else None
