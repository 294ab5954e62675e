"""rebuild_search_index: what changes while it runs reaches the new build before the swap,
and its indexing processes do not outlive it."""

import gc
import os
import signal
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.publishing import services
from archive.search import engine, indexing
from archive.search.engine import forget_index, get_index
from archive.search.indexing import check_index, rebuild_index
from archive.search.models import IndexPurge
from archive.search.query import parse_query
from archive.search.searching import search
from archive.testimonies.models import Narrator
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def search_index(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    monkeypatch.setattr(engine, "SUPERSEDED_BUILD_GRACE_SECONDS", 0.0, raising=False)
    # Only what the rebuild itself does about changes made while it runs counts here, not
    # the re-indexing of every testimony changed just before it began.
    monkeypatch.setattr(indexing, "REBUILD_MARGIN", timedelta(0), raising=False)
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


def found(text: str, audience: Audience = Audience.PUBLIC) -> set[int]:
    return set(search(parse_query(text), audience=audience).testimony_ids)


def change_while_rebuilding(
    monkeypatch: pytest.MonkeyPatch, testimony_id: int, change: Any
) -> None:
    """Make `change` once the rebuild has read the testimony from the database, before it
    writes its documents (from what it read)."""
    documents_for = indexing.documents_for
    done: list[bool] = []

    def documents_then_change(testimony: Any, vocabulary: Any) -> Any:
        if testimony.pk == testimony_id and not done:
            done.append(True)
            change()
        return documents_for(testimony, vocabulary)

    monkeypatch.setattr(indexing, "documents_for", documents_then_change)


def test_it_keeps_a_pseudonym_taken_during_the_rebuild(search_index, monkeypatch):
    vera = make_live_testimony(
        transcript="Our village emptied in a night.",
        narrator=make_narrator(
            given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
        ),
    )
    others = [make_live_testimony(transcript=f"Orchard {n}.") for n in range(3)]
    assert found("Petrosyan") == {vera.pk}

    def take_pseudonym() -> None:
        narrator = Narrator.objects.get(pk=vera.narrator_id)
        narrator.attribution = Narrator.Attribution.PSEUDONYM
        narrator.pseudonym = "Mariam K."
        narrator.save()

    change_while_rebuilding(monkeypatch, vera.pk, take_pseudonym)
    rebuild_index()
    monkeypatch.undo()
    assert found("Petrosyan") == set()
    assert found("narrator:Petrosyan", Audience.RESEARCHERS) == set()
    # The new pseudonym waits for a second archivist and a new approval: until then the
    # testimony is findable under "Narrator N" only.
    assert found("Mariam") == set()
    assert found(f"narrator:{vera.narrator_id}") == {vera.pk}
    assert found("orchard") == {t.pk for t in others}
    assert check_index() == []


def test_it_keeps_a_withdrawal_made_during_the_rebuild(search_index, monkeypatch):
    testimony = make_live_testimony(transcript="Lanterns on the bridge.")
    moderator = make_user(role=Role.MODERATOR)

    def withdraw() -> None:
        services.withdraw(testimony, actor=moderator, reason="Asked by family.")

    change_while_rebuilding(monkeypatch, testimony.pk, withdraw)
    rebuild_index()
    monkeypatch.undo()
    assert found("lanterns", Audience.RESEARCHERS) == set()
    assert check_index() == []


# Starts a multi-process writer as rebuild_search_index does, prints its indexing processes'
# ids once they have work, and waits (as a long rebuild would) to be killed.
PARENT = """
import os, sys, time
import django
django.setup()
from whoosh import index
from archive.search.engine import ParallelWriter
from archive.search.schema import build_schema
ix = index.create_in(sys.argv[1], build_schema())
writer = ParallelWriter(ix, procs=2, compound=False)
for n in range(250):
    writer.add_document(doc_id=f"{n}:public", testimony_id=str(n), words=f"walnut {n}")
print(" ".join(str(task.pid) for task in writer.tasks), flush=True)
time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            state = stat.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a zombie has ended; nobody may have reaped it yet


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_its_indexing_processes_die_with_it(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "archive.settings"}
    parent = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", PARENT, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    children: list[int] = []
    try:
        assert parent.stdout is not None
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(children) == 2 and all(alive(pid) for pid in children)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.monotonic() + 5
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(alive(pid) for pid in children)
    finally:
        parent.kill()
        parent.wait(timeout=10)
        if parent.stdout is not None:
            parent.stdout.close()
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_it_purges_a_testimony_erased_during_the_rebuild_from_the_new_build(
    search_index, monkeypatch, django_capture_on_commit_callbacks
):
    from tests.search.test_purge import erase, erased_words_in, make_erasable

    erased = make_erasable()
    kept = make_live_testimony(transcript="Apricots.")

    def erase_and_purge() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            erase(erased)

    change_while_rebuilding(monkeypatch, erased.pk, erase_and_purge)
    rebuild_index()
    monkeypatch.undo()
    assert found("pomegranate", Audience.RESEARCHERS) == set()
    assert found("apricots") == {kept.pk}
    assert erased_words_in(search_index) == []
    assert IndexPurge.objects.get().completed_at is not None


def test_it_sends_a_write_that_waited_for_the_old_build_to_the_new_one(search_index, monkeypatch):
    testimony = make_live_testimony(transcript="Lanterns on the bridge.")
    apply_journal = indexing._apply_journal
    writers: list[threading.Thread] = []

    def delete() -> None:
        with get_index().writer() as writer:
            writer.delete_by_term("testimony_id", str(testimony.pk))

    def apply_while_another_writes(build: Any) -> None:
        # Another request's write arrives while the rebuild holds the old build's lock to
        # swap: it waits for the lock, and must then go to the build swapped in.
        writer = threading.Thread(target=delete)
        writer.start()
        writers.append(writer)
        time.sleep(0.5)
        apply_journal(build)

    monkeypatch.setattr(indexing, "_apply_journal", apply_while_another_writes)
    rebuild_index()
    writers[0].join(timeout=60)
    assert found("lanterns") == set()


def test_a_writer_whose_set_up_fails_lets_go_of_its_lock_and_its_file(search_index, monkeypatch):
    """The build deleted under a writer being set up (a rebuild replaced it) fails whoosh's
    set-up half-way: the lock is free for the next writer at once, and the file it had
    begun is closed, not left to the garbage collector."""
    make_live_testimony(transcript="Quinces in the orchard.")
    rebuild_index()
    with get_index()._lock:
        ix = get_index()._open()

    def build_gone(*args: Any) -> Any:
        raise FileNotFoundError("the build was deleted")

    with monkeypatch.context() as patched:
        patched.setattr(type(engine._codec()), "field_writer", build_gone)
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            with pytest.raises(FileNotFoundError):
                engine.open_writer(ix, timeout=0.5)
            gc.collect()
    assert [w for w in warned if issubclass(w.category, ResourceWarning)] == []
    engine.open_writer(ix, timeout=0.1).cancel()
