"""Keeping the index equal to what the policy allows: updates, removals, rebuilds, checks.

Updates are queued in the database (PendingIndexUpdate) and run after commit as a task;
anything that narrows what may be seen (withdrawal, erasure, a consent change) rewrites the
documents synchronously, before the request returns.
"""

import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from whoosh.index import open_dir
from whoosh.writing import SegmentWriter

from archive.consent.disclosures import testimonies_for_policy
from archive.search import engine
from archive.search.documents import Vocabulary, documents_for
from archive.search.engine import (
    Build,
    ParallelWriter,
    SearchIndex,
    describe_failure,
    get_index,
    journal_write,
    open_writer,
    remove_superseded_builds,
    rewrite_segment,
    segments_holding,
    swap_in,
)
from archive.search.models import IndexPurge, PendingIndexUpdate
from archive.testimonies.models import Testimony

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
        written = []
        for testimony in testimonies:
            for document in documents_for(testimony, vocabulary):
                writer.add_document(**document)
                written.append(document)
        # A rebuild under way started from a snapshot older than this: it applies these
        # same documents to its build before swapping it in. (Under the lock, so that it
        # reads them all, in order, before it swaps.)
        journal_write(index.root, [str(i) for i in testimony_ids], written)


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
            failure = describe_failure(error)
            logger.error("Search index update of %s testimonies failed: %s", len(batch), failure)
            PendingIndexUpdate.objects.filter(testimony_id__in=batch).update(
                attempts=F("attempts") + 1, last_error=failure[:2000]
            )
            failed += len(batch)
        else:
            PendingIndexUpdate.objects.filter(testimony_id__in=batch).delete()
            done += len(batch)
    return done, failed


def request_purge(testimony_ids: Iterable[int]) -> IndexPurge:
    """Record, in the erasure's transaction, that these testimonies' words must leave the
    index files, and purge them after commit. (The caller has already deleted their
    documents from the index: nothing finds them from then on.)"""
    purge = IndexPurge.objects.create(testimony_ids=sorted(set(testimony_ids)))
    from archive.search.tasks import purge_index_files

    transaction.on_commit(lambda: purge_index_files.enqueue(purge.pk))
    return purge


def purge_documents(testimony_ids: Iterable[int]) -> None:
    """Remove these testimonies' documents and every byte of them from the index folder:
    delete the builds no longer in use, and rewrite the segments of the build in use that
    hold them, one at a time (each a bounded piece of work, engine.MAX_SEGMENT_DOCS
    documents at most, written without the index lock). Raises if some remain."""
    index = get_index()
    texts = [str(i) for i in sorted(set(testimony_ids))]
    with _purging(index.root):
        with index.writer() as writer:
            for text in texts:
                writer.delete_by_term("testimony_id", text)
        # A build being written (a rebuild under way) is left to its rebuild, which runs
        # the purges requested meanwhile once it has swapped it in.
        remove_superseded_builds(index.root)
        for _round in range(PURGE_ROUNDS):
            holding = segments_holding(index, "testimony_id", texts)
            if not holding:
                return
            for segment_id in holding:
                rewrite_segment(index, segment_id)
    raise RuntimeError(f"Segments still hold testimonies {texts} after {PURGE_ROUNDS} rounds.")


# Rewrites go round again when another writer merged or a rebuild swapped meanwhile.
PURGE_ROUNDS = 3
# check_search_index fails when a purge is still outstanding this long after it was asked.
PURGE_GRACE = timedelta(minutes=10)


