"""Erasure: nothing finds an erased testimony from the moment withdraw_consent returns, and
after commit its words leave every file under the index root (old builds included), by a
bounded rewrite that is recorded, retried and checked."""

import re
import zlib
from collections.abc import Iterator
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.publishing.consent_changes import withdraw_consent
from archive.search import engine
from archive.search.engine import Build, forget_index, get_index, segments_holding
from archive.search.indexing import (
    check_index,
    index_now,
    purge_problems,
    rebuild_index,
)
from archive.search.models import IndexPurge
from archive.search.query import parse_query
from archive.search.searching import search, suggest
from archive.testimonies.models import Narrator, Testimony
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

# What the erased testimony says, as the index holds it (stems and folded words).
ERASED_WORDS = [b"pomegran", b"marigold", b"nightingal", b"quartermain", b"lantern"]


@pytest.fixture
def search_index(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    monkeypatch.setattr(engine, "SUPERSEDED_BUILD_GRACE_SECONDS", 0.0)
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


def index_bytes(root: Path) -> bytes:
    """Every byte of every file under the index root, and what each zlib stream in them
    holds uncompressed (whoosh compresses posting blocks and may compress stored values)."""
    parts = []
    for path in root.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        parts.append(data)
        for match in re.finditer(rb"\x78[\x01\x5e\x9c\xda]", data):
            try:
                parts.append(zlib.decompressobj().decompress(data[match.start() :]))
            except zlib.error:
                continue
    return b"\n".join(parts)


def erased_words_in(root: Path) -> list[bytes]:
    held = index_bytes(root).lower()
    return [word for word in ERASED_WORDS if word in held]


def found(text: str, audience: Audience = Audience.RESEARCHERS) -> set[int]:
    return set(search(parse_query(text), audience=audience).testimony_ids)


def make_erasable() -> Testimony:
    return make_live_testimony(
        title="Marigold fields",
        summary="A nightingale sang.",
        transcript="Pomegranate lanterns hung in the yard.",
        narrator=make_narrator(
            given_name="Zabel",
            family_name="Hovsepian",
            attribution=Narrator.Attribution.PSEUDONYM,
            pseudonym="Quartermaine",
        ),
    )


def erase(testimony: Testimony) -> None:
    withdraw_consent(
        testimony.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="erase"
    )


def test_it_hides_at_once_and_purges_every_byte_after_commit(
    search_index, django_capture_on_commit_callbacks
):
    kept = [make_live_testimony(transcript=f"Apricots from market {n}.") for n in range(3)]
    erased = make_erasable()
    rebuild_index()  # the erased testimony shares its segment with the others
    assert found("pomegranate") == {erased.pk}
    assert erased_words_in(search_index) == ERASED_WORDS
    with django_capture_on_commit_callbacks() as callbacks:
        erase(erased)
    # Returned, not yet committed: nothing finds it, though its bytes are still there.
    purge = IndexPurge.objects.get()
    assert purge.testimony_ids == [erased.pk] and purge.completed_at is None
    assert erased_words_in(search_index)
    for text in ["pomegranate", "marigold", "nightingale", "Quartermaine", "pomeg*", "lantern~"]:
        assert found(text) == set(), text
    assert suggest(parse_query("pomegranat"), audience=Audience.RESEARCHERS) is None
    assert found("apricots") == {t.pk for t in kept}
    for callback in callbacks:
        callback()
    purge.refresh_from_db()
    assert purge.completed_at is not None and purge.last_error == ""
    assert erased_words_in(search_index) == []
    assert found("apricots") == {t.pk for t in kept}
    assert check_index() == [] and purge_problems() == []


def test_it_leaves_no_byte_in_any_build_old_or_abandoned(
    search_index, django_capture_on_commit_callbacks
):
    erased = make_erasable()
    make_live_testimony(transcript="Walnuts.")
    rebuild_index()
    rebuild_index()
    # A rebuild killed half-way: its build holds the testimony, its lock is gone.
    abandoned = Build(search_index)
    index_now([erased.pk])  # journaled into the abandoned build too
    abandoned.release()
    with django_capture_on_commit_callbacks(execute=True):
        erase(erased)
    assert not abandoned.path.exists()
    assert [p.name for p in search_index.glob("build-*")] == [
        (search_index / engine.CURRENT).resolve().name
    ]
    assert erased_words_in(search_index) == []


def test_it_narrows_what_a_deleted_document_held_out_of_near_spellings(
    search_index, django_capture_on_commit_callbacks
):
    # A search for a name no document holds finds the near spellings; a name that only an
    # erased document held must not stop that (nor be offered) before its purge.
    other = make_live_testimony(
        transcript="Pomegranates.",
        narrator=make_narrator(
            given_name="Ani",
            family_name="Quartermane",
            attribution=Narrator.Attribution.FULL_NAME,
        ),
    )
    erased = make_erasable()
    with django_capture_on_commit_callbacks(execute=False):
        erase(erased)
    assert found("narrator:Quartermaine") == {other.pk}
    assert suggest(parse_query("pomegranat"), audience=Audience.RESEARCHERS) == "pomegranates"


def test_it_rewrites_the_segment_without_holding_the_lock_and_keeps_later_deletions(
    search_index, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(engine, "MAX_SEGMENT_DOCS", 3)
    monkeypatch.setattr("archive.search.indexing.REBUILD_MARGIN", timedelta(0))
    monkeypatch.setattr("archive.search.indexing.PARALLEL_FROM", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    erased = make_erasable()
    neighbours = [make_live_testimony(transcript=f"Quinces number {n}.") for n in range(8)]
    rebuild_index()
    index = get_index()
    with index.searcher() as searcher:
        sizes = {s.segment_id(): s.doc_count_all() for s in searcher.reader().segments()}
    segments_before = set(sizes)
    assert len(segments_before) >= 3
    holding = segments_holding(index, "testimony_id", [str(erased.pk)])
    assert len(holding) == 1
    copy = engine._copy_without_deleted
    withdrawn_meanwhile = neighbours[0]
    # Which documents share a segment depends on how the two indexing processes took their
    # batches: a segment left with no live document is whoosh's to drop at any commit.
    emptied = {
        segment
        for segment in segments_holding(index, "testimony_id", [str(withdrawn_meanwhile.pk)])
        if sizes[segment] == 1
    }

    def copy_while_others_write(*args: Any) -> Any:
        # Another request withdraws a testimony while the copy is written: it must not
        # wait for the purge (which would make it fail here), and its deletion must
        # survive the swap.
        Testimony.objects.filter(pk=withdrawn_meanwhile.pk).update(
            status=Testimony.Status.WITHDRAWN
        )
        index_now([withdrawn_meanwhile.pk])
        return copy(*args)

    monkeypatch.setattr(engine, "_copy_without_deleted", copy_while_others_write)
    monkeypatch.setattr(engine, "LOCK_WAIT_SECONDS", 0.2)
    with django_capture_on_commit_callbacks(execute=True):
        erase(erased)
    assert IndexPurge.objects.get().completed_at is not None
    with index.searcher() as searcher:
        segments_after = {s.segment_id() for s in searcher.reader().segments()}
    # Only the segment that held it was rewritten (and the withdrawal's own commit).
    assert segments_before - segments_after - emptied == set(holding)
    assert found("quinces") == {t.pk for t in neighbours[1:]}
    assert erased_words_in(search_index) == []


def test_it_keeps_a_failed_purge_outstanding_fails_the_check_and_retries_it(
    search_index, monkeypatch, django_capture_on_commit_callbacks
):
    erased = make_erasable()
    make_live_testimony(transcript="Walnuts.")
    monkeypatch.setattr("archive.search.indexing.REBUILD_MARGIN", timedelta(0))
    rebuild_index()  # one segment for both: the purge must rewrite it

    def broken(*args: Any) -> bool:
        # Whoosh's messages quote what it read: the record keeps where, never what.
        raise OSError("disk full near pomegranate")

    monkeypatch.setattr("archive.search.indexing.rewrite_segment", broken)
    with django_capture_on_commit_callbacks(execute=True):
        erase(erased)
    purge = IndexPurge.objects.get()
    assert purge.completed_at is None and purge.attempts == 1
    assert "OSError" in purge.last_error and "in broken" in purge.last_error
    assert "pomegranate" not in purge.last_error
    assert found("pomegranate") == set()
    call_command("check_search_index", stdout=StringIO())  # within its grace
    IndexPurge.objects.update(requested_at=timezone.now() - timedelta(hours=1))
    out = StringIO()
    with pytest.raises(CommandError, match="1 testimony differs"):
        call_command("check_search_index", stdout=out)
    assert "erased, but its purge from the index files" in out.getvalue()
    monkeypatch.undo()
    monkeypatch.setattr(engine, "SUPERSEDED_BUILD_GRACE_SECONDS", 0.0)
    out = StringIO()
    call_command("process_search_queue", stdout=out)
    assert "1 purge(s) done, 0 failed." in out.getvalue()
    assert erased_words_in(search_index) == []
    out = StringIO()
    call_command("check_search_index", stdout=out)
    assert "The search index matches the database." in out.getvalue()


def test_it_reports_an_erased_testimony_still_in_the_index_files(search_index, monkeypatch):
    erased = make_erasable()
    make_live_testimony(transcript="Walnuts.")
    monkeypatch.setattr("archive.search.indexing.REBUILD_MARGIN", timedelta(0))
    rebuild_index()  # in a segment with another
    with get_index().writer() as writer:  # erased by hand, behind the purge's back
        writer.delete_by_term("testimony_id", str(erased.pk))
    Testimony.objects.filter(pk=erased.pk).update(
        erased_at=timezone.now(), status=Testimony.Status.WITHDRAWN, live_revision=None
    )
    problems = purge_problems()
    assert [(p.testimony_id, p.problem) for p in problems] == [
        (erased.pk, "erased, but still in the index files")
    ]
