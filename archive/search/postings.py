"""The postings of a segment being written, held in memory and written a block at a time.

Whoosh's writer pickles every posting into sorted runs on disk once its pool is full, merges
the runs back with a heap, and hands the postings one at a time to the codec: at 10,000
testimonies that was two thirds of bulk indexing. Here each field keeps its postings in
arrays, a document's postings added at once, positions as plain numbers; they are sorted by
term and document when the segment is written, positions encoded the way whoosh stores them,
and each block of postings goes to whoosh's own postings writer whole.
Whoosh's files come out byte for byte as whoosh writes them; beside them, the posting
arrays that searches read (PostingArraysWriter).
"""

import mmap
import os
import struct
from array import array
from collections.abc import Callable, Iterator
from itertools import chain, repeat
from pickle import loads
from typing import Any, NamedTuple

import numpy as np
from whoosh.codec.whoosh3 import W3FieldWriter
from whoosh.fields import FieldType, Schema
from whoosh.system import _INT_SIZE

from archive.search.analysis import (
    DocumentPostings,
    WordAnalyzer,
    WordFrequency,
    WordPositions,
    encode_positions,
)

# (field name, term, document number, weight, value): whoosh's posting.
Posting = tuple[str, bytes, int, float, bytes | None]


def field_postings(field: FieldType, value: Any) -> DocumentPostings:
    """A document's postings in one field, as whoosh's `field.index(value)` gives them; our
    text fields' straight from their analyser's word → terms function, as columns."""
    analyzer = getattr(field, "analyzer", None)
    word_format = isinstance(field.format, WordPositions | WordFrequency)
    if word_format and isinstance(value, str) and isinstance(analyzer, WordAnalyzer):
        return field.format.postings(value, analyzer)
    items = list(field.index(value))
    return DocumentPostings(
        [item[0] for item in items],
        [item[1] for item in items],
        [item[2] for item in items],
        [item[3] or b"" for item in items],
    )


# Postings sorted a slice at a time when their positions are gathered (bounds the memory
# the gathering's index arrays take).
GATHER_SLICE = 1 << 20


