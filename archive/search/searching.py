"""Searching the index for one reader: results, counts, facets, snippets and suggestions,
all computed over the documents that reader's audience may find, and nothing else."""

import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial
from itertools import islice

import numpy as np
from whoosh.query import And, FuzzyTerm, NumericRange, Or, Prefix, Query, Term
from whoosh.reading import IndexReader
from whoosh.searching import Searcher
from whoosh.spelling import Corrector

from archive.accounts.audience import Audience
from archive.search.analysis import WORDS, field_for_language
from archive.search.engine import SearchUnavailable, describe_failure, get_index
from archive.search.evaluation import evaluate
from archive.search.facets import count_facets
from archive.search.query import ParsedQuery, tolerate_spellings
from archive.search.schema import build_schema

logger = logging.getLogger(__name__)
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


def _best_first(docnums: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """The `limit` best documents, highest score first, equal scores in document order
    (whoosh's order)."""
    if len(scores) > limit:
        threshold = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= threshold
        docnums, scores = docnums[keep], scores[keep]
    order = np.lexsort((docnums, -scores))[:limit]
    return [int(docnum) for docnum in docnums[order]]


# Per segment (segments never change once written) and field: its terms, with the number
# of documents holding each, by their first letters (the name and place fields, and the
# words for suggestions and for widening words ending in * or ~).
Lexicon = dict[str, list[tuple[str, int, int]]]
_lexicons: OrderedDict[tuple[str, int, str, int], Lexicon] = OrderedDict()
_lexicons_lock = threading.Lock()
LEXICON_CACHE_SIZE = 64


def _terms_by_prefix(leaf: IndexReader, fieldname: str, prefix: int) -> Lexicon:
    """(term, documents holding it, letters_of(term)) by the term's first letters."""
    key = (leaf.segment().segment_id(), leaf.doc_count_all(), fieldname, prefix)
    with _lexicons_lock:
        found = _lexicons.get(key)
        if found is not None:
            _lexicons.move_to_end(key)
    if found is None:
        found = {}
        for term, info in leaf.iter_field(fieldname):
            text = term.decode() if isinstance(term, bytes) else term
            entry = (text, info.doc_frequency(), letters_of(text))
            found.setdefault(text[:prefix], []).append(entry)
        with _lexicons_lock:
            _lexicons[key] = found
            # The least recently used go first (merged-away segments never come back): a
            # query naming many fields must not push out the large lists every search uses.
            while len(_lexicons) > LEXICON_CACHE_SIZE:
                _lexicons.popitem(last=False)
    return found


def letters_of(text: str) -> int:
    """The letters of a word as bits of a number (one of 64 per letter). Each letter of
    one word that the other lacks takes an edit, so two words whose letters differ in more
    than `n` bits are more than `n` edits apart: a test of a few nanoseconds that spares
    most of the distance computations."""
    bits = 0
    for char in text:
        bits |= 1 << (ord(char) & 63)
    return bits


def near_enough(letters: int, other: int, limit: int) -> bool:
    return (letters & ~other).bit_count() <= limit and (other & ~letters).bit_count() <= limit


def _most_frequent(
    frequencies: Counter[str], limit: int, *, live: Callable[[str], bool]
) -> list[str]:
    """The `limit` terms found in most documents; equally frequent ones alphabetically,
    so that the same query always searches the same terms. A term only deleted documents
    hold (an erased testimony's, until its purge) takes no place: it would find nothing
    and push out one that does."""
    ordered = sorted(frequencies, key=lambda term: (-frequencies[term], term))
    return list(islice((term for term in ordered if live(term)), limit))


def _near_spellings(
    reader: IndexReader, visible: Callable[[str, str], bool]
) -> Callable[[str, str, int, int], list[str]]:
    """The index's terms within `maxdist` edits of a word that share its first `prefix`
    letters (what whoosh's FuzzyTerm finds), from the term lists held in memory; the
    MAX_FORMS_PER_WORD most frequent of those that `visible(field, term)` (_Visible)."""

    def near(fieldname: str, text: str, maxdist: int, prefix: int) -> list[str]:
        found: Counter[str] = Counter()
        wanted = letters_of(text)
        for leaf, _offset in reader.leaf_readers():
            if not leaf.doc_count_all():
                continue  # an empty index has no segment
            for term, frequency, letters in _terms_by_prefix(leaf, fieldname, prefix).get(
                text[:prefix], ()
            ):
                if near_enough(letters, wanted, maxdist) and within_distance(
                    term[prefix:], text[prefix:], maxdist
                ):
                    found[term] += frequency
        return _most_frequent(found, MAX_FORMS_PER_WORD, live=partial(visible, fieldname))

    return near


# The terms one search may check against the audience's documents (each check is a
# matcher stepping through a term's postings beside the audience's). Beyond it a term counts
# as absent: an exact word then also finds its near spellings, a widened word fewer forms.
MAX_TERM_CHECKS = 120


class _Visible:
    """Whether a live document that the searching audience may find holds a term. Every
    decision about which terms exist (an exact name, near spellings, the forms of a word
    ending in * or ~, "did you mean") asks this: the index's term lists hold the words of
    every audience's documents, and a word only a restricted document holds must change
    nothing an anonymous search answers (neither found nor skipped nor suggested).

    Candidates are still ranked by their frequency in all documents (the term lists
    hold it for free); counting within the audience would read the postings of every
    candidate (thousands for `a*`). A restricted document's words can thus reorder the
    visible forms of a widened word when it has more than MAX_FORMS_PER_WORD of them:
    a faint signal, which never says whether a particular word exists."""

    def __init__(self, searcher: Searcher, audience: Audience) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.scope = audience_filter(audience)
        self.remaining = MAX_TERM_CHECKS
        self.known: dict[tuple[str, str], bool] = {}

    def __call__(self, fieldname: str, text: str) -> bool:
        key = (fieldname, text)
        found = self.known.get(key)
        if found is None:
            if not self.reader.doc_frequency(fieldname, text):
                found = False
            elif self.remaining <= 0:
                return False
            else:
                self.remaining -= 1
                found = _finds_any(self.searcher, And([Term(fieldname, text), self.scope]))
            self.known[key] = found
        return found


# A word ending in * or ~ is searched as the index's terms it stands for: at most this
# many of them (those found in most documents), and this many for all such words of a
# query together. (Whoosh's own prefix and fuzzy queries searched every matching term, in
# every field: `petrosian~6` held a worker for 28 s.)
MAX_FORMS_PER_WORD = 6
MAX_FORMS_PER_QUERY = 12
# The widened words of a free-text query are looked for among the words of the texts (the
# `words` field: unstemmed, folded, also in Latin letters) and among the names of people,
# places, subjects and collections (fields of their own), then searched as if typed.
WIDENING_FIELD = "words"
NAME_FIELDS = ("narrator", "place", "subject", "collection")


class _Widening:
    """Turns every prefix and fuzzy query into the plain terms it stands for, within the
    bounds above. Candidates come from the term lists held in memory per segment, grouped
    by first letter (query.py makes every fuzzy word keep its first letter)."""

    def __init__(self, reader: IndexReader, visible: Callable[[str, str], bool]) -> None:
        self.reader = reader
        self.visible = visible
        self.remaining = MAX_FORMS_PER_QUERY

    def __call__(self, node: Query) -> Query:
        if isinstance(node, Or) and node.subqueries:
            children = node.subqueries
            first = children[0]
            if (
                isinstance(first, FuzzyTerm | Prefix)
                and all(
                    type(child) is type(first) and child.text == first.text for child in children
                )
                and any(child.fieldname == WIDENING_FIELD for child in children)
            ):
                return self._words(children)
        if isinstance(node, FuzzyTerm | Prefix):
            forms = self._forms(node, node.fieldname)
            terms = [Term(node.fieldname, form, boost=node.boost) for form in forms]
            return Or(terms) if terms else Term(node.fieldname, _text(node), boost=node.boost)
        return node if node.is_leaf() else node.apply(self)

    def _words(self, children: list[Query]) -> Query:
        """One word of a free-text query, widened in every field: its forms found among
        the words of the texts, each analysed as each field analyses a query's word."""
        model = next(child for child in children if child.fieldname == WIDENING_FIELD)
        lexicons = [WIDENING_FIELD] + [
            child.fieldname for child in children if child.fieldname in NAME_FIELDS
        ]
        forms = self._forms(model, *lexicons) or [_text(model)]
        terms: dict[tuple[str, str], Term] = {}
        for form in forms:
            for child in children:
                for text in SCHEMA[child.fieldname].process_text(form, mode="query"):
                    key = (child.fieldname, text)
                    terms.setdefault(key, Term(child.fieldname, text, boost=child.boost))
        return Or(list(terms.values()))

    def _forms(self, node: FuzzyTerm | Prefix, *fieldnames: str) -> list[str]:
        """The terms of these fields that `node` stands for, the most frequent first."""
        limit = min(MAX_FORMS_PER_WORD, self.remaining)
        text = _text(node)
        if limit <= 0 or not text:
            return []
        found: Counter[str] = Counter()
        for leaf, _offset in self.reader.leaf_readers():
            if not leaf.doc_count_all():
                continue  # an empty index has no segment
            for fieldname in fieldnames:
                self._look_in(leaf, fieldname, node, text, found)
        forms = _most_frequent(
            found,
            limit,
            live=lambda term: any(self.visible(fieldname, term) for fieldname in fieldnames),
        )
        self.remaining -= len(forms)
        return forms

    def _look_in(
        self,
        leaf: IndexReader,
        fieldname: str,
        node: FuzzyTerm | Prefix,
        text: str,
        found: Counter[str],
    ) -> None:
        """Add the terms of one field that `node` stands for to `found`, with the number
        of documents of this segment holding each."""
        candidates = _terms_by_prefix(leaf, fieldname, 1).get(text[:1], ())
        if isinstance(node, Prefix):
            for term, frequency, _letters in candidates:
                if term.startswith(text):
                    found[term] += frequency
            return
        keep = max(1, node.prefixlength)
        head, tail, distance = text[:keep], text[keep:], node.maxdist
        wanted = letters_of(text)
        for term, frequency, letters in candidates:
            if (
                abs(len(term) - len(text)) <= distance
                and near_enough(letters, wanted, distance)
                and term.startswith(head)
                and within_distance(term[keep:], tail, distance)
            ):
                found[term] += frequency


def _text(node: Query) -> str:
    text = node.text
    return text.decode() if isinstance(text, bytes) else str(text)


def within_distance(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of at most `limit` (small: one or two edits). Only the cells
    within `limit` of the diagonal are computed, after the common beginning and end are
    set aside: a word is compared with thousands of terms per search."""
    if abs(len(a) - len(b)) > limit:
        return False
    start = 0
    shorter = min(len(a), len(b))
    while start < shorter and a[start] == b[start]:
        start += 1
    end = 0
    while end < shorter - start and a[-1 - end] == b[-1 - end]:
        end += 1
    a, b = a[start : len(a) - end], b[start : len(b) - end]
    if not a or not b:
        return max(len(a), len(b)) <= limit
    beyond = limit + 1
    width = len(b)
    previous = list(range(width + 1))
    for i, char_a in enumerate(a, start=1):
        current = [beyond] * (width + 1)
        if i <= limit:
            current[0] = i
        best = current[0]
        for j in range(max(1, i - limit), min(width, i + limit) + 1):
            value = previous[j - 1] + (char_a != b[j - 1])
            if previous[j] + 1 < value:
                value = previous[j] + 1
            if current[j - 1] + 1 < value:
                value = current[j - 1] + 1
            current[j] = value
            if value < best:
                best = value
        if best > limit:
            return False
        previous = current
    return previous[width] <= limit


def search(
    parsed: ParsedQuery | None,
    *,
    audience: Audience,
    filters: Filters | None = None,
    sort: str = "relevance",
    page: int = 1,
) -> SearchResults:
    """One page of results for an audience. Staff search the database in the admin; here
    they count as researchers, who may see the most. Raises SearchUnavailable when the
    index cannot be read."""
    with _reading() as searcher:
        return _search(searcher, parsed, audience, filters or Filters(), sort, page)


@contextmanager
def _reading() -> Iterator[Searcher]:
    """A searcher of this thread's own; an error reading the index is logged here and
    becomes SearchUnavailable, carrying nothing of what was read (a whoosh error's
    message and the variables of its frames hold raw index bytes)."""
    try:
        with get_index().searcher() as searcher:
            yield searcher
    except SearchUnavailable:
        raise
    except Exception as error:
        logger.error("Searching the index failed: %s", describe_failure(error))
    else:
        return
    raise SearchUnavailable("The search index could not be read.")


def _search(
    searcher: Searcher,
    parsed: ParsedQuery | None,
    audience: Audience,
    filters: Filters,
    sort: str,
    page: int,
) -> SearchResults:
    reader = searcher.reader()
    scope = And([audience_filter(audience), *filters.query()])
    if parsed:
        # Which words exist is answered from the audience's documents only (_Visible).
        visible = _Visible(searcher, audience)
        wanted = tolerate_spellings(parsed.query, visible, near=_near_spellings(reader, visible))
        wanted = _Widening(reader, visible)(wanted)
        query = And([wanted, scope])
    else:
        query = scope
    page = max(1, page)
    sortedby = SORTS.get(sort)
    best: list[int]
    if sortedby is None:
        docnums, scores = evaluate(searcher, query)
        best = _best_first(docnums, scores, page * PAGE_SIZE)
    else:
        sorting = searcher.collector(limit=None, sortedby=sortedby, reverse=sort == "date")
        searcher.search_with_collector(query, sorting)
        found = sorting.results()
        docnums = np.fromiter(found.docs(), dtype=np.int64)
        best = [docnum for _key, docnum in found.top_n[: page * PAGE_SIZE]]
    total = len(docnums)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    on_page = best[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    # What to highlight: the query's terms that the index holds (prefixes and fuzzy terms
    # expanded), found once for the page rather than recorded for every matching document.
    matched: dict[str, set[str]] = {}
    if parsed is not None:
        # (Query.existing_terms would do, but it skips every field after the first one.)
        for leaf in wanted.leaves():
            for fieldname, text in leaf.expanded_terms(reader, phrases=True):
                value = text.decode() if isinstance(text, bytes) else text
                matched.setdefault(fieldname, set()).add(value)
    return SearchResults(
        testimony_ids=[int(searcher.stored_fields(docnum)["testimony_id"]) for docnum in on_page],
        matched_terms=matched,
        total=total,
        page=page,
        pages=pages,
        facets=count_facets(searcher, docnums),
    )


SNIPPET_WINDOWS = 2
SNIPPET_CONTEXT = 70
SNIPPET_MARKS = 8
# Transcripts are read for matches this many characters at a time.
SNIPPET_PART = 3000


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
    words = _words_matching(names[0], frozenset(matched_terms[names[0]]))
    marks: list[tuple[int, int]] = []
    for offset, part in _parts(text):
        # Each distinct word is analysed once; the matching ones are then found in the text
        # by one regular expression (a transcript repeats most of its words: looking at
        # each word as it comes cost a result page tens of milliseconds). The text is read
        # a part at a time until enough words are marked.
        matching = words.among(set(WORDS.findall(part)))
        if not matching:
            continue
        alternatives = "|".join(re.escape(w) for w in sorted(matching, key=len, reverse=True))
        found = re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", part)
        for match in islice(found, SNIPPET_MARKS - len(marks)):
            marks.append((offset + match.start(), offset + match.end()))
        if len(marks) >= SNIPPET_MARKS:
            break
    if not marks:
        return []
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


class _MatchingWords:
    """Which words of a text analyse to the terms a query matched, remembered: the
    snippets of a page, and of the next pages, share most of their words."""

    def __init__(self, fieldname: str, wanted: frozenset[str]) -> None:
        self._terms_of = SCHEMA[fieldname].analyzer.terms
        self._wanted = wanted
        self._matching: set[str] = set()
        self._other: set[str] = set()
        self._lock = threading.Lock()

    def among(self, words: set[str]) -> set[str]:
        with self._lock:
            for word in words - self._matching - self._other:
                if self._wanted.intersection(self._terms_of(word)):
                    self._matching.add(word)
                else:
                    self._other.add(word)
            return words & self._matching


_words_matching = lru_cache(maxsize=32)(_MatchingWords)


def _parts(text: str) -> Iterator[tuple[int, str]]:
    """The text in parts of about SNIPPET_PART characters, each ending after a space (so no
    word is cut in two), with where each begins."""
    start = 0
    while start < len(text):
        space = text.find(" ", start + SNIPPET_PART)
        end = len(text) if space == -1 else space + 1
        yield start, text[start:end]
        start = end


def _word_boundary(text: str, index: int, *, backwards: bool) -> int:
    if index <= 0:
        return 0
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", 0, index) if backwards else text.find(" ", index)
    return (space + 1 if backwards else space) if space != -1 else index


# Suggestions share the misspelt word's first letter: most misspellings keep it, and
# looking only among those words keeps a suggestion to milliseconds.
SUGGESTION_PREFIX = 1


class _SegmentsCorrector(Corrector):
    """Whoosh's ReaderCorrector (ranked the same way: by frequency among the words within
    the distance), looking among the words that share the misspelt word's first letters,
    held in memory per segment. (Whoosh's reader of a multi-segment index measured the
    distance to every word of the field: half a second at 10,000 testimonies.)"""

    def __init__(
        self, reader: IndexReader, fieldname: str, visible: Callable[[str, str], bool]
    ) -> None:
        self.reader = reader
        self.fieldname = fieldname
        self.visible = visible

    def suggest(self, text: str, limit: int = 5, maxdist: int = 2, prefix: int = 0) -> list[str]:
        """Whoosh's Corrector.suggest (the nearest words first, then the most frequent),
        from one look through the words rather than one per distance."""
        nearest: dict[str, int] = {}
        tail = text[prefix:]
        wanted = letters_of(text)
        for leaf, _offset in self.reader.leaf_readers():
            if not leaf.doc_count_all():
                continue  # an empty index has no segment
            for term, _frequency, letters in _terms_by_prefix(leaf, self.fieldname, prefix).get(
                text[:prefix], ()
            ):
                if (
                    term == text
                    or term in nearest
                    or abs(len(term) - len(text)) > maxdist
                    or not near_enough(letters, wanted, maxdist)
                    or not within_distance(term[prefix:], tail, maxdist)
                ):
                    continue
                nearest[term] = next(
                    d for d in range(1, maxdist + 1) if within_distance(term[prefix:], tail, d)
                )
        scored = [
            (
                0 - (distance + (1.0 / (self.reader.frequency(self.fieldname, word) or 1) * 0.5)),
                word,
            )
            for word, distance in nearest.items()
        ]
        # Only deleted documents (an erased testimony's, until its purge) or documents the
        # audience may not find may hold a word: it must not take a suggestion's place.
        # Checked best first, until enough are found (each check reads postings).
        ranked = (word for _score, word in sorted(scored, reverse=True))
        return list(islice((word for word in ranked if self.visible(self.fieldname, word)), limit))


def _finds_any(searcher: Searcher, query: Query) -> bool:
    """Whether any document matches: the first match ends the search. (A whoosh search
    for one result still steps through every match when a filter term cannot be scored.)"""
    for subsearcher, _offset in searcher.leaf_searchers():
        if query.matcher(subsearcher, subsearcher.context()).is_active():
            return True
    return False


# "Did you mean" corrects short queries only: each word costs a look through the words
# that share its first letter.
MAX_SUGGESTED_WORDS = 4


def suggest(parsed: ParsedQuery, *, audience: Audience) -> str | None:
    """A corrected query built only from words that documents this audience may find
    contain, and only if it finds something. A word that only a restricted document holds
    is never offered. Raises SearchUnavailable when the index cannot be read."""
    with _reading() as searcher:
        return _suggest(searcher, parsed, audience)


def _suggest(searcher: Searcher, parsed: ParsedQuery, audience: Audience) -> str | None:
    words = re.findall(r"\w+", parsed.text)
    if (
        not words
        or len(words) > MAX_SUGGESTED_WORDS
        or re.search(r'[":*~()]|\b(AND|OR|NOT)\b', parsed.text)
    ):
        return None
    scope = audience_filter(audience)
    corrector = _SegmentsCorrector(searcher.reader(), "words", _Visible(searcher, audience))
    corrected = []
    changed = False
    for word in words:
        folded = word.casefold()
        if _finds_any(searcher, And([Term("words", folded), scope])):
            corrected.append(word)
            continue
        # The best word that a document this audience may find holds (the corrector
        # looks no further than that: each word costs a look at its postings).
        replacements = corrector.suggest(folded, limit=1, maxdist=2, prefix=SUGGESTION_PREFIX)
        if not replacements:
            return None
        corrected.append(replacements[0])
        changed = True
    if not changed:
        return None
    together = And([Term("words", word.casefold()) for word in corrected] + [scope])
    return " ".join(corrected) if _finds_any(searcher, together) else None
