"""Evaluating a query over whole posting lists at once, with numpy.

Whoosh walks its matchers one document at a time in Python: a search matching a few
thousand documents spent most of its time there (scoring each, stepping each matcher of a
ten-field OR). Here a term's postings are read whole, from the posting arrays written
beside each segment (archive/search/postings.py; from whoosh's blocks when a segment has
none), and scored together with whoosh's own BM25F formula and statistics; AND and OR
combine the arrays (scores add up, as in whoosh), phrases compare positions as arrays. Any
other kind of query (prefixes, NOT...) is answered by its whoosh matcher, so its meaning
is whoosh's.
"""

from functools import reduce
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import And, Not, Or, Phrase, Query, Term
from whoosh.scoring import BM25F
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from archive.search.postings import decode_positions, gather_runs

_LENGTH_OF_BYTE = np.array([byte_to_length(value) for value in range(256)], dtype=np.float64)
Matches = tuple[np.ndarray, np.ndarray]  # sorted document numbers, their scores
_NONE: Matches = (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64))


def evaluate(searcher: Searcher, query: Query) -> Matches:
    """Every document `query` matches (top-level numbers, ascending) and its score."""
    ids: list[np.ndarray] = []
    scores: list[np.ndarray] = []
    for subsearcher, offset in searcher.leaf_searchers():
        if not subsearcher.reader().doc_count_all():
            continue
        found, score = _Segment(searcher, subsearcher).matches(query)
        if len(found):
            deleted = subsearcher.reader().deleted_docs_set
            if deleted:
                keep = ~np.isin(found, np.fromiter(deleted, dtype=np.int64))
                found, score = found[keep], score[keep]
            ids.append(found + offset)
            scores.append(score)
    if not ids:
        return _NONE
    return np.concatenate(ids), np.concatenate(scores)


