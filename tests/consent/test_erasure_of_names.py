"""Erasing a narrator (a withdrawal with scope "erase") erases their names from what the
archive keeps of their other testimonies too: the name frozen in every revision, the texts,
the reviews' comments, the audit log's free text, and an archivist bag exported afterwards."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.publishing.consent_changes import withdraw_consent
from archive.publishing.models import Revision
from archive.publishing.services import approve, republish, submit_for_review, withdraw
from archive.testimonies.models import Narrator, Testimony
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

NAMES = ["Melkumyan", "Sona"]


def every_row() -> str:
    """Every value of every row of every table the project's models and Django's keep."""
    rows = []
    for model in apps.get_models(include_auto_created=True):
        for row in model._default_manager.all().values_list():
            rows.append(repr(row))
    return "\n".join(rows)


@pytest.fixture
def sona(archivist: Any, superuser: Any) -> dict[str, Any]:
    """One narrator, shown by her full name, with two published testimonies, each under its
    own consent record; the second's working copy was edited and approved again, with
    review comments and a withdrawal's reason that quote her."""
    narrator = make_narrator(
        given_name="Sona", family_name="Melkumyan", attribution=Narrator.Attribution.FULL_NAME
    )
    first = make_live_testimony(narrator=narrator, title="The first winter")
    other = make_live_testimony(
        narrator=narrator,
        title="The orchard",
        summary="Sona Melkumyan, a nurse from Shushi, on the orchard.",
        transcript="I am Sona Melkumyan. The orchard was my father's.",
    )
    Testimony.objects.filter(pk=other.pk).update(
        title="The orchard of Sona Melkumyan", status=Testimony.Status.DRAFT
    )
    review = submit_for_review(
        other, actor=make_user(role=Role.CONTRIBUTOR), comment="Sona Melkumyan's title"
    )
    approve(review, actor=make_user(role=Role.MODERATOR), comment="Fine for Sona")
    withdraw(other, actor=archivist, reason="Sona Melkumyan asked us to check a date")
    again = republish(other, actor=archivist)
    approve(again, actor=make_user(role=Role.MODERATOR))
    assert Revision.objects.filter(testimony=other).count() == 3
    assert "Melkumyan" in every_row()
    withdraw_consent(first.consent_records.get(), actor=archivist, scope="erase")
    return {"narrator": narrator, "first": first, "other": other}


def test_it_leaves_no_byte_of_the_name_in_any_table(sona: dict[str, Any]) -> None:
    rows = every_row()
    for name in NAMES:
        assert name not in rows
    for revision in Revision.objects.filter(testimony=sona["other"]):
        assert revision.content["narrator"] == {
            "id": sona["narrator"].pk,
            "attribution": "anonymous",
            "name": f"Narrator {sona['narrator'].pk}",
        }


def test_it_logs_which_revisions_it_changed_without_the_name(sona: dict[str, Any]) -> None:
    entry = AuditEntry.objects.get(action="consent.erase_narrator_names", testimony=sona["other"])
    assert entry.data["revisions"] == [1, 2, 3]
    assert len(entry.data["audit_entries"]) == 1
    for name in NAMES:
        assert name not in str(entry.data)


def test_it_takes_the_other_testimony_offline_when_its_text_named_her(
    sona: dict[str, Any],
) -> None:
    other = Testimony.objects.get(pk=sona["other"].pk)
    assert other.status == Testimony.Status.WITHDRAWN and other.live_revision is None
    assert other.erased_at is None  # kept: its own consent still stands


def test_it_exports_a_bag_of_the_other_testimony_without_the_name(
    sona: dict[str, Any], tmp_path: Path
) -> None:
    reference = sona["other"].reference
    call_command(
        "export_bag", "--reference", reference, str(tmp_path / "bags"), stdout=io.StringIO()
    )
    bag = tmp_path / "bags" / reference
    contents = "".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in sorted(bag.rglob("*"))
        if path.is_file()
    )
    assert "The orchard" in contents
    for name in NAMES:
        assert name not in contents


def test_it_keeps_online_another_testimony_whose_text_never_named_her(archivist: Any) -> None:
    narrator = make_narrator(
        given_name="Sona", family_name="Melkumyan", attribution=Narrator.Attribution.FULL_NAME
    )
    first = make_live_testimony(narrator=narrator, title="The first winter")
    other = make_live_testimony(narrator=narrator, title="The orchard")
    withdraw_consent(first.consent_records.get(), actor=archivist, scope="erase")
    other.refresh_from_db()
    assert other.status == Testimony.Status.PUBLISHED
    assert other.live_revision is not None
    assert other.live_revision.content["narrator"]["attribution"] == "anonymous"
    assert "Melkumyan" not in every_row()


def test_it_purges_her_name_from_the_index_and_keeps_the_other_testimony_findable(
    settings: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    archivist: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from archive.search import engine
    from archive.search.engine import forget_index
    from archive.search.indexing import rebuild_index
    from tests.search.test_purge import found, index_bytes

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    monkeypatch.setattr(engine, "SUPERSEDED_BUILD_GRACE_SECONDS", 0.0)
    try:
        narrator = make_narrator(
            given_name="Sona", family_name="Melkumyan", attribution=Narrator.Attribution.FULL_NAME
        )
        other = make_live_testimony(narrator=narrator, title="Apricot orchard")
        rebuild_index()
        # Indexed apart: the purge of the erased testimony alone would not reach the
        # segment that holds the other's old document.
        first = make_live_testimony(narrator=narrator, title="The first winter")
        assert found("melkumyan") == {first.pk, other.pk}
        with django_capture_on_commit_callbacks(execute=True):
            withdraw_consent(first.consent_records.get(), actor=archivist, scope="erase")
        assert found("melkumyan") == set()
        assert found("apricot") == {other.pk}
        assert b"melkumyan" not in index_bytes(settings.SEARCH_INDEX_DIR).lower()
    finally:
        forget_index(settings.SEARCH_INDEX_DIR)