@contextmanager
def _purging(root: Path) -> Iterator[None]:
    """One purge at a time per index (two would rewrite the same segments)."""
    root.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(root / ".purging", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def run_purge(purge_id: int) -> bool:
    """Carry out a requested purge and record its completion (or its failure, to be
    retried by process_search_queue); True once completed."""
    purge = IndexPurge.objects.filter(pk=purge_id, completed_at__isnull=True).first()
    if purge is None:
        return True
    try:
        purge_documents(purge.testimony_ids)
        # A purge may name testimonies that stay (an erased narrator's other testimonies,
        # rewritten without their name): what the policy still allows goes back in.
        index_now(purge.testimony_ids)
    except Exception as error:
        failure = describe_failure(error)
        logger.error("Search index purge %s failed: %s", purge_id, failure)
        IndexPurge.objects.filter(pk=purge_id).update(
            attempts=F("attempts") + 1, last_error=failure[:2000]
        )
        return False
    IndexPurge.objects.filter(pk=purge_id, requested_at=purge.requested_at).update(
        completed_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def process_purges() -> tuple[int, int]:
    """Run every outstanding purge; returns (done, failed)."""
    done = failed = 0
    outstanding = IndexPurge.objects.filter(completed_at__isnull=True).values_list("pk", flat=True)
    for purge_id in list(outstanding):
        if run_purge(purge_id):
            done += 1
        else:
            failed += 1
    return done, failed


def purge_problems(now: datetime | None = None) -> list["Difference"]:
    """Erased testimonies whose words may still be in the index files: a purge outstanding
    past its grace, or a segment that still holds them (checked, not assumed)."""
    now = now or timezone.now()
    problems: list[Difference] = []
    late = IndexPurge.objects.filter(completed_at__isnull=True, requested_at__lt=now - PURGE_GRACE)
    for purge in late:
        error = f": {purge.last_error}" if purge.last_error else ""
        problem = (
            f"erased, but its purge from the index files, asked at "
            f"{purge.requested_at:%Y-%m-%d %H:%M}, is not done ({purge.attempts} attempt(s)){error}"
        )
        problems.extend(
            Difference(testimony_id, "", problem) for testimony_id in purge.testimony_ids
        )
    outstanding = {
        testimony_id
        for ids in IndexPurge.objects.filter(completed_at__isnull=True).values_list(
            "testimony_ids", flat=True
        )
        for testimony_id in ids
    }
    erased = Testimony.objects.filter(erased_at__isnull=False).values_list("pk", "reference")
    with get_index().searcher() as searcher:
        reader = searcher.reader()
        for testimony_id, reference in erased:
            if testimony_id not in outstanding and reader.doc_frequency(
                "testimony_id", str(testimony_id)
            ):
                problems.append(
                    Difference(testimony_id, reference, "erased, but still in the index files")
                )
    return problems


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
    """Index every testimony into a new build and swap it in atomically. Searches go on
    against the old build until the swap.

    Every index write made meanwhile (a narrator who takes a pseudonym, a withdrawal) is
    journaled into the new build and applied to it under the old build's write lock, just
    before the swap: nothing narrowed during the rebuild comes back with it."""
    index = get_index()
    root = index.root
    started = timezone.now()
    build = Build(root)
    try:
        count = _index_everything(build.path)
        with index.locked():
            _apply_journal(build)
            swap_in(root, build.path)
            build.finish()
    finally:
        build.release()
        if (root / engine.CURRENT).resolve() != build.path:
            shutil.rmtree(build.path, ignore_errors=True)  # failed before its swap
    # Searchers in other processes that resolved `current` a moment ago may still be
    # opening the replaced build.
    time.sleep(engine.SUPERSEDED_BUILD_GRACE_SECONDS)
    remove_superseded_builds(root)
    # A change committed by a transaction that wrote the index before the rebuild began
    # (and so was not journaled) but committed after its snapshot.
    margin = started - REBUILD_MARGIN
    changed = (
        testimonies_for_policy()
        .filter(Q(updated_at__gte=margin) | Q(stored_disclosure__computed_at__gte=margin))
        .values_list("pk", flat=True)
    )
    index_now(changed)
    # Erasures during the rebuild were applied to the new build as deletions: their words
    # must leave its files too.
    IndexPurge.objects.filter(requested_at__gte=margin).update(completed_at=None)
    process_purges()
    return count


REBUILD_MARGIN = timedelta(minutes=5)


def _index_everything(build: Path) -> int:
    vocabulary = Vocabulary.load()
    count = 0
    # Two processes for a large archive, each writing segments of its own: analysing and
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
    return count


def _apply_journal(build: Build) -> None:
    """Bring the build up to date with the index writes journaled while it was written."""
    latest = build.journaled_documents()
    if not latest:
        return
    writer = open_writer(open_dir(str(build.path)), compound=False)
    try:
        for testimony_id, documents in latest.items():
            writer.delete_by_term("testimony_id", testimony_id)
            for document in documents:
                writer.add_document(**document)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=engine.merge_small_segments)
