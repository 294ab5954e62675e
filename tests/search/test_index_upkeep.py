"""Keeping the index true: after every workflow step, on rebuilds, with two writers, when
whoosh's lock is held, and after an erasure (the words leave the index files)."""

import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.consent.disclosures import testimonies_for_policy
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from archive.search import engine
from archive.search.documents import Vocabulary, documents_for
from archive.search.engine import forget_index, get_index
from archive.search.indexing import check_index, rebuild_index, request_index_update
from archive.search.models import PendingIndexUpdate
from archive.search.query import parse_query
from archive.search.searching import search
from archive.testimonies.models import PlaceName, Testimony
from tests.factories import (
    make_live_testimony,
    make_place,
    make_testimony,
    make_user,
    make_verified_consent,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def search_index(settings: Any, tmp_path: Path) -> Iterator[Path]:
    """These tests change the index: each gets its own."""
    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    yield settings.SEARCH_INDEX_DIR
    forget_index(settings.SEARCH_INDEX_DIR)


def found(word: str, audience: Audience = Audience.PUBLIC) -> set[int]:
    return set(search(parse_query(word), audience=audience).testimony_ids)


def test_it_keeps_the_index_equal_to_the_database_through_the_workflow():
    contributor, moderator = make_user(role=Role.CONTRIBUTOR), make_user(role=Role.MODERATOR)
    testimony = make_testimony(access_level="public", transcript="The orchard by the river.")
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    assert check_index() == []
    review = services.submit_for_review(testimony, actor=contributor)
    assert check_index() == [] and found("orchard") == set()
    services.approve(review, actor=moderator)
    assert check_index() == [] and found("orchard") == {testimony.pk}
    services.withdraw(testimony, actor=moderator, reason="Checking.")
    assert check_index() == [] and found("orchard") == set()
    review = services.republish(testimony, actor=moderator)
    services.approve(review, actor=make_user(role=Role.MODERATOR))
    assert check_index() == [] and found("orchard") == {testimony.pk}
    withdraw_consent(
        testimony.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="unpublish"
    )
    assert check_index() == []
    assert found("orchard") == set()
    assert found("orchard", Audience.RESEARCHERS) == {testimony.pk}


def test_it_removes_a_withdrawn_testimony_before_the_request_returns():
    testimony = make_live_testimony(transcript="Lanterns on the bridge.")
    assert found("lanterns") == {testimony.pk}
    # No commit callbacks run here: the removal cannot be waiting for one.
    services.withdraw(testimony, actor=make_user(role=Role.MODERATOR), reason="Asked by family.")
    assert found("lanterns") == set()


def index_bytes(root: Path) -> bytes:
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


def test_it_purges_erased_words_from_the_index_files(
    search_index, django_capture_on_commit_callbacks
):
    keep = make_live_testimony(transcript="Apricots from the market.")
    erased = make_live_testimony(transcript="Pomegranate lanterns hung in the yard.")
    assert b"pomegranat" in index_bytes(search_index)
    with django_capture_on_commit_callbacks(execute=True):  # the purge runs after commit
        withdraw_consent(
            erased.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="erase"
        )
    assert found("pomegranate") == set()
    assert b"pomegranat" not in index_bytes(search_index)
    assert b"lantern" not in index_bytes(search_index)
    assert found("apricots") == {keep.pk}


def test_it_rebuilds_into_a_new_directory_while_searches_go_on(search_index):
    testimonies = [make_live_testimony(transcript=f"Almond tree number {n}.") for n in range(5)]
    errors: list[BaseException] = []
    counts: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        try:
            while not stop.is_set():
                counts.append(len(found("almond")))
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    searcher_thread = threading.Thread(target=keep_searching)
    searcher_thread.start()
    try:
        before = (search_index / "current").resolve()
        assert rebuild_index() == 5
        after = (search_index / "current").resolve()
    finally:
        stop.set()
        searcher_thread.join(timeout=30)
    assert errors == []
    assert counts and set(counts) == {5}
    assert before != after
    # The replaced build is deleted after the swap (a searcher that opened it keeps its
    # open files; none can open it any more).
    assert not before.exists()
    assert [path.name for path in search_index.glob("build-*")] == [after.name]
    assert found("almond") == {t.pk for t in testimonies}


def test_it_lets_two_writers_take_turns():
    first = make_live_testimony(transcript="Walnut")
    second = make_live_testimony(transcript="Chestnut")
    vocabulary = Vocabulary.load()
    documents = {
        t.pk: documents_for(testimonies_for_policy().get(pk=t.pk), vocabulary)
        for t in (first, second)
    }
    errors: list[BaseException] = []

    def write(testimony_id: int) -> None:
        # Each thread rewrites its testimony's documents, as two processes would.
        try:
            for _ in range(5):
                with get_index().writer() as writer:
                    writer.delete_by_term("testimony_id", str(testimony_id))
                    for document in documents[testimony_id]:
                        writer.add_document(**document)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=write, args=(t.pk,)) for t in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert found("walnut") == {first.pk}
    assert found("chestnut") == {second.pk}
    assert check_index() == []


def test_it_keeps_a_failed_update_queued_and_retries_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    testimony = make_live_testimony(transcript="Quinces in the cellar.")
    Testimony.objects.filter(pk=testimony.pk).update(title="Quinces")  # not yet indexed
    monkeypatch.setattr(engine, "LOCK_WAIT_SECONDS", 0.05)
    holder = get_index()._open().writer()  # another process holding whoosh's lock
    try:
        with django_capture_on_commit_callbacks(execute=True):
            request_index_update([testimony.pk])
    finally:
        holder.cancel()
    pending = PendingIndexUpdate.objects.get(testimony_id=testimony.pk)
    assert pending.attempts == 1
    assert "IndexBusyError" in pending.last_error
    out = StringIO()
    call_command("process_search_queue", stdout=out)
    assert out.getvalue() == "1 update(s) applied, 0 failed.\n"
    assert not PendingIndexUpdate.objects.exists()


def test_it_lists_what_differs_and_fails_until_rebuilt():
    testimony = make_live_testimony(transcript="Figs.")
    with get_index().writer() as writer:
        writer.delete_by_term("testimony_id", str(testimony.pk))
    out = StringIO()
    with pytest.raises(CommandError, match="1 testimony differs from the index"):
        call_command("check_search_index", stdout=out)
    assert f"{testimony.reference}: documents none" in out.getvalue()
    call_command("rebuild_search_index", stdout=StringIO())
    out = StringIO()
    call_command("check_search_index", stdout=out)
    assert "The search index matches the database." in out.getvalue()


def test_it_follows_a_renamed_place(django_capture_on_commit_callbacks):
    goris = make_place(name="Goris")
    testimony = make_live_testimony(transcript="We reached the town at dawn.", places=[goris])
    assert found("Kiurus") == set()
    with django_capture_on_commit_callbacks(execute=True):
        PlaceName.objects.create(place=goris, language="la", name="Kiurus")
    assert found("Kiurus") == {testimony.pk}


def test_it_rebuilds_a_large_archive_in_two_processes_to_the_same_index(search_index, monkeypatch):
    testimonies = [
        make_live_testimony(transcript=f"Walnut grove {n}. Деревня {n}.") for n in range(6)
    ]
    monkeypatch.setattr("archive.search.indexing.PARALLEL_FROM", 0)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    assert rebuild_index() == 6
    assert check_index() == []
    ids = {t.pk for t in testimonies}
    assert found("walnut") == ids
    assert found("Деревня") == ids
    assert found("derevnya") == ids
