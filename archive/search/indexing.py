"""Keeping the index equal to what the policy allows: updates, removals, rebuilds, checks.

Updates are queued in the database (PendingIndexUpdate) and run after commit as a task;
anything that narrows what may be seen (withdrawal, erasure, a consent change) rewrites the
documents synchronously, before the request returns.
"""

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from whoosh.index import open_dir
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from archive.consent.disclosures import testimonies_for_policy
from archive.search.documents import Vocabulary, documents_for
from archive.search.engine import (
    ParallelWriter,
    SearchIndex,
    get_index,
    new_build_dir,
    open_writer,
    remove_old_builds,
    swap_in,
)
from archive.search.models import PendingIndexUpdate

logger = logging.getLogger(__name__)
BATCH_SIZE = 500
INDEXING_PROCESSES = 2
PARALLEL_FROM = 1000
# Each indexing process holds its segment's postings in memory up to this, then begins
# another segment (at 100,000 generated testimonies, two processes write one segment each).
INDEXING_MEMORY_MB = 2048


def _write(index: SearchIndex, testimony_ids: list[int], vocabulary: Vocabulary) -> None:
    testimonies = testimonies_for_policy().filter(pk__in=testimony_ids)
    with index.writer() as writer:
        for testimony_id in testimony_ids:
            writer.delete_by_term("testimony_id", str(testimony_id))
        for testimony in testimonies:
            for document in documents_for(testimony, vocabulary):
                writer.add_document(**document)


def index_now(testimony_ids: Iterable[int]) -> None:
    """Rewrite these testimonies' documents at once (the caller waits for whoosh's lock)."""
    ids = sorted(set(testimony_ids))
    if ids:
        _write(get_index(), ids, Vocabulary.load())


def request_index_update(testimony_ids: Iterable[int]) -> None:
    """Queue an update in the current transaction and run it after commit."""
    ids = sorted(set(testimony_ids))
    if not ids:
        return
    PendingIndexUpdate.objects.bulk_create(
        [PendingIndexUpdate(testimony_id=i) for i in ids],
        update_conflicts=True,
        unique_fields=["testimony_id"],
        update_fields=["requested_at"],
    )
    from archive.search.tasks import process_index_updates

    transaction.on_commit(lambda: process_index_updates.enqueue(ids))


def process_pending(testimony_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Apply queued updates (these, or all); returns (done, failed). A failure stays queued
    with its error and the number of attempts."""
    pending = PendingIndexUpdate.objects.all()
    if testimony_ids is not None:
        pending = pending.filter(testimony_id__in=list(testimony_ids))
    ids = list(pending.values_list("testimony_id", flat=True))
    done = failed = 0
    vocabulary = Vocabulary.load()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start : start + BATCH_SIZE]
        try:
            _write(get_index(), batch, vocabulary)
        except Exception as error:
            logger.exception("Search index update failed for %s testimonies", len(batch))
            PendingIndexUpdate.objects.filter(testimony_id__in=batch).update(
                attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:2000]
            )
            failed += len(batch)
        else:
            PendingIndexUpdate.objects.filter(testimony_id__in=batch).delete()
            done += len(batch)
    return done, failed


def purge_documents(testimony_ids: Iterable[int]) -> None:
    """Remove documents and rewrite the segments that held them, so that erased words are
    physically gone from the index files (a deletion alone only marks them). Only those
    segments are rewritten: optimising the whole index would hold the lock for minutes."""
    index = get_index()
    ids = [str(i) for i in testimony_ids]
    holding = set()
    with index.searcher() as searcher:
        for reader, _offset in searcher.reader().leaf_readers():
            for testimony_id in ids:
                if reader.doc_frequency("testimony_id", testimony_id):
                    holding.add(reader.segment().segment_id())

    def merge_holding_segments(writer: Any, segments: list[Any]) -> list[Any]:
        kept = []
        for segment in segments:
            if segment.segment_id() in holding:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            else:
                kept.append(segment)
        return kept

    with index.writer() as writer:
        for testimony_id in ids:
            writer.delete_by_term("testimony_id", testimony_id)
        index.commit_options = {"mergetype": merge_holding_segments}


@dataclass(frozen=True)
class Difference:
    testimony_id: int
    reference: str
    problem: str


def check_index() -> list[Difference]:
    """Every testimony whose documents in the index differ from what they should be now:
    missing, extra, or out of date (each document carries a digest of its fields)."""
    indexed: dict[int, dict[str, str]] = {}
    with get_index().searcher() as searcher:
        for stored in searcher.all_stored_fields():
            testimony_id = int(stored["testimony_id"])
            indexed.setdefault(testimony_id, {})[stored["doc_id"]] = stored["digest"]
    differences = []
    vocabulary = Vocabulary.load()
    seen = set()
    for testimony in testimonies_for_policy().iterator(chunk_size=BATCH_SIZE):
        seen.add(testimony.pk)
        expected = {d["doc_id"]: d["digest"] for d in documents_for(testimony, vocabulary)}
        actual = indexed.get(testimony.pk, {})
        if expected == actual:
            continue
        if set(expected) != set(actual):
            problem = f"documents {sorted(actual) or 'none'}; expected {sorted(expected) or 'none'}"
        else:
            problem = "out of date"
        differences.append(Difference(testimony.pk, testimony.reference, problem))
    for testimony_id in sorted(set(indexed) - seen):
        differences.append(Difference(testimony_id, "", "indexed, but no longer in the database"))
    return differences


def rebuild_index() -> int:
    """Index every testimony into a new directory, swap it in atomically, then bring it up to
    date with what changed meanwhile. Searches go on against the old index until the swap."""
    root = get_index().root
    started = timezone.now()
    build = new_build_dir(root)
    vocabulary = Vocabulary.load()
    count = 0
    # Two processes for a large archive, each writing a segment of its own: analysing and
    # writing postings is most of the work, and a process per core shares it. (Whoosh's
    # default multi-process writer merged the two into one segment at the end, which cost
    # more than the second core gave.) A small archive is quicker in one process.
    ix = open_dir(str(build))
    procs = min(INDEXING_PROCESSES, os.cpu_count() or 1)
    if procs > 1 and testimonies_for_policy().count() >= PARALLEL_FROM:
        writer: SegmentWriter = ParallelWriter(
            ix, procs=procs, limitmb=INDEXING_MEMORY_MB, compound=False
        )
    else:
        writer = open_writer(ix, compound=False)
    with writer:
        for testimony in testimonies_for_policy().iterator(chunk_size=BATCH_SIZE):
            for document in documents_for(testimony, vocabulary):
                writer.add_document(**document)
                count += 1
    previous = swap_in(root, build)
    remove_old_builds(root, [build, *([previous] if previous else [])])
    # Changes committed while the rebuild ran may be missing from it.
    changed = (
        testimonies_for_policy()
        .filter(Q(updated_at__gte=started) | Q(stored_disclosure__computed_at__gte=started))
        .values_list("pk", flat=True)
    )
    index_now(changed)
    return count
