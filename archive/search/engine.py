"""The whoosh index on disk: opening it, one searcher per process, writers that wait.

Layout: SEARCH_INDEX_DIR/current is a symbolic link to the build in use
(SEARCH_INDEX_DIR/build-<time>); a rebuild writes a new build and swaps the link atomically,
so searches keep working throughout.
"""

import contextlib
import ctypes
import fcntl
import json
import os
import queue
import shutil
import signal
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from whoosh import index
from whoosh.codec.base import PerDocumentReader
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, W3PerDocReader, _lenfield
from whoosh.columns import NumericColumn
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import BufferFile
from whoosh.index import TOC, EmptyIndexError, FileIndex, Index, LockError
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter, fib

from archive.search.postings import (
    ARRAYS_EXTENSION,
    MemoryPostingPool,
    PostingArrays,
    PostingArraysWriter,
    field_postings,
    write_postings,
)
from archive.search.schema import build_schema

CURRENT = "current"
LOCK_WAIT_SECONDS = 10.0
WRITE_ATTEMPTS = 3
# What a posting held in memory costs, measured while indexing generated testimonies.
BYTES_PER_POSTING = 90


class IndexBusyError(Exception):
    """Another writer held the index for longer than we waited."""


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


# A segment never grows past this many documents (a rebuild ends its segments there, and
# merges stop there), so that purging an erased document rewrites a bounded segment.
MAX_SEGMENT_DOCS = 10_000
# In a build being written: a file its rebuild holds locked (a build whose file is no
# longer locked was abandoned: its rebuild died), and the journal of every index write made
# meanwhile, which the rebuild applies before swapping the build in.
BUILDING_MARKER = "rebuilding"
JOURNAL = "rebuild-journal.jsonl"
# Another process may have resolved `current` to the build a rebuild just replaced and be
# about to open it: the replaced build is deleted only after this pause.
SUPERSEDED_BUILD_GRACE_SECONDS = 2.0


def new_build_dir(root: Path) -> Path:
    path = root / f"build-{timezone.now():%Y%m%d-%H%M%S-%f}"
    path.mkdir(parents=True)
    index.create_in(str(path), build_schema())
    return path


class Build:
    """A build being written by a rebuild in this process. Until it is swapped in (or
    abandoned), every index write is also journaled into it (`journal_write`), so that what
    changed during the rebuild reaches it; its marker stays locked while this process
    lives, so that a build left by a killed rebuild is known and removed."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        name = f"build-{timezone.now():%Y%m%d-%H%M%S-%f}"
        # Made under a hidden name and renamed once its marker is locked: a build is never
        # seen without its lock by remove_superseded_builds in another process.
        hidden = root / f".{name}-{uuid.uuid4().hex}"
        hidden.mkdir()
        self._marker = os.open(hidden / BUILDING_MARKER, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(self._marker, fcntl.LOCK_EX)
        (hidden / JOURNAL).touch()
        index.create_in(str(hidden), build_schema())
        self.path = root / name
        os.rename(hidden, self.path)

    def journaled_documents(self) -> dict[str, list[dict[str, Any]]]:
        """Testimony id → its documents as last written to the index during the build."""
        latest: dict[str, list[dict[str, Any]]] = {}
        with open(self.path / JOURNAL, encoding="utf-8") as journal:
            for line in journal:
                if not line.endswith("\n"):
                    continue  # a write cut short by a crash; it failed, and was not applied
                entry = json.loads(line)
                for testimony_id in entry["ids"]:
                    latest[testimony_id] = []
                for document in entry["documents"]:
                    latest[document["testimony_id"]].append(document)
        return latest

    def finish(self) -> None:
        """Stop journaling into the build and let go of its lock."""
        for name in (JOURNAL, BUILDING_MARKER):
            (self.path / name).unlink(missing_ok=True)
        self.release()

    def release(self) -> None:
        if self._marker >= 0:
            os.close(self._marker)
            self._marker = -1


def journal_write(root: Path, testimony_ids: list[str], documents: list[dict[str, Any]]) -> None:
    """Record an index write in the journal of every build being written (called while the
    writer holds the current index's lock, so journal order is write order)."""
    journals = list(root.glob(f"build-*/{JOURNAL}"))
    if not journals:
        return
    line = json.dumps({"ids": testimony_ids, "documents": documents}, ensure_ascii=False) + "\n"
    data = line.encode()
    for path in journals:
        try:
            # (Never created here: a journal that went away belongs to a finished build.)
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND)
        except FileNotFoundError:
            continue
        try:
            os.write(descriptor, data)
        finally:
            os.close(descriptor)