class _Segment:
    def __init__(self, top: Searcher, searcher: Searcher) -> None:
        self.top = top
        self.searcher = searcher
        self.reader = searcher.reader()
        weighting = top.weighting
        self.bm25f = weighting if type(weighting) is BM25F else None

    def matches(self, query: Query) -> Matches:
        if type(query) is Term:  # (not its subclasses, which expand to other terms)
            return self._term(query)
        if type(query) is And and query.subqueries and query.boost == 1.0:
            # `a NOT b`: the documents of a without those of b, scored by a alone (as
            # whoosh does). (Its matcher for a lone NOT steps through every document.)
            wanted = [sub for sub in query.subqueries if type(sub) is not Not]
            if not wanted:
                return self._by_matcher(query)
            ids, scores = _intersection([self.matches(sub) for sub in wanted])
            for sub in query.subqueries:
                if type(sub) is Not and len(ids):
                    keep = ~np.isin(ids, self.matches(sub.query)[0])
                    ids, scores = ids[keep], scores[keep]
            return ids, scores
        if type(query) is Or and query.subqueries and not query.minmatch and query.boost == 1.0:
            parts = [self.matches(sub) for sub in query.subqueries]
            return _union(parts)
        if type(query) is Phrase and query.slop == 1 and len(query.words) > 1:
            return self._phrase(query)
        return self._by_matcher(query)

    def _phrase(self, query: Phrase) -> Matches:
        """The words one after another (whoosh's slop 1), scored as whoosh scores a phrase:
        the sum of its words' scores. Positions are compared, all at once, only in the
        documents holding every word."""
        fieldname = query.fieldname
        schema = self.reader.schema
        if fieldname not in schema or not schema[fieldname].format.supports("positions"):
            return self._by_matcher(query)
        field = schema[fieldname]
        words: list[tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]] = []
        for word in query.words:
            try:
                text = field.to_bytes(word)
            except ValueError:
                return _NONE
            if (fieldname, text) not in self.reader:
                return _NONE
            located = self._positions(fieldname, text)
            if located is None:
                return self._by_matcher(query)
            ids, scores = self._term(Term(fieldname, text))
            words.append((ids, scores, located))
        candidates = words[0][0]
        for ids, _scores, _located in words[1:]:
            candidates = candidates[_common(candidates, ids)[0]]
        if not len(candidates):
            return _NONE
        # Each word's positions in the candidates, as (candidate << 32 | position - its
        # place in the phrase): the keys all the words share are the phrase's occurrences.
        # (Candidates and each posting's positions are in order, so the keys are sorted.)
        rows = []
        occurrences = []
        for place, (ids, _scores, (counts, positions)) in enumerate(words):
            row = np.searchsorted(ids, candidates)
            rows.append(row)
            wanted = counts[row]
            at = gather_runs(positions, (np.cumsum(counts) - counts)[row], wanted).astype(np.int64)
            owner = np.repeat(np.arange(len(candidates), dtype=np.int64), wanted)
            occurrences.append((owner << 32) | (at - place + len(words)))
        shared = reduce(lambda keys, others: keys[_common(keys, others)[0]], occurrences)
        owners = shared >> 32  # sorted: each candidate's first occurrence is where it changes
        found = owners[np.flatnonzero(np.diff(owners, prepend=-1))]
        matched = candidates[found]
        total = np.zeros(len(matched), dtype=np.float64)
        for (_ids, scores, _located), row in zip(words, rows, strict=True):
            total += scores[row[found]]
        if query.boost != 1.0:
            total = total * query.boost
        return matched, total

    def _positions(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's positions: each posting's number of them, and all of them in posting
        order (from the segment's posting arrays, or decoded from whoosh's postings)."""
        offset = self._arrays_offset(fieldname, text)
        if offset is not None:
            located = self.searcher.posting_arrays.positions(offset)
            if located is not None:
                return located
        matcher = self._leaf_matcher(fieldname, text)
        if matcher is None:
            return None
        return decode_positions(_postings(matcher, values=True)[2])

    def _arrays(self, fieldname: str, text: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        """A term's document numbers and weights from the segment's posting arrays
        (archive/search/postings.py); None when the segment has none for it."""
        offset = self._arrays_offset(fieldname, text)
        return None if offset is None else self.searcher.posting_arrays.get(offset)

    def _arrays_offset(self, fieldname: str, text: bytes) -> int | None:
        """Where the term's postings begin in whoosh's postings file, which is how the
        posting arrays find it; None without arrays, or for a term whoosh kept inline in
        its term table (our codec keeps none: a segment written otherwise may)."""
        if getattr(self.searcher, "posting_arrays", None) is None:
            return None
        info = self.reader.term_info(fieldname, text)
        return None if info.is_inlined() else int(info.extent()[0])

    def _leaf_matcher(self, fieldname: str, text: bytes) -> Any:
        terms = getattr(self.reader, "_terms", None)
        if terms is None or self.bm25f is None:
            return None
        matcher = terms.matcher(fieldname, text, self.reader.schema[fieldname].format)
        if not isinstance(matcher, W3LeafMatcher) or matcher._byteids:
            return None
        return matcher

    def _by_matcher(self, query: Query) -> Matches:
        matcher = query.matcher(self.searcher, self.searcher.context())
        ids: list[int] = []
        scores: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            scores.append(matcher.score())
            matcher.next()
        return np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64)

    def _term(self, query: Term) -> Matches:
        fieldname = query.fieldname
        schema = self.reader.schema
        if fieldname not in schema:
            return _NONE
        field = schema[fieldname]
        try:
            text = field.to_bytes(query.text)
        except ValueError:
            return _NONE
        if (fieldname, text) not in self.reader:
            return _NONE
        if self.bm25f is None:
            return self._by_matcher(query)
        found = self._arrays(fieldname, text)
        if found is None:
            matcher = self._leaf_matcher(fieldname, text)
            if matcher is None:
                return self._by_matcher(query)
            found = _postings(matcher)[:2]
        ids, weights = found
        if not field.scorable:
            # whoosh's WeightScorer: the term's largest weight, for every document.
            maximum = self.reader.term_info(fieldname, text).max_weight()
            return ids, np.full(len(ids), maximum * query.boost, dtype=np.float64)
        bm25f = self.bm25f
        lengths = self._lengths(fieldname, ids)
        b = bm25f._field_B.get(fieldname, bm25f.B)
        k1 = bm25f.K1
        idf = self.top.idf(fieldname, text)
        average = self.top.avg_field_length(fieldname) or 1
        scores = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / average)))
        if query.boost != 1.0:
            scores = scores * query.boost
        return ids, scores

    def _lengths(self, fieldname: str, ids: np.ndarray) -> np.ndarray:
        # The searcher holds its segment's lengths in memory (engine._field_lengths_in_memory).
        stored = getattr(self.searcher, "field_length_bytes", {}).get(fieldname)
        if stored is None:
            read = self.searcher.doc_field_length
            return np.array([read(int(docnum), fieldname, 1) or 1 for docnum in ids], dtype=float)
        values = _LENGTH_OF_BYTE[np.frombuffer(stored, dtype=np.uint8)[ids]]
        return np.where(values > 0, values, 1.0)


def _postings(matcher: Any, *, values: bool = False) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """All of a term's postings in one segment: document numbers, weights and, if asked
    for, the encoded values (positions)."""
    ids: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    encoded: list[Any] = []
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        ids.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        matcher._read_weights()
        weights.append(np.asarray(matcher._weights, dtype=np.float64))
        if values:
            matcher._read_values()
            encoded.extend(matcher._values)
        matcher._next_block()
    if not ids:
        return _NONE[0], _NONE[1], []
    return np.concatenate(ids), np.concatenate(weights), encoded


def _common(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the values that two sorted arrays of distinct values share are in each: each
    value of the shorter looked up in the longer (no sort of both, as np.intersect1d)."""
    if len(a) > len(b):
        theirs, mine = _common(b, a)
        return mine, theirs
    if not len(a):
        return _NO_ROWS, _NO_ROWS
    at = np.minimum(np.searchsorted(b, a), len(b) - 1)
    mine = np.flatnonzero(b[at] == a)
    return mine, at[mine]


_NO_ROWS = np.empty(0, dtype=np.int64)


def _intersection(parts: list[Matches]) -> Matches:
    parts = sorted(parts, key=lambda part: len(part[0]))
    ids, scores = parts[0]
    for other_ids, other_scores in parts[1:]:
        if not len(ids):
            break
        mine, theirs = _common(ids, other_ids)
        ids, scores = ids[mine], scores[mine] + other_scores[theirs]
    return ids, scores


def _union(parts: list[Matches]) -> Matches:
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return _NONE
    if len(parts) == 1:
        return parts[0]
    ids, inverse = np.unique(np.concatenate([part[0] for part in parts]), return_inverse=True)
    scores = np.bincount(inverse, weights=np.concatenate([part[1] for part in parts]))
    return ids, scores
