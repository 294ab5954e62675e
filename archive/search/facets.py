"""Facet counts over the documents a query matched, without scoring them.

For each segment (segments never change once written), every facet's values are turned
once into a matrix value × document of booleans; counting is then a matrix product with the
matched documents. Deleted documents never match, so they need no special care.
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
    values: dict[str, list[str]]
    matrices: dict[str, np.ndarray]


_cache: dict[tuple[str, int], SegmentFacets] = {}
_cache_lock = threading.Lock()


def _segment_facets(reader: IndexReader, key: tuple[str, int]) -> SegmentFacets:
    with _cache_lock:
        if key in _cache:
            return _cache[key]
    size = reader.doc_count_all()
    values: dict[str, list[str]] = {}
    matrices: dict[str, np.ndarray] = {}
    for field in FACET_FIELDS:
        terms = [t.decode() if isinstance(t, bytes) else t for t in reader.lexicon(field)]
        matrix = np.zeros((len(terms), size), dtype=np.uint8)
        for row, term in enumerate(terms):
            ids = list(reader.postings(field, term).all_ids())
            matrix[row, ids] = 1
        values[field], matrices[field] = terms, matrix
    facets = SegmentFacets(values, matrices)
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
        facets = _segment_facets(reader, key)
        for field in FACET_FIELDS:
            matrix = facets.matrices[field]
            if not matrix.shape[0]:
                continue
            totals = matrix[:, local].sum(axis=1)
            for value, total in zip(facets.values[field], totals.tolist(), strict=True):
                if total:
                    counts[field][value] += total
    _forget_segments_except(live_keys)
    return counts


def _forget_segments_except(live_keys: set[tuple[str, int]]) -> None:
    # Merged-away segments never come back; keep memory to the segments in use.
    with _cache_lock:
        for key in [key for key in _cache if key not in live_keys]:
            del _cache[key]