def _being_built(path: Path) -> bool:
    """Whether a live rebuild still holds this build's marker."""
    try:
        descriptor = os.open(path / BUILDING_MARKER, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


# Leftovers of a build or a segment rewrite killed half-way are removed after this long.
LEFTOVER_SECONDS = 3600


def remove_superseded_builds(root: Path) -> list[Path]:
    """Delete every build but the one in use and those still being written (their rebuild
    alive), and leftovers of killed rebuilds and rewrites; returns what was deleted.

    A searcher in another process that opened a deleted build keeps reading it until it
    notices the swap (on Linux an open file stays readable after it is unlinked), but no
    name under the index root reaches those bytes any more, and they are freed when the
    last such searcher closes."""
    link = root / CURRENT
    current = link.resolve() if link.exists() else None
    removed = []
    for path in sorted(root.glob("build-*")):
        if path.resolve() == current or _being_built(path):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    leftovers = [*root.glob(".build-*"), *(current.glob(".rewrite-*") if current else [])]
    for path in leftovers:
        try:
            stale = time.time() - path.stat().st_mtime > LEFTOVER_SECONDS
        except FileNotFoundError:
            continue
        if stale and not _being_built(path):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def swap_in(root: Path, build: Path) -> Path | None:
    """Point `current` at `build` atomically; return the build it replaced."""
    link = root / CURRENT
    previous = link.resolve() if link.is_symlink() else None
    staging = root / f".{CURRENT}-{os.getpid()}-{threading.get_ident()}"
    staging.unlink(missing_ok=True)
    staging.symlink_to(build.name)
    os.replace(staging, link)
    return previous


def ensure_index(root: Path) -> Path:
    """The directory of the index in use, created empty on first use."""
    link = root / CURRENT
    if not link.exists():
        root.mkdir(parents=True, exist_ok=True)
        swap_in(root, new_build_dir(root))
    return link.resolve()


class _SegmentLengths:
    """The field lengths of a segment being written, each field's read once. Whoosh asks
    for a document's field length once per posting while writing the postings, and reads it
    from disk each time: a tenth of the time bulk indexing took."""

    def __init__(self, reader: PerDocumentReader) -> None:
        self._reader = reader
        self._lengths: dict[str, list[int]] = {}

    def of_field(self, fieldname: str) -> list[int]:
        lengths = self._lengths.get(fieldname)
        if lengths is None:
            read = self._reader.doc_field_length
            lengths = [read(n, fieldname, 0) for n in range(self._reader.doc_count_all())]
            self._lengths[fieldname] = lengths
        return lengths


class Writer(SegmentWriter):
    """Whoosh's segment writer, writing the same files faster, and the posting arrays
    searches read beside them (archive/search/postings.py). Postings are kept in memory
    rather than in sorted runs on disk: a bulk writer ends a segment at `pool_full()`."""

    def __init__(self, ix: Index, limitmb: int = 128, **options: Any) -> None:
        try:
            super().__init__(ix, limitmb=limitmb, **options)
        except BaseException:
            self._abandon_set_up()
            raise
        self.pool = MemoryPostingPool(self.schema)
        self._posting_limit = limitmb * 2**20 // BYTES_PER_POSTING

    def _abandon_set_up(self) -> None:
        """Whoosh's set-up failed half-way (the build was deleted under it: a rebuild replaced
        it): close the file it had begun and let go of the lock it held, rather than leave
        them to the garbage collector."""
        columns = getattr(getattr(self, "perdocwriter", None), "_cols", None)
        if (temp := getattr(columns, "_temp", None)) is not None:
            temp.close()
        lock = getattr(self, "writelock", None)
        if lock is not None and getattr(lock, "fd", None) is not None:  # acquired
            with contextlib.suppress(OSError):
                lock.release()

    def pool_full(self) -> bool:
        """Whether the postings held reach the memory limit the writer was given."""
        return self.pool.postings >= self._posting_limit

    def add_document(self, **fields: Any) -> None:
        schema = self.schema
        if any(name.startswith("_") for name in fields) or any(
            schema[name].vector or schema[name].separate_spelling()
            for name in fields
            if name in schema
        ):
            # Boosts, alternative stored values, vectors: whoosh's own way.
            super().add_document(**fields)
            return
        self._check_state()
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        docnum = self.docnum
        perdocwriter = self.perdocwriter
        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    postings = field_postings(field, value)
                    if field.scorable:
                        length = sum(postings.frequencies)
                    self.pool.add_document_field(fieldname, docnum, postings)
                perdocwriter.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    perdocwriter.add_column_value(
                        fieldname, field.column_type, field.to_column_value(value)
                    )
        except Exception:
            perdocwriter.cancel_doc()
            raise
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = _SegmentLengths(reader).of_field if reader is not None else None
        arrays = PostingArraysWriter(self.newsegment.create_file(self.storage, ARRAYS_EXTENSION))
        write_postings(self.fieldwriter, self.schema, lengths, self.pool, arrays)
        arrays.close()
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def open_writer(ix: Index, **options: Any) -> Writer:
    return Writer(ix, codec=_codec(), **options)


def merge_small_segments(writer: SegmentWriter, segments: list[Any]) -> list[Any]:
    """Whoosh's MERGE_SMALL (merge the smallest segments once there are enough of them),
    never making a segment of more than MAX_SEGMENT_DOCS: whoosh's own policy merges every
    segment into one once there are some twenty, and the purge of an erased document
    rewrites the whole segment that held it."""
    # A segment whose documents are all deleted is dropped (whoosh then deletes its files).
    segments = [segment for segment in segments if segment.doc_count()]
    by_size = sorted(segments, key=lambda segment: segment.doc_count_all())
    total = 0
    chosen: list[Any] = []
    for number, segment in enumerate(by_size):
        total += segment.doc_count_all()
        if total > MAX_SEGMENT_DOCS:
            break
        if number > 3 and total < fib(number + 5):
            chosen = by_size[: number + 1]
            break
    if len(chosen) < 2:
        return segments
    for segment in chosen:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    merged = {segment.segment_id() for segment in chosen}
    return [segment for segment in segments if segment.segment_id() not in merged]


def _codec() -> W3Codec:
    # Posting blocks compressed at zlib's fastest level: its default level took a tenth of
    # indexing; none made the index files twice as large.
    return W3Codec(compression=1)


class _SubWriterTask(SubWriterTask):
    """Whoosh's indexing subprocess, with our writer. Its postings are held in memory, so
    it ends a segment and begins another whenever they reach the writer's memory limit;
    it hands back every segment it wrote."""

    parent_pid = 0

    def run(self) -> None:
        _die_with_parent(self.parent_pid)
        ix = self.storage.open_index(self.indexname)
        self.writer = Writer(ix, _lk=False, **self.kwargs)
        segments = []
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            if self.writer._added and self.writer.docnum + job[1] > MAX_SEGMENT_DOCS:
                segments.append(self.writer._finalize_segment())
                self.writer = Writer(ix, _lk=False, **self.kwargs)
            self._process_file(*job)
            if self.writer.pool_full():
                segments.append(self.writer._finalize_segment())
                self.writer = Writer(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        if self.writer._added:
            segments.append(self.writer._finalize_segment())
        else:
            # Nothing since the last segment, or no batch at all (the other processes took
            # them): no empty segment, which every search would open. (Not cancel(): that
            # removes the temporary directory the other processes share.)
            self.writer._close_segment()
        self.resultqueue.put(segments, timeout=5)


PARALLEL_BATCH_SIZE = 100
PR_SET_PDEATHSIG = 1
PARENT_WATCH_SECONDS = 1.0


def _die_with_parent(parent_pid: int) -> None:
    """End this indexing process when the process that started it ends, even by kill -9:
    otherwise it waits for work forever, holding gigabytes. Linux signals it (prctl); a
    thread watching the parent's id covers other systems."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: the watch below does it

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_WATCH_SECONDS)
        os._exit(1)

    # (The parent may have died before prctl took effect: the watch sees that at once.)
    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


class ParallelWriter(MpWriter):
    """Whoosh's multi-process writer, each process writing segments of its own (merging
    them into one would rewrite every posting again)."""

    def __init__(self, ix: Index, procs: int, **options: Any) -> None:
        # (Documents go to the processes in batches: a segment ends between two.)
        batchsize = min(PARALLEL_BATCH_SIZE, MAX_SEGMENT_DOCS)
        super().__init__(
            ix, procs=procs, batchsize=batchsize, multisegment=True, codec=_codec(), **options
        )

    def _new_task(self) -> _SubWriterTask:
        task = _SubWriterTask(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, True
        )
        task.parent_pid = os.getpid()
        self.tasks.append(task)
        task.start()
        return task

    def _commit(self, mergetype: Any, optimize: Any, merge: Any) -> None:
        # Whoosh's multi-segment commit, taking a list of segments from each process.
        if self.docbuffer:
            self._enqueue()
        for _task in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        results: list[list[Any]] = []
        while len(results) < len(self.tasks):
            try:
                results.append(self.resultqueue.get(timeout=1))
            except queue.Empty:
                if not any(task.is_alive() for task in self.tasks):
                    raise RuntimeError("An indexing process ended without its segments.") from None
        for task in self.tasks:
            task.join()
        for segments in results:
            finalsegments += segments
        if self._added:
            finalsegments.append(self._finalize_segment())
        else:
            self._close_segment()
        self._commit_toc(finalsegments)
        self._finish()


class SearchUnavailable(Exception):  # noqa: N818 (what a reader is told, not a bug name)
    """The index could not be read; logged where it happened. Pages and the API answer
    503 without any detail: a whoosh error's message and variables hold raw index bytes."""


def describe_failure(error: BaseException) -> str:
    """An index error for a log or a stored record: its type and where it was raised, never
    its message. Whoosh's messages quote what it read (a KeyError names a term, a decoding
    error the bytes), which may be an erased testimony's words or a restricted title."""
    places = [
        f"{frame.filename}:{frame.lineno} in {frame.name}"
        for frame in traceback.extract_tb(error.__traceback__)
    ]
    return f"{type(error).__name__} (message withheld) at " + " <- ".join(reversed(places))


# How many searches a process runs at once, each with a searcher of its own (whoosh's
# readers share file positions between calls and cannot serve two threads); a further
# search waits for one to finish. Each searcher holds a few files open per segment: this
# also bounds the file descriptors searching holds (under systemd's 1,024 by default).
MAX_SEARCHERS = 4
SEARCHER_WAIT_SECONDS = 30.0


@dataclass(frozen=True)
class _Copy:
    """An open searcher, the index directory it reads, and the close() it predates."""

    searcher: Searcher
    path: Path
    generation: int


class SearchIndex:
    """One per index directory and process: caches the open index and a few searchers.

    A searcher is lent to one search at a time (`with search_index.searcher() as s:`).
    Returned, it waits for the next search while it still reads the latest commit; one
    that a commit or a rebuild made stale is closed as soon as no search uses it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._index: Index | None = None
        # Searchers of the latest commit that no search uses, and how many are lent.
        self._idle: list[_Copy] = []
        self._lent = 0
        self._generation = 0
        self._slots = threading.BoundedSemaphore(MAX_SEARCHERS)
        self._holding = threading.local()

    def _open(self) -> Index:
        path = ensure_index(self.root)
        if self._index is None or path != self._path:
            # A rebuild swapped in a new directory: follow it.
            self._index, self._path = FileIndex(_Storage(str(path))), path
        return self._index

    def close(self) -> None:
        """Close every searcher this process opened on the index: idle ones now, lent
        ones when their search returns them."""
        with self._lock:
            self._generation += 1
            idle, self._idle = self._idle, []
        for copy in idle:
            _close(copy.searcher)

    def open_searchers(self) -> int:
        """How many searchers are open, lent or idle."""
        with self._lock:
            return len(self._idle) + self._lent

    @contextmanager
    def searcher(self) -> Iterator[Searcher]:
        """A searcher on the latest commit, for this thread alone until the block ends.

        Whoosh's Searcher.refresh() can return an updated document twice, so a stale
        searcher is replaced by a new one instead (checking costs microseconds). A thread
        already holding one (a search inside a search) gets a second without waiting."""
        depth = getattr(self._holding, "depth", 0)
        if not depth and not self._slots.acquire(timeout=SEARCHER_WAIT_SECONDS):
            raise SearchUnavailable("Every searcher stayed busy.")
        self._holding.depth = depth + 1
        try:
            copy = self._check_out()
            try:
                yield copy.searcher
            finally:
                self._check_in(copy)
        finally:
            self._holding.depth = depth
            if not depth:
                self._slots.release()

    def _check_out(self) -> _Copy:
        stale: list[_Copy] = []
        try:
            with self._lock:
                ix = self._open()
                path, generation = ensure_index(self.root), self._generation
                while self._idle:
                    copy = self._idle.pop()
                    if copy.path == path and copy.searcher.up_to_date():
                        self._lent += 1
                        return copy
                    stale.append(copy)
                self._lent += 1
        finally:
            for copy in stale:
                _close(copy.searcher)
        try:
            # Opened outside the lock: other searches go on meanwhile.
            return _Copy(_open_searcher(ix), path, generation)
        except BaseException:
            with self._lock:
                self._lent -= 1
            raise

    def _check_in(self, copy: _Copy) -> None:
        with self._lock:
            self._lent -= 1
            keep = (
                copy.generation == self._generation
                and copy.path == ensure_index(self.root)
                and copy.searcher.up_to_date()
                and len(self._idle) < MAX_SEARCHERS
            )
            if keep:
                self._idle.append(copy)
        if not keep:
            _close(copy.searcher)

    @contextmanager
    def writer(
        self, mergetype: Callable[[SegmentWriter, list[Any]], list[Any]] | None = None
    ) -> Iterator[Writer]:
        """A writer, waiting for whoosh's lock and trying again a few times; commits on
        success (merging segments by `mergetype`, merge_small_segments unless given),
        cancels on error. Segments are written uncompound, so that opening a new
        searcher costs milliseconds rather than copying the index into memory."""
        writer = self._locked_writer()
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(mergetype=mergetype or merge_small_segments)

    @contextmanager
    def locked(self) -> Iterator[Path]:
        """Hold the write lock of the build in use (whose directory this gives) without
        writing to it: what a rebuild does while it swaps in a new build."""
        writer = self._locked_writer()
        try:
            yield Path(writer.storage.folder)
        finally:
            writer.cancel()

    def _locked_writer(self) -> Writer:
        last_error: Exception | None = None
        attempt = 0
        while attempt < WRITE_ATTEMPTS:
            with self._lock:
                ix = self._open()
                path = self._path
            try:
                writer = open_writer(ix, timeout=LOCK_WAIT_SECONDS, compound=False)
            except LockError as error:
                last_error = error
                attempt += 1
                time.sleep(0.1 * attempt)
                continue
            except (OSError, EmptyIndexError):
                # The build was deleted after a rebuild replaced it: follow `current`.
                if ensure_index(self.root) == path:
                    raise
                continue
            if ensure_index(self.root) == path:
                return writer
            # A rebuild swapped in a new build while this waited for the old one's lock:
            # what is written now must go to the new one, or it would be lost.
            writer.cancel()
        raise IndexBusyError("The search index stayed locked by another writer.") from last_error

    def doc_count(self) -> int:
        with self.searcher() as searcher:
            return int(searcher.doc_count())


OPEN_ATTEMPTS = 5
_opening = threading.local()


class _Storage(FileStorage):
    """Whoosh's file storage, telling which files a thread opens while it opens a
    searcher: whoosh leaves those it opened to the garbage collector when opening fails
    halfway (file descriptors held until it runs)."""

    def open_file(self, name: str, **kwargs: Any) -> Any:
        opened = super().open_file(name, **kwargs)
        files = getattr(_opening, "files", None)
        if files is not None:
            files.append(opened)
        return opened


def _open_searcher(ix: Index) -> Searcher:
    """A searcher on the latest commit, its files all open. A commit that merges segments
    deletes their files: one that lands while a searcher opens them makes the opening fail
    (whoosh then finds no file where the commit it read had one); it is tried again on
    the new commit, after closing what the failed attempt opened."""
    for attempt in range(OPEN_ATTEMPTS):
        generation = ix.latest_generation()
        _opening.files = []
        try:
            # What ix.searcher() does, without whoosh's own retrying, which drops the
            # files a failed attempt opened without closing them.
            toc = ix._read_toc()
            reader = ix._reader(ix.storage, toc.schema, toc.segments, toc.generation)
            return _opened_fully(Searcher(reader, fromindex=ix))
        except Exception:
            for opened in _opening.files:
                if not opened.is_closed:
                    opened.close()
            if attempt == OPEN_ATTEMPTS - 1 or ix.latest_generation() == generation:
                raise
        finally:
            _opening.files = None
    raise AssertionError("unreachable")


def _close(searcher: Searcher) -> None:
    """Close a searcher's files now, its mapped posting arrays included (whoosh's objects
    refer to each other: left to the garbage collector, their files stay open a while)."""
    for subsearcher, _offset in searcher.leaf_searchers():
        subsearcher.posting_arrays = None
    searcher.close()


def _opened_fully(searcher: Searcher) -> Searcher:
    """Open every file the searcher will read now. Whoosh opens some lazily (stored fields,
    sort columns, field lengths), and a merge or a rebuild may delete a file before a request
    still using this searcher reads it; an open file stays readable after deletion."""
    schema = searcher.schema
    scored = [name for name in schema.names() if schema[name].scorable]
    sortable = [name for name in schema.names() if schema[name].column_type]
    for reader, _offset in searcher.reader().leaf_readers():
        if not reader.doc_count_all():
            continue
        reader.stored_fields(0)
        for name in scored:
            reader.doc_field_length(0, name)
        for name in sortable:
            reader.column_reader(name)
    for subsearcher, _offset in searcher.leaf_searchers():
        _field_lengths_in_memory(subsearcher, scored)
        # For reading whole posting lists at once (archive/search/evaluation.py).
        reader = subsearcher.reader()
        subsearcher.posting_arrays = (
            PostingArrays.of_segment(reader.storage(), reader.segment())
            if reader.doc_count_all()
            else None
        )
    return searcher


def _column_in_memory(perdoc: W3PerDocReader, columnname: str, column: Any) -> None:
    """Read a small column file (a byte per document) into memory and close it. A
    searcher holds every file it reads open, per segment: the field lengths were nine of
    its fourteen file descriptors per segment (against systemd's limit of 1,024)."""
    opened = perdoc._colfiles.get(columnname)
    if opened is None:
        return
    colfile, offset, length = opened
    data = BufferFile(bytes(colfile.get(offset, length)))
    perdoc._colfiles[columnname] = (data, 0, length)
    perdoc._readers[columnname] = column.reader(data, 0, length, perdoc._doccount)
    colfile.close()


# Field lengths are stored as one byte per document, a logarithmic approximation.
_LENGTH_OF_BYTE = [byte_to_length(value) for value in range(256)]


def _field_lengths_in_memory(searcher: Searcher, fieldnames: list[str]) -> None:
    """Answer a segment's field lengths from memory.

    Scoring asks for the length of every field a term matched in, for every matching
    document; whoosh reads each from its file (a seek and a read, a tenth of a search's
    time). A segment's lengths are a byte per document and field: read once here, per
    searcher (a few hundred kilobytes for 100,000 documents)."""
    reader = searcher.reader()
    perdoc = getattr(reader, "_perdoc", None)
    size = reader.doc_count_all()
    if not isinstance(perdoc, W3PerDocReader) or not size:
        return
    lengths: dict[str, bytes] = {}
    for name in fieldnames:
        column = perdoc._cached_reader(_lenfield(name), LENGTHS_COLUMN)
        if column is None:
            lengths[name] = bytes(size)
            continue
        if not isinstance(column, NumericColumn.Reader) or column._fixedlen != 1:
            return  # not the layout this reads: leave whoosh's own reading in place
        stored = bytes(column._dbfile.get(column._basepos, column._count))
        lengths[name] = stored + bytes(max(0, size - len(stored)))
        _column_in_memory(perdoc, _lenfield(name), LENGTHS_COLUMN)
    read_from_file = reader.doc_field_length
    length_of = _LENGTH_OF_BYTE

    def doc_field_length(docnum: int, fieldname: str, default: int = 0) -> int:
        stored = lengths.get(fieldname)
        if stored is None:
            return int(read_from_file(docnum, fieldname, default))
        value = stored[docnum]
        return length_of[value] if value else default

    # The searcher copied the reader's method when it was made: replace both.
    reader.doc_field_length = doc_field_length
    searcher.doc_field_length = doc_field_length
    # For scoring whole posting lists at once (archive/search/evaluation.py).
    searcher.field_length_bytes = lengths


_indexes: dict[Path, SearchIndex] = {}
_indexes_lock = threading.Lock()


def get_index() -> SearchIndex:
    """The index for the current settings (tests give each test its own directory)."""
    root = index_root()
    with _indexes_lock:
        if root not in _indexes:
            _indexes[root] = SearchIndex(root)
        return _indexes[root]


def forget_index(root: Path) -> None:
    """Close and drop the cached index of `root` (tests give each test its own)."""
    with _indexes_lock:
        search_index = _indexes.pop(root, None)
    if search_index is not None:
        search_index.close()


def segments_holding(search_index: SearchIndex, field: str, texts: list[str]) -> list[str]:
    """The ids of the segments of the build in use that hold any of these terms, in live
    documents or in deleted ones (a deletion only marks a document)."""
    with search_index._lock:
        ix = search_index._open()
    holding = []
    for segment in ix._segments():
        if not segment.doc_count_all():
            continue
        reader = SegmentReader(ix.storage, ix.schema, segment)
        try:
            if any(reader.doc_frequency(field, text) for text in texts):
                holding.append(segment.segment_id())
        finally:
            reader.close()
    return holding


def rewrite_segment(search_index: SearchIndex, segment_id: str) -> bool:
    """Write the segment anew without its deleted documents, so that their words leave the
    index files; False if the segment is no longer in the build in use (merged, rewritten,
    or a rebuild swapped in another build).

    The copy is written beside the index, without its lock: searches and other writers go
    on meanwhile. The lock is taken only to swap the copy in, after marking deleted in it
    what was deleted from the segment meanwhile, so a purge never keeps a withdrawal
    waiting for longer than a commit."""
    with search_index._lock:
        ix = search_index._open()
        path = search_index._path
    if path is None:
        return False
    segment = next((s for s in ix._segments() if s.segment_id() == segment_id), None)
    if segment is None:
        return False
    deleted_before = set(segment.deleted_docs())
    survivors = [n for n in range(segment.doc_count_all()) if n not in deleted_before]
    renumbered = {old: new for new, old in enumerate(survivors)}
    # A hidden folder: whoosh's clean-up of the index folder skips names starting with ".".
    scratch = path / f".rewrite-{segment_id}-{uuid.uuid4().hex}"
    try:
        replacement = _copy_without_deleted(ix, segment, scratch) if survivors else None
        # The segment list the writer commits (whoosh then deletes the files of the segment
        # it no longer lists).
        kept: list[Any] = []
        with search_index.writer(mergetype=lambda writer, segments: kept) as writer:
            if Path(writer.storage.folder) != path:
                raise _Abandoned
            current = next((s for s in writer.segments if s.segment_id() == segment_id), None)
            if current is None:
                raise _Abandoned
            kept.extend(s for s in writer.segments if s.segment_id() != segment_id)
            if replacement is not None:
                for docnum in set(current.deleted_docs()) - deleted_before:
                    replacement.delete_document(renumbered[docnum])
                prefix = f"{replacement.segment_id()}."
                for file in scratch.iterdir():
                    if file.name.startswith(prefix):
                        os.replace(file, path / file.name)
                kept.append(replacement)
    except _Abandoned:
        return False
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return True


class _Abandoned(Exception):
    pass


def _copy_without_deleted(ix: Index, segment: Any, scratch: Path) -> Any:
    """A new segment holding the segment's live documents, in order, written in `scratch`."""
    scratch.mkdir()
    copy = index.create_in(str(scratch), ix.schema, indexname=ix.indexname)
    writer = open_writer(copy, compound=False)
    reader = SegmentReader(ix.storage, ix.schema, segment)
    try:
        writer.add_reader(reader)
    except BaseException:
        writer.cancel()
        raise
    finally:
        reader.close()
    writer.commit(mergetype=lambda writer, segments: segments)
    [written] = TOC.read(copy.storage, ix.indexname).segments
    return written
