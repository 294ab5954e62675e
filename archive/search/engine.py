"""The whoosh index on disk: opening it, one searcher per process, writers that wait.

Layout: SEARCH_INDEX_DIR/current is a symbolic link to the build in use
(SEARCH_INDEX_DIR/build-<time>); a rebuild writes a new build and swaps the link atomically,
so searches keep working throughout.
"""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from whoosh import index
from whoosh.index import Index, LockError
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from archive.search.schema import build_schema

CURRENT = "current"
LOCK_WAIT_SECONDS = 10.0
WRITE_ATTEMPTS = 3
# A replaced searcher may still be in use by a request in another thread: it is closed only
# once it has been retired this long.
RETIRED_SEARCHER_GRACE_SECONDS = 60.0


class IndexBusyError(Exception):
    """Another writer held the index for longer than we waited."""


def index_root() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def new_build_dir(root: Path) -> Path:
    path = root / f"build-{timezone.now():%Y%m%d-%H%M%S-%f}"
    path.mkdir(parents=True)
    index.create_in(str(path), build_schema())
    return path


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


class SearchIndex:
    """One per index directory and process: caches the open index and a searcher."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._path: Path | None = None
        self._index: Index | None = None
        self._searcher: Searcher | None = None
        self._retired: list[tuple[Searcher, float]] = []
        # Set by purge_documents for the next commit only.
        self.commit_options: dict[str, Any] = {}

    def _open(self) -> Index:
        path = ensure_index(self.root)
        if self._index is None or path != self._path:
            # A rebuild swapped in a new directory: follow it.
            self._retire_searcher()
            self._index, self._path = index.open_dir(str(path)), path
        return self._index

    def _retire_searcher(self) -> None:
        if self._searcher is not None:
            self._retired.append((self._searcher, time.monotonic()))
            self._searcher = None
        now = time.monotonic()
        for searcher, retired_at in list(self._retired):
            if now - retired_at > RETIRED_SEARCHER_GRACE_SECONDS:
                searcher.close()
                self._retired.remove((searcher, retired_at))

    def close(self) -> None:
        """Close every searcher this process opened on the index."""
        with self._lock:
            self._retire_searcher()
            for searcher, _ in self._retired:
                searcher.close()
            self._retired.clear()

    def searcher(self) -> Searcher:
        """A searcher on the latest commit, reused while nothing changed.

        Whoosh's Searcher.refresh() can return an updated document twice, so a stale searcher
        is replaced by a new one instead (checking costs microseconds).
        """
        with self._lock:
            ix = self._open()
            if self._searcher is None or not self._searcher.up_to_date():
                self._retire_searcher()
                self._searcher = _opened_fully(ix.searcher())
            return self._searcher

    @contextmanager
    def writer(self) -> Iterator[SegmentWriter]:
        """A writer, waiting for whoosh's lock and trying again a few times; commits on
        success, cancels on error. Segments are written uncompound, so that opening a new
        searcher costs milliseconds rather than copying the index into memory."""
        with self._lock:
            ix = self._open()
        last_error: Exception | None = None
        for attempt in range(WRITE_ATTEMPTS):
            try:
                writer = ix.writer(timeout=LOCK_WAIT_SECONDS, compound=False)
                break
            except LockError as error:
                last_error = error
                time.sleep(0.1 * (attempt + 1))
        else:
            raise IndexBusyError(
                "The search index stayed locked by another writer."
            ) from last_error
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit(**self.commit_options)
        self.commit_options = {}

    def doc_count(self) -> int:
        return int(self.searcher().doc_count())


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
    return searcher


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


def remove_old_builds(root: Path, keep: list[Path]) -> None:
    """Delete builds other than those in `keep` (the current one and the one it replaced,
    which searchers in other processes may still be reading until they notice the swap)."""
    kept = {path.resolve() for path in keep}
    for path in root.glob("build-*"):
        if path.resolve() not in kept:
            shutil.rmtree(path, ignore_errors=True)
