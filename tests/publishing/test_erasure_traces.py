"""An erasure leaves no words behind in the admin's log, the consent records, the concerns,
the audit log's free text, or an archivist bag exported afterwards."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse

from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.audit.models import ERASED_TEXT, AuditEntry
from archive.consent.models import ConsentRecord
from archive.public.models import Concern
from archive.public.services import submit_concern
from archive.publishing.consent_changes import withdraw_consent
from archive.publishing.services import approve, submit_for_review, withdraw
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony
from tests.conftest import client_for
from tests.factories import (
    make_consent,
    make_live_testimony,
    make_media,
    make_narrator,
    make_testimony,
    make_user,
)
from tests.preservation.conftest import empty_the_archive

pytestmark = pytest.mark.django_db

# Words that exist only in what the erasure must remove.
TITLE = "Hasmik at the Lachin corridor"
NAME = "Ghazaryan"
WORDS = [
    "Lachin corridor",
    NAME,
    "Hasmik",
    "Vardan Interpreter",
    "Ashot Guardian",
    "Field Worker Karine",
    "form-hy-2023-minors",
    "wants her voice gone",
    "+374 91 000000",
    "she told me her surname",
    "Gohar Neighbour",
    "Asked by letter from Yerevan",
]


def admin_request(user: User) -> Any:
    request = RequestFactory().post("/admin/")
    request.user = user
    return request


@pytest.fixture
def erased(archivist: User, superuser: User) -> dict[str, Any]:
    """A pseudonymous minor's testimony with everything that holds words about her: admin
    log entries, a concern, a guard override with a reason, consent details; then erased."""
    narrator = make_narrator(
        given_name="Hasmik",
        family_name=NAME,
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Lilit",
    )
    testimony = make_testimony(
        narrator=narrator,
        title=TITLE,
        transcript=f"My name is Hasmik {NAME}.",
        access_level="public",
    )
    make_media(testimony=testimony)
    record = make_consent(
        narrator=narrator,
        testimonies=[testimony],
        recorded_by=archivist,
        verified_by=make_user(role=Role.ARCHIVIST),
        method="signed_form",
        evidence=ContentFile(b"%PDF-1.4 signed by Hasmik", name="form.pdf"),
        obtained_by="Field Worker Karine",
        form_version="form-hy-2023-minors",
        form_language="hy",
        interpreter="Vardan Interpreter",
        narrator_is_minor=True,
        guardian="Ashot Guardian, her father",
        review_on="2030-01-01",
        allows_archiving=True,
        allows_researcher_access=True,
        allows_public_metadata=True,
        allows_public_transcript=True,
        allows_name_disclosure=True,
    )
    # An earlier, superseded record of hers, covering the same testimony.
    earlier = make_consent(
        narrator=narrator,
        testimonies=[testimony],
        recorded_by=archivist,
        interpreter="Gohar Neighbour",
        evidence=ContentFile(b"%PDF-1.4 first form of Hasmik", name="first.pdf"),
    )
    ConsentRecord.objects.filter(pk=record.pk).update(supersedes=earlier)
    # The real name in the transcript: only an override with a reason publishes it.
    review = submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    approve(review, actor=superuser, override_reason="she told me her surname may stay")
    withdraw(testimony, actor=archivist, reason=f"Hasmik {NAME} wants her voice gone")
    submit_concern(
        testimony=testimony,
        kind="removal",
        message=f"Please remove my testimony, Hasmik {NAME}",
        name=f"Hasmik {NAME}",
        contact="+374 91 000000",
    )
    handled = submit_concern(
        testimony=testimony, kind="correction", message="The Lachin corridor date is wrong"
    )
    Concern.objects.filter(pk=handled.pk).update(
        status="handled", handled_by=archivist, handled_at=record.recorded_at, notes=NAME
    )
    # What the admin writes when staff edit these objects.
    request = admin_request(superuser)
    testimony_admin = admin.site._registry[Testimony]
    testimony_admin.log_addition(request, testimony, [{"added": {}}])
    transcript = testimony.transcripts.get()
    testimony_admin.log_change(
        request,
        testimony,
        [
            {"changed": {"fields": ["Title", "Summary"]}},
            {"added": {"name": "transcript", "object": str(transcript)}},
        ],
    )
    admin.site._registry[Narrator].log_change(request, narrator, "Hasmik asked for a pseudonym")
    identity = NarratorIdentity.objects.get(narrator=narrator)
    admin.site._registry[NarratorIdentity].log_addition(request, identity, [{"added": {}}])
    admin.site._registry[ConsentRecord].log_addition(request, record, [{"added": {}}])
    # A title that also names her, written in the log by an earlier edit.
    LogEntry.objects.filter(content_type__model="testimony", object_id=str(testimony.pk)).update(
        object_repr=f"{testimony.reference} {TITLE} — Hasmik {NAME}"
    )

    record.refresh_from_db()
    withdraw_consent(record, actor=archivist, scope="erase", note="Asked by letter from Yerevan")
    return {
        "testimony": Testimony.objects.get(pk=testimony.pk),
        "record": ConsentRecord.objects.get(pk=record.pk),
        "earlier": ConsentRecord.objects.get(pk=earlier.pk),
        "narrator": narrator,
        "archivist": archivist,
        "superuser": superuser,
    }


def rows_of(model: Any) -> str:
    manager = getattr(model, "_base_manager", model.objects)
    return json.dumps(list(manager.values()), default=str, ensure_ascii=False)


def test_it_leaves_no_name_or_title_in_the_admin_log(erased: dict[str, Any]) -> None:
    log = rows_of(LogEntry)
    for word in WORDS:
        assert word not in log
    reference = erased["testimony"].reference
    entries = LogEntry.objects.filter(
        content_type__model="testimony", object_id=str(erased["testimony"].pk)
    ).order_by("pk")
    # The facts stay: what was done, when, by whom.
    assert [(e.action_flag, e.object_repr, e.user_id) for e in entries] == [
        (1, f"{reference} (erased)", erased["superuser"].pk),
        (2, f"{reference} (erased)", erased["superuser"].pk),
    ]
    assert json.loads(entries[1].change_message) == [
        {"changed": {"fields": ["Title", "Summary"]}},
        {"added": {"name": "transcript", "object": ERASED_TEXT}},
    ]
    narrator_entry = LogEntry.objects.get(object_repr__startswith="narrator #")
    assert narrator_entry.object_repr == f"narrator #{erased['narrator'].pk} (erased)"
    assert narrator_entry.change_message == ""


def test_it_shows_only_the_neutral_label_in_recent_actions(erased: dict[str, Any]) -> None:
    page = client_for(erased["superuser"]).get(reverse("admin:index")).content.decode()
    assert f"{erased['testimony'].reference} (erased)" in page
    for word in ("Lachin", NAME, "Hasmik"):
        assert word not in page


def test_it_keeps_what_accountability_needs_of_the_consent_and_erases_the_rest(
    erased: dict[str, Any], private_storage: Path
) -> None:
    record, earlier = erased["record"], erased["earlier"]
    for erased_record in (record, earlier):
        assert erased_record.obtained_by == ""
        assert erased_record.form_version == ""
        assert erased_record.form_language == ""
        assert erased_record.interpreter == ""
        assert erased_record.withdrawal_note == ""
        assert erased_record.review_on is None
        assert erased_record.evidence.name == ""
    # The fact that a guardian consented for a minor stays; the guardian's name does not.
    assert (record.narrator_is_minor, record.guardian) == (True, ERASED_TEXT)
    assert earlier.guardian == ""
    # That consent existed, what it allowed, and when, how and by whom it was withdrawn.
    assert str(record.given_on) == "2023-09-26"
    assert record.method == "signed_form"
    assert record.allows_public_transcript and not record.allows_public_video
    assert record.recorded_by_id == erased["archivist"].pk
    assert record.verified_by_id is not None and record.verified_at is not None
    assert record.withdrawal_scope == "erase"
    assert record.withdrawn_at is not None
    assert record.withdrawal_recorded_by_id == erased["archivist"].pk
    assert record.supersedes_id == earlier.pk
    assert list(record.testimonies.all()) == [erased["testimony"]]
    assert [path for path in private_storage.rglob("*") if path.is_file()] == []
    consent_rows = rows_of(ConsentRecord)
    for word in WORDS:
        assert word not in consent_rows


def test_it_erases_the_concerns_and_handles_the_open_one(erased: dict[str, Any]) -> None:
    concerns = list(Concern.objects.order_by("pk"))
    assert [(c.message, c.name, c.contact, c.status) for c in concerns] == [
        ("", "", "", "handled"),
        ("", "", "", "handled"),
    ]
    assert concerns[0].handled_by_id == erased["archivist"].pk
    assert all(c.reference == erased["testimony"].reference for c in concerns)
    for word in WORDS:
        assert word not in rows_of(Concern)


def test_it_blanks_free_text_in_the_audit_log_and_says_so(erased: dict[str, Any]) -> None:
    log = rows_of(AuditEntry)
    for word in WORDS:
        assert word not in log
    testimony = erased["testimony"]
    override = AuditEntry.objects.get(action="publishing.pseudonym_guard_override")
    assert override.data["reason"] == ERASED_TEXT
    assert override.data["locations"]  # where the name was, in words of our own
    withdrawal = AuditEntry.objects.get(action="publishing.withdraw", testimony_id=testimony.pk)
    assert withdrawal.data == {"reason": ERASED_TEXT}
    note = AuditEntry.objects.get(action="audit.free_text_erased")
    assert note.actor == erased["archivist"]
    assert note.data["entries"] == sorted([override.pk, withdrawal.pk])


def test_it_keeps_the_audit_log_closed_to_other_changes(erased: dict[str, Any]) -> None:
    from archive.lib.errors import ImmutableError

    with pytest.raises(ImmutableError):
        AuditEntry.objects.filter(testimony_id=erased["testimony"].pk).update(data={})


def test_it_exports_a_bag_without_the_erased_words_that_imports_again(
    erased: dict[str, Any], tmp_path: Path, settings: Any
) -> None:
    reference = erased["testimony"].reference
    call_command(
        "export_bag", "--reference", reference, str(tmp_path / "bags"), stdout=io.StringIO()
    )
    bag = tmp_path / "bags" / reference
    contents = "".join(
        path.read_bytes().decode("utf-8", "replace")
        for path in sorted(bag.rglob("*"))
        if path.is_file()
    )
    for word in WORDS:
        assert word not in contents
    records = json.loads((bag / "data" / "consent" / "records.json").read_text())
    by_number = {record["number"]: record for record in records}
    kept = by_number[erased["record"].pk]
    assert (kept["given_on"], kept["method"], kept["withdrawal_scope"]) == (
        "2023-09-26",
        "signed_form",
        "erase",
    )
    assert kept["withdrawal_recorded_by"] == erased["archivist"].username
    assert kept["guardian"] == ERASED_TEXT and kept["evidence"] is None

    Concern.objects.all().delete()  # not in bags, and they hold on to staff accounts
    empty_the_archive()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "restored", "base_url": None},
        },
    }
    out = io.StringIO()
    call_command("import_bag", str(bag), stdout=out)
    assert "Imported 1 testimony(ies)." in out.getvalue()
    restored = Testimony.objects.get(reference=reference)
    assert restored.erased_at is not None
    assert ConsentRecord.objects.get(pk=erased["record"].pk).withdrawal_scope == "erase"


def test_it_keeps_a_record_that_still_covers_a_kept_testimony_whole(archivist: User) -> None:
    testimony = make_live_testimony()
    narrator = testimony.narrator
    kept = make_testimony(narrator=narrator)
    both = make_consent(
        narrator=narrator, testimonies=[testimony, kept], interpreter="Vardan Interpreter"
    )
    withdraw_consent(
        testimony.consent_records.exclude(pk=both.pk).get(), actor=archivist, scope="erase"
    )
    assert ConsentRecord.objects.get(pk=both.pk).interpreter == "Vardan Interpreter"


def test_it_takes_names_out_of_narrators_entries_written_before(superuser: User) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "archive.consent.migrations.0005_admin_log_without_narrator_names"
    )
    narrator = make_narrator(given_name="Hasmik", family_name=NAME)
    request = admin_request(superuser)
    admin.site._registry[Narrator].log_change(request, narrator, [{"changed": {"fields": []}}])
    LogEntry.objects.update(object_repr=f"Hasmik {NAME} (#{narrator.pk})")
    kept = admin.site._registry[Testimony]
    testimony = make_testimony(narrator=narrator, title="Kept title")
    kept.log_addition(request, testimony, [{"added": {}}])

    migration.neutral_narrator_labels(apps, None)

    assert set(LogEntry.objects.values_list("object_repr", flat=True)) == {
        f"narrator #{narrator.pk}",
        f"{testimony.reference} Kept title",
    }