class _FieldPostings:
    """One field's postings in the order they came, each term numbered. In a field with
    positions, each posting's positions are kept as numbers (and encoded the way whoosh
    stores them only when the segment is written); in other fields, whoosh's values."""

    def __init__(self, positional: bool) -> None:
        self.positional = positional
        self.term_numbers: dict[bytes, int] = {}
        self.terms = array("I")
        self.docs = array("I")
        self.weights = array("d")
        self.values: list[bytes] = []
        self.position_counts = array("I")
        self.positions = array("I")

    def _numbers(self, terms: list[bytes]) -> Iterator[int]:
        numbers = self.term_numbers
        # (Not a set difference with the dict: that would walk the whole vocabulary.)
        for term in [term for term in terms if term not in numbers]:
            numbers[term] = len(numbers)
        return map(numbers.__getitem__, terms)

    def extend(self, docnum: int, postings: DocumentPostings) -> None:
        self.terms.extend(self._numbers(postings.terms))
        self.docs.extend(repeat(docnum, len(postings.terms)))
        self.weights.extend(postings.weights)
        if not self.positional or postings.positions is None:
            self.values.extend(postings.values or ())
            return
        self._decode_values()
        self.position_counts.extend(map(len, postings.positions))
        self.positions.extend(chain.from_iterable(postings.positions))

    def add(self, term: bytes, docnum: int, weight: float, value: bytes) -> None:
        """One posting with whoosh's value (a merged segment's)."""
        number = self.term_numbers.get(term)
        if number is None:
            number = self.term_numbers[term] = len(self.term_numbers)
        self.terms.append(number)
        self.docs.append(docnum)
        self.weights.append(weight)
        self.values.append(value)

    def _decode_values(self) -> None:
        """In a field with positions: the encoded values that came so far as positions
        (all at once, in the order they came)."""
        if self.positional and self.values:
            counts, positions = decode_positions(self.values)
            self.position_counts.extend(counts.astype(np.uint32))
            self.positions.extend(positions.astype(np.uint32))
            self.values = []

    def by_term(self) -> Iterator["TermPostings"]:
        """Each term's postings, terms in byte order, documents in order."""
        names = sorted(self.term_numbers)
        rank = np.empty(len(names), dtype=np.int64)
        rank[[self.term_numbers[name] for name in names]] = np.arange(len(names))
        term_rank = rank[np.frombuffer(self.terms, dtype=np.uint32)]
        docs = np.frombuffer(self.docs, dtype=np.uint32)
        order = np.lexsort((docs, term_rank))
        bounds = np.concatenate(([0], np.cumsum(np.bincount(term_rank, minlength=len(names)))))
        sorted_docs = docs[order]
        sorted_weights = np.frombuffer(self.weights, dtype=np.float64)[order]
        if self.positional:
            self._decode_values()
            counts, positions = self._sorted_positions(order)
            position_bounds = np.concatenate(([0], np.cumsum(counts, dtype=np.int64)))[bounds]
        else:
            values = self.values
            sorted_values = [values[i] for i in order.tolist()]
        # (Lists made a term at a time: a field's millions of postings as Python numbers
        # at once would double the memory a segment takes.)
        for number, name in enumerate(names):
            start, end = int(bounds[number]), int(bounds[number + 1])
            docs_list = sorted_docs[start:end].tolist()
            weights_list = sorted_weights[start:end].tolist()
            if self.positional:
                located = positions[int(position_bounds[number]) : int(position_bounds[number + 1])]
                term_counts = counts[start:end]
                yield TermPostings(
                    name,
                    docs_list,
                    weights_list,
                    _encoded(term_counts, located),
                    (term_counts, located),
                )
            else:
                yield TermPostings(name, docs_list, weights_list, sorted_values[start:end])

    def _sorted_positions(self, order: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The postings' position counts in `order`, and their positions gathered so."""
        counts = np.frombuffer(self.position_counts, dtype=np.uint32)
        firsts = np.cumsum(counts, dtype=np.int64) - counts
        positions = np.frombuffer(self.positions, dtype=np.uint32)
        sorted_counts = counts[order]
        gathered = np.empty(len(positions), dtype=np.uint32)
        done = 0
        for start in range(0, len(order), GATHER_SLICE):
            taken = order[start : start + GATHER_SLICE]
            part = gather_runs(positions, firsts[taken], counts[taken].astype(np.int64))
            gathered[done : done + len(part)] = part
            done += len(part)
        return sorted_counts, gathered


def gather_runs(values: np.ndarray, firsts: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """values[firsts[0] : firsts[0] + counts[0]], then the next run, ... in one array."""
    within = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(
        np.cumsum(counts) - counts, counts
    )
    return values[np.repeat(firsts, counts) + within]


class TermPostings(NamedTuple):
    """A term's postings in a segment: documents in order, their weights, whoosh's values,
    and in a field with positions each posting's number of positions and the positions."""

    term: bytes
    docs: list[int]
    weights: list[float]
    values: list[bytes]
    positions: tuple[np.ndarray, np.ndarray] | None = None


def _encoded(counts: np.ndarray, positions: np.ndarray) -> list[bytes]:
    """Each posting's positions as whoosh stores them, from the postings' position counts
    and all their positions one after another."""
    numbers = positions.tolist()
    starts = (np.cumsum(counts, dtype=np.int64) - counts).tolist()
    return [
        encode_positions(numbers[first : first + count])
        for first, count in zip(starts, counts.tolist(), strict=True)
    ]


class MemoryPostingPool:
    """In place of whoosh's PostingPool in our Writer (the `add` and `cleanup` whoosh's
    writer uses), keeping every posting in memory: a bulk writer ends its segment when they
    reach its memory limit (`postings` counts them)."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.fields: dict[str, _FieldPostings] = {}
        self.postings = 0

    def add(self, item: Posting) -> None:
        """One posting (whoosh adds a merged segment's so)."""
        fieldname, btext, docnum, weight, value = item
        if docnum < 0:
            return  # whoosh's marker for a spelling word: this index keeps none
        self._field(fieldname).add(btext, docnum, weight, value or b"")
        self.postings += 1

    def _field(self, fieldname: str) -> _FieldPostings:
        postings = self.fields.get(fieldname)
        if postings is None:
            positional = self.schema[fieldname].format.supports("positions")
            postings = self.fields[fieldname] = _FieldPostings(positional)
        return postings

    def add_document_field(self, fieldname: str, docnum: int, postings: DocumentPostings) -> None:
        """One document's postings in one field (each term once)."""
        self._field(fieldname).extend(docnum, postings)
        self.postings += len(postings.terms)

    def cleanup(self) -> None:
        self.fields.clear()
        self.postings = 0


class PostingArraysWriter:
    """Beside whoosh's postings file, every term's postings as plain arrays, which a search
    reads without unpickling or decompressing a block (archive/search/evaluation.py):
    whoosh's blocks cost most of a query's time at 100,000 testimonies. Terms are found by
    where their postings begin in whoosh's file; terms whoosh keeps inline in its term
    table (a few postings) are not repeated here.

    Layout: per term, its document numbers (uint32), weights (float32) and, in a field with
    positions, each posting's number of positions and the positions (uint32); then four
    uint64 columns (the terms' offsets in whoosh's postings file, ascending; where each
    term's arrays begin here; its number of postings; its number of positions, or 0);
    then the number of terms, where the columns begin, and a marker."""

    def __init__(self, file: Any) -> None:
        self._file = file
        self._position = 0
        self._columns: tuple[list[int], ...] = ([], [], [], [])

    def add(self, postings_offset: int, postings: "TermPostings") -> None:
        data = np.array(postings.docs, dtype=np.uint32).tobytes()
        data += np.array(postings.weights, dtype=np.float32).tobytes()
        total = 0
        if postings.positions is not None:
            counts, positions = postings.positions
            data += counts.astype(np.uint32).tobytes() + positions.astype(np.uint32).tobytes()
            total = len(positions)
        for column, value in zip(
            self._columns, (postings_offset, self._position, len(postings.docs), total), strict=True
        ):
            column.append(value)
        self._file.write(data)
        self._position += len(data)

    def close(self) -> None:
        padding = -self._position % 8
        self._file.write(bytes(padding))
        for column in self._columns:
            self._file.write(np.array(column, dtype="<u8").tobytes())
        footer = struct.pack("<QQ", len(self._columns[0]), self._position + padding)
        self._file.write(footer + ARRAYS_MARKER)
        self._file.close()


def decode_positions(encoded: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Positions.encode's values (a count, then the differences, pickled) as each posting's
    number of positions and all the positions, one posting after another."""
    # (Whoosh may leave off the pickle's final '.'.)
    deltas = [
        loads(value[_INT_SIZE:] if value.endswith(b".") else value[_INT_SIZE:] + b".")  # noqa: S301
        for value in encoded
    ]
    counts = np.fromiter(map(len, deltas), dtype=np.int64, count=len(deltas))
    flat = np.fromiter(chain.from_iterable(deltas), dtype=np.int64, count=int(counts.sum()))
    running = np.cumsum(flat)
    # Each posting's differences add up from its own first position.
    before = np.concatenate(([0], running))[np.cumsum(counts) - counts]
    return counts, running - np.repeat(before, counts)


ARRAYS_EXTENSION = ".arrays"
ARRAYS_MARKER = b"TAPOSTS2"


class PostingArrays:
    """A segment's PostingArraysWriter file, mapped into memory."""

    def __init__(self, path: str) -> None:
        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        footer = self._map[-24:]
        if footer[16:] != ARRAYS_MARKER:
            raise ValueError(f"{path} is not a posting arrays file")
        count, table_start = struct.unpack("<QQ", footer[:16])
        table = np.frombuffer(self._map, dtype="<u8", count=4 * count, offset=table_start)
        # Read where needed, not copied: a new searcher after each commit opens every
        # segment's file again, and a large segment's table is tens of megabytes.
        self._offsets, self._starts, self._counts, self._totals = table.reshape(4, count)

    @classmethod
    def of_segment(cls, storage: Any, segment: Any) -> "PostingArrays | None":
        folder = getattr(storage, "folder", None)
        if folder is None or getattr(segment, "compound", False):
            return None
        path = os.path.join(folder, segment.make_filename(ARRAYS_EXTENSION))
        try:
            return cls(path)
        except (FileNotFoundError, ValueError):
            return None  # a segment written otherwise: searches read whoosh's postings

    def _row(self, postings_offset: int) -> int | None:
        row = int(np.searchsorted(self._offsets, postings_offset))
        if row >= len(self._offsets) or self._offsets[row] != postings_offset:
            return None
        return row

    def get(self, postings_offset: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The document numbers and weights of the term whose postings begin there."""
        row = self._row(postings_offset)
        if row is None:
            return None
        start, count = int(self._starts[row]), int(self._counts[row])
        docs = np.frombuffer(self._map, dtype=np.uint32, count=count, offset=start)
        weights = np.frombuffer(self._map, dtype=np.float32, count=count, offset=start + 4 * count)
        return docs.astype(np.int64), weights.astype(np.float64)

    def positions(self, postings_offset: int) -> tuple[np.ndarray, np.ndarray] | None:
        """Each posting's number of positions, and the positions (uint32, in the file),
        of that term."""
        row = self._row(postings_offset)
        if row is None or not self._totals[row]:
            return None
        start, count, total = (
            int(self._starts[row]),
            int(self._counts[row]),
            int(self._totals[row]),
        )
        counts = np.frombuffer(self._map, dtype=np.uint32, count=count, offset=start + 8 * count)
        # The positions are read in place: a phrase needs those of a few documents only.
        positions = np.frombuffer(
            self._map, dtype=np.uint32, count=total, offset=start + 12 * count
        )
        return counts.astype(np.int64), positions


def write_postings(
    fieldwriter: W3FieldWriter,
    schema: Schema,
    field_lengths: Callable[[str], list[int]] | None,
    pool: MemoryPostingPool,
    arrays: PostingArraysWriter,
) -> None:
    """Write the pool's postings through whoosh's field writer, a block at a time, with the
    statistics its postings writer would have gathered posting by posting: the block's
    weights, highest weight, and shortest and longest field of its documents. Each term
    not kept inline goes to `arrays` too."""
    for fieldname in sorted(pool.fields):
        fieldwriter.start_field(fieldname, schema[fieldname])
        postwriter = fieldwriter._postwriter
        limit = postwriter._blocklimit
        lengths = field_lengths(fieldname) if field_lengths else None
        for postings in pool.fields[fieldname].by_term():
            docs, weights, values = postings.docs, postings.weights, postings.values
            fieldwriter.start_term(postings.term)
            for start in range(0, len(docs), limit):
                if start:
                    postwriter._write_block()
                ids = array("I", docs[start : start + limit])
                block_weights = weights[start : start + limit]
                postwriter._ids = ids
                postwriter._weights = array("f", block_weights)
                postwriter._values = [value for value in values[start : start + limit] if value]
                postwriter._maxweight = max(0.0, max(block_weights))
                if lengths is not None:
                    block_lengths = [lengths[docnum] for docnum in ids]
                    postwriter._maxlength = max(block_lengths)
                    postwriter._minlength = min(
                        (length for length in block_lengths if length), default=None
                    )
            # (PostingsWriter.finish_postings' test for a posting list kept inline.)
            if postwriter.written() or len(postwriter) >= postwriter._inlinelimit:
                arrays.add(postwriter._startoffset, postings)
            fieldwriter.finish_term()
        fieldwriter.finish_field()
