"""Facet counts over the documents a query matched, without scoring them.

For each segment (segments never change once written), every facet's (value, document)
pairs are read once into two arrays; counting is then a look-up of the matched documents
and a bincount over the values, in time proportional to the pairs rather than to values ×
documents. Deleted documents never match, so they need no special care.
"""

import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np
from whoosh.reading import IndexReader
from whoosh.searching import Searcher

from archive.search.schema import FACET_FIELDS


@dataclass(frozen=True)
class SegmentFacets:
    # Per field: its values, and each (value, document) pair as two parallel arrays.
    values: dict[str, list[str]]
    value_of: dict[str, np.ndarray]
    document_of: dict[str, np.ndarray]


_cache: dict[tuple[str, int], SegmentFacets] = {}
_cache_lock = threading.Lock()


def _segment_facets(reader: IndexReader, key: tuple[str, int]) -> SegmentFacets:
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    values: dict[str, list[str]] = {}
    value_of: dict[str, np.ndarray] = {}
    document_of: dict[str, np.ndarray] = {}
    for field in FACET_FIELDS:
        terms = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon(field)]
        documents = [
            np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int64) for term in terms
        ]
        values[field] = terms
        value_of[field] = np.repeat(np.arange(len(terms)), [len(d) for d in documents])
        document_of[field] = np.concatenate(documents) if documents else np.empty(0, np.int64)
    facets = SegmentFacets(values, value_of, document_of)
    with _cache_lock:
        _cache[key] = facets
    return facets


def count_facets(searcher: Searcher, docnums: np.ndarray) -> dict[str, Counter[str]]:
    """Per facet field, how many of the matched documents carry each value."""
    counts: dict[str, Counter[str]] = {field: Counter() for field in FACET_FIELDS}
    live_keys = set()
    for reader, offset in searcher.reader().leaf_readers():
        size = reader.doc_count_all()
        if not size:
            continue  # an empty index has no segment
        key = (reader.segment().segment_id(), size)
        live_keys.add(key)
        local = docnums[(docnums >= offset) & (docnums < offset + size)] - offset
        if not len(local):
            continue
        matched = np.zeros(size, dtype=bool)
        matched[local] = True
        facets = _segment_facets(reader, key)
        for field in FACET_FIELDS:
            names = facets.values[field]
            if not names:
                continue
            chosen = facets.value_of[field][matched[facets.document_of[field]]]
            totals = np.bincount(chosen, minlength=len(names))
            for value, total in zip(names, totals.tolist(), strict=True):
                if total:
                    counts[field][value] += total
    _forget_segments_except(live_keys)
    return counts


def _forget_segments_except(live_keys: set[tuple[str, int]]) -> None:
    # Merged-away segments never come back; keep memory to the segments in use.
    with _cache_lock:
        for key in [key for key in _cache if key not in live_keys]:
            del _cache[key]
