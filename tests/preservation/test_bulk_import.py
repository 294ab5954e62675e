"""Bulk import of testimonies: reading the file, checking every row, importing all or nothing,
and the admin's upload -> preview -> confirm pages."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.consent.models import StoredDisclosure
from archive.lib.errors import WorkflowError
from archive.preservation import tabular
from archive.preservation.importing import (
    StaleImportError,
    confirm_import,
    import_testimonies,
    stage_import,
)
from archive.preservation.models import PendingImport
from archive.preservation.tabular import COLUMN_NAMES, ImportFileError, parse_upload
from archive.testimonies.models import (
    AccessLevel,
    Narrator,
    PlaceName,
    ReferenceSequence,
    SubjectLabel,
    Testimony,
)
from tests.conftest import client_for
from tests.factories import (
    make_collection,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
)

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:testimonies_testimony_import")
TEMPLATE = reverse("admin:testimonies_testimony_import_template")
CHANGELIST = reverse("admin:testimonies_testimony_changelist")


def csv_bytes(rows: list[dict[str, str]], *, bom: bool = False) -> bytes:
    names = list(dict.fromkeys(name for row in rows for name in row))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names)
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


@pytest.fixture
def vocabulary() -> dict[str, object]:
    stepanakert = make_place(name="Stepanakert", kind="city")
    PlaceName.objects.create(place=stepanakert, name="Степанакерт", language="ru")
    shushi = make_place(name="Shushi", kind="city")
    displacement = make_subject(label="Displacement")
    SubjectLabel.objects.create(subject=displacement, name="Տեղահանություն", language="hy")
    childhood = make_subject(label="Childhood")
    collection = make_collection(title="Karabakh Oral History", slug="karabakh")
    return {
        "stepanakert": stepanakert,
        "shushi": shushi,
        "displacement": displacement,
        "childhood": childhood,
        "collection": collection,
    }


def good_rows() -> list[dict[str, str]]:
    return [
        {
            "title": "Leaving Shushi",
            "summary": "A family's flight in May 1992.",
            "narrator_attribution": "pseudonym",
            "narrator_pseudonym": "Anahit",
            "narrator_birth_year": "1931",
            "recorded_on": "1994-05",
            "recording_place": "степанакерт",
            "places": "Shushi; Stepanakert",
            "subjects": "Տեղահանություն;Childhood",
            "collection": "Karabakh Oral History",
            "access_level": "researchers",
            "external_id": "OLD-1",
            "transcript_language": "hy",
            "transcript_text": "Մենք հեռացանք գիշերով։\n\nԵրկրորդ պարբերություն։",
        },
        {
            "title": "The school in Stepanakert",
            "narrator_attribution": "pseudonym",
            "narrator_pseudonym": "Anahit",
            "narrator_birth_year": "1931",
            "recorded_on": "1995",
            "collection": "karabakh",
        },
        {
            "title": "A winter in the cellar",
            "narrator_attribution": "anonymous",
            "recorded_on": "1993-02-14",
            "transcript_language": "RU",
            "transcript_text": "Мы жили в подвале.",
        },
    ]


def check(rows: list[dict[str, str]], actor, *, dry_run: bool = True):
    return import_testimonies(
        parse_upload("file.csv", csv_bytes(rows)), actor=actor, dry_run=dry_run
    )


def errors_of(report) -> dict[int, list[str]]:
    return {row.number: [str(error) for error in row.errors] for row in report.rows if row.errors}


# The service


def test_it_previews_a_good_file_without_writing_anything(contributor, vocabulary):
    report = check(good_rows(), contributor)

    assert report.ok
    assert [row.number for row in report.rows] == [2, 3, 4]
    assert report.created == []
    assert Testimony.objects.count() == 0
    assert Narrator.objects.count() == 0
    assert not ReferenceSequence.objects.exists()


def test_it_imports_a_good_file_as_drafts_with_everything_resolved(contributor, vocabulary):
    report = check(good_rows(), contributor, dry_run=False)

    assert len(report.created) == 3
    first, second, third = (Testimony.objects.get(pk=t.pk) for t in report.created)
    assert {t.status for t in (first, second, third)} == {Testimony.Status.DRAFT}
    assert all(t.live_revision_id is None and t.published_at is None for t in report.created)
    assert first.reference == "TA-1994-0001"
    assert second.reference == "TA-1995-0001"
    assert third.reference == "TA-1993-0001"
    assert first.created_by == contributor
    assert (first.recorded_on, first.recorded_precision) == (date(1994, 5, 1), "month")
    assert (second.recorded_on, second.recorded_precision) == (date(1995, 1, 1), "year")
    assert (third.recorded_on, third.recorded_precision) == (date(1993, 2, 14), "day")
    assert first.recording_place == vocabulary["stepanakert"]
    assert set(first.places.all()) == {vocabulary["shushi"], vocabulary["stepanakert"]}
    assert set(first.subjects.all()) == {vocabulary["displacement"], vocabulary["childhood"]}
    assert first.collection == second.collection == vocabulary["collection"]
    assert first.access_level == AccessLevel.RESEARCHERS
    assert third.access_level == AccessLevel.STAFF
    assert first.external_id == "OLD-1"
    original = first.transcripts.get()
    assert original.is_original and original.language == "hy"
    assert original.paragraphs == ["Մենք հեռացանք գիշերով։", "Երկրորդ պարբերություն։"]
    assert third.transcripts.get().language == "ru"
    assert not second.transcripts.exists()
    # The same pseudonym and birth year: one new narrator for both rows.
    assert first.narrator == second.narrator
    assert first.narrator.pseudonym == "Anahit" and first.narrator.birth_year == 1931
    assert third.narrator.attribution == Narrator.Attribution.ANONYMOUS
    assert Narrator.objects.count() == 2


def test_it_audits_each_imported_testimony_with_its_batch_and_row(contributor, vocabulary):
    report = check(good_rows(), contributor, dry_run=False)

    entries = AuditEntry.objects.filter(action="testimonies.create").order_by("pk")
    assert [entry.testimony_id for entry in entries] == [t.pk for t in report.created]
    assert [entry.data["row"] for entry in entries] == [2, 3, 4]
    assert len({entry.data["import"] for entry in entries}) == 1
    assert {entry.actor for entry in entries} == {contributor}


def test_it_keeps_imported_drafts_away_from_outsiders(contributor, vocabulary):
    report = check(good_rows(), contributor, dry_run=False)

    for testimony in report.created:
        stored = StoredDisclosure.objects.get(testimony=testimony)
        assert stored.metadata == Audience.STAFF
    assert not Testimony.objects.visible_to(None).exists()


def test_it_imports_nothing_when_one_row_is_bad_and_says_which_and_why(contributor, vocabulary):
    rows = good_rows()
    rows[1]["places"] = "Shushi; Atlantis"

    report = check(rows, contributor, dry_run=False)

    assert report.created == []
    assert errors_of(report) == {3: ["places: not found: “Atlantis”."]}
    assert Testimony.objects.count() == 0
    assert Narrator.objects.count() == 0
    assert not AuditEntry.objects.exists()
    assert not ReferenceSequence.objects.exists()


def test_it_reports_every_problem_of_every_row(contributor, vocabulary):
    rows = [
        {"title": "", "narrator_attribution": "pseudonym", "recorded_on": "12/05/1994"},
        {"title": "Named", "narrator_attribution": "full_name", "access_level": "everyone"},
        {"title": "Ghost", "narrator": "999", "transcript_language": "hy"},
        {
            "title": "Odd years",
            "narrator_attribution": "anonymous",
            "period_start_year": "1995",
            "period_end_year": "1990",
            "narrator_birth_year": "1700",
            "transcript_language": "not a tag!",
            "transcript_text": "Text.",
        },
    ]

    errors = errors_of(check(rows, contributor))

    assert set(errors) == {2, 3, 4, 5}
    assert (
        "recorded_on: “12/05/1994” is not a date; write 1994, 1994-05 or 1994-05-12." in (errors[2])
    )
    assert any(error.startswith("title:") for error in errors[2])
    assert any(error.startswith("narrator_pseudonym:") for error in errors[2])
    assert any(error.startswith("narrator_attribution:") for error in errors[3])
    assert any(error.startswith("access_level:") for error in errors[3])
    assert "narrator: no narrator has the number “999”." in errors[4]
    assert any(error.startswith("transcript_text:") for error in errors[4])
    assert any("first year must not be after its last year" in error for error in errors[5])
    assert any(error.startswith("narrator_birth_year:") for error in errors[5])
    assert any(error.startswith("transcript_language:") for error in errors[5])


def test_it_uses_an_existing_narrator_by_number(contributor):
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Vardan")
    rows = [
        {"title": "One", "narrator": str(narrator.pk)},
        {"title": "Two", "narrator": f"#{narrator.pk}"},
        {"title": "Three", "narrator": f"Narrator {narrator.pk}", "narrator_pseudonym": "X"},
    ]

    report = check(rows, contributor)

    assert errors_of(report) == {
        4: [
            "narrator: give either an existing narrator or the columns of a new one, not both "
            "(narrator_pseudonym)."
        ]
    }
    assert report.rows[0].narrator == report.rows[1].narrator == narrator


def test_it_asks_for_a_number_when_a_name_is_ambiguous(contributor):
    first = make_place(name="Martuni", kind="city")
    region = make_place(name="Martuni district", kind="district")
    second = make_place(name="Martuni", parent=region, kind="village")
    rows = [{"title": "T", "narrator_attribution": "anonymous", "places": "Martuni"}]

    report = check(rows, contributor)

    [message] = errors_of(report)[2]
    assert f"#{first.pk} Martuni" in message and f"#{second.pk} Martuni (Martuni district)" in (
        message
    )
    rows[0]["places"] = f"#{second.pk}"
    report = check(rows, contributor)
    assert report.ok and report.rows[0].places == [second]


def test_it_refuses_duplicate_rows_and_identifiers(contributor):
    make_testimony(external_id="TAKEN")
    rows = [
        {"title": "A", "narrator_attribution": "anonymous", "external_id": "NEW"},
        {"title": "B", "narrator_attribution": "anonymous", "external_id": "NEW"},
        {"title": "A", "narrator_attribution": "anonymous", "external_id": "NEW"},
        {"title": "C", "narrator_attribution": "anonymous", "external_id": "TAKEN"},
    ]

    errors = errors_of(check(rows, contributor))

    assert errors[3] == ["external_id: row 2 has the same identifier."]
    assert "the same as row 2." in errors[4]
    assert any("already has this external identifier" in error for error in errors[5])


def test_it_stores_formula_like_cells_as_plain_text(contributor):
    formula = '=HYPERLINK("http://evil","x")'
    rows = [{"title": formula, "summary": "@SUM(A1)", "narrator_attribution": "anonymous"}]

    [testimony] = check(rows, contributor, dry_run=False).created

    testimony.refresh_from_db()
    assert testimony.title == formula
    assert testimony.summary == "@SUM(A1)"


def test_it_reads_json_with_lists_and_numbers(contributor, vocabulary):
    data = [
        {
            "title": "From JSON",
            "narrator_attribution": "anonymous",
            "recorded_on": 1994,
            "period_start_year": 1988,
            "places": ["Shushi", "Степанакерт"],
            "subjects": [],
            "summary": None,
        }
    ]

    rows = parse_upload("file.json", json.dumps(data).encode())
    [testimony] = import_testimonies(rows, actor=contributor, dry_run=False).created

    assert testimony.recorded_on == date(1994, 1, 1)
    assert testimony.period_start_year == 1988
    assert set(testimony.places.all()) == {vocabulary["shushi"], vocabulary["stepanakert"]}


def test_it_reads_csv_with_a_byte_order_mark(contributor):
    rows = parse_upload("file.csv", csv_bytes(good_rows()[2:], bom=True))

    assert rows[0].values["title"] == "A winter in the cellar"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("file.csv", "title,narrator\nÉté,1\n".encode("latin-1"), "is not UTF-8 text"),
        ("file.csv", b"title,colour\nA,red\n", "Unknown columns: colour."),
        ("file.csv", b"summary\nA\n", "Required columns are missing: title."),
        ("file.csv", b"title,title\nA,B\n", "Columns given twice: title."),
        ("file.csv", b"title\n", "The file holds no testimonies."),
        ("file.csv", b"", "The file is empty."),
        ("file.csv", b'title\n"unterminated\n', "not valid CSV"),
        ("file.csv", b"title\nA,B\n", "Row 2 has 2 cells but the header has 1."),
        ("file.json", b'{"title": "A"}', "a list of objects"),
        ("file.json", b"[{", "not valid JSON"),
        ("file.json", b"[" * 100_000 + b"]" * 100_000, "it is nested more than 64 levels"),
        ("file.json", b'[{"title": ' + b"9" * 5000 + b"}]", "it holds a number of 5000"),
        ("file.json", b'[{"title": 1e999}]', "a number too large to keep"),
        ("file.json", b'[{"title": "\\ud800"}]', "a lone surrogate"),
        ("file.csv", b"title\n" + b"x" * (5 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_it_refuses_a_file_it_cannot_read_with_a_clear_message(name, content, expected):
    with pytest.raises(ImportFileError) as caught:
        parse_upload(name, content)

    assert expected in " ".join(caught.value.messages)


def test_it_refuses_a_file_with_too_many_rows(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    content = b"title\n" + b"A\n" * 4

    with pytest.raises(ImportFileError) as caught:
        parse_upload("file.csv", content)

    assert "more than 3 testimonies" in caught.value.messages[0]


def test_it_lets_only_those_who_may_add_testimonies_import(researcher):
    rows = parse_upload("file.csv", csv_bytes(good_rows()[2:]))

    with pytest.raises(WorkflowError):
        import_testimonies(rows, actor=researcher, dry_run=True)


# The admin pages


def upload(client, content: bytes, name: str = "testimonies.csv"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_the_list_offers_import_to_those_who_may_add(contributor):
    response = client_for(contributor).get(CHANGELIST)

    assert f'href="{IMPORT}"' in response.content.decode()


def test_the_import_page_documents_every_column_and_links_the_template(contributor):
    response = client_for(contributor).get(IMPORT)

    page = response.content.decode()
    assert response.status_code == 200
    assert TEMPLATE in page
    for name in COLUMN_NAMES:
        assert f"<code>{name}</code>" in page


def test_the_template_downloads_with_every_column_and_an_example_that_passes(contributor):
    response = client_for(contributor).get(TEMPLATE)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = parse_upload("template.csv", response.content)
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == ",".join(f'"{name}"' for name in COLUMN_NAMES)
    assert import_testimonies(rows, actor=contributor, dry_run=True).ok


def test_a_contributor_previews_then_confirms_an_import(contributor, vocabulary):
    client = client_for(contributor)

    preview = upload(client, csv_bytes(good_rows()))

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Leaving Shushi" in page and "A winter in the cellar" in page
    assert 'name="confirm"' in page
    assert Testimony.objects.count() == 0
    token = preview.context["token"]

    confirmed = client.post(IMPORT, {"confirm": "1", "token": token}, follow=True)

    assert Testimony.objects.filter(status=Testimony.Status.DRAFT).count() == 3
    assert "3 testimonies were imported as drafts" in confirmed.content.decode()
    # The same confirmation cannot import the file twice.
    client.post(IMPORT, {"confirm": "1", "token": token})
    assert Testimony.objects.count() == 3


def test_a_file_with_one_bad_row_shows_the_error_and_cannot_be_confirmed(contributor, vocabulary):
    client = client_for(contributor)
    rows = good_rows()
    rows[2]["recording_place"] = "Atlantis"

    preview = upload(client, csv_bytes(rows))

    page = preview.content.decode()
    assert "recording_place: not found: “Atlantis”." in page
    assert "1 row has errors" in page
    assert 'name="confirm"' not in page
    assert preview.context["token"] == ""
    client.post(IMPORT, {"confirm": "1", "token": ""})
    assert Testimony.objects.count() == 0


def test_an_unreadable_file_is_reported_on_the_form(contributor):
    response = upload(client_for(contributor), b"title,colour\nA,red\n")

    assert response.status_code == 200
    assert "Unknown columns: colour." in response.content.decode()


def test_confirming_checks_the_file_again(contributor, vocabulary):
    client = client_for(contributor)
    preview = upload(client, csv_bytes(good_rows()))
    # Meanwhile someone else catalogues a testimony under the same identifier.
    make_testimony(external_id="OLD-1")

    response = client.post(IMPORT, {"confirm": "1", "token": preview.context["token"]})

    assert response.status_code == 200
    assert "already has this external identifier" in response.content.decode()
    assert Testimony.objects.count() == 1


def test_a_stale_preview_cannot_be_confirmed(contributor, vocabulary):
    client = client_for(contributor)
    first = upload(client, csv_bytes(good_rows()[:1]))
    upload(client, csv_bytes(good_rows()[1:]))

    response = client.post(IMPORT, {"confirm": "1", "token": first.context["token"]})

    assert response.status_code == 302
    assert Testimony.objects.count() == 0


def test_staff_who_may_not_add_testimonies_cannot_import(db):
    viewer = make_user(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_testimony", content_type__app_label="testimonies")
    )
    client = client_for(viewer)

    assert client.get(IMPORT).status_code == 403
    assert client.get(TEMPLATE).status_code == 403
    assert upload(client, csv_bytes(good_rows()[2:])).status_code == 403
    assert f'href="{IMPORT}"' not in client.get(CHANGELIST).content.decode()
    assert Testimony.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "it is nested more than 64 levels deep"),
        (b'[{"title": "A", "narrator": ' + b"9" * 5000 + b"}]", "it holds a number of 5000"),
    ],
)
def test_the_import_page_refuses_hostile_json_with_a_message_and_writes_nothing(
    contributor, content, expected
):
    before = AuditEntry.objects.count()

    response = upload(client_for(contributor), content, name="testimonies.json")

    assert response.status_code == 200
    assert expected in response.content.decode()
    assert Testimony.objects.count() == 0
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("narrator", ["#" + "9" * 5000, "#" + "9" * 25, "narrator ²"])
def test_it_reports_a_narrator_number_past_any_row_as_unknown(contributor, narrator):
    rows = parse_upload("file.csv", csv_bytes([{"title": "A", "narrator": narrator}]))

    report = import_testimonies(rows, actor=contributor, dry_run=True)

    assert not report.ok
    assert [error.column for error in report.rows[0].errors] == ["narrator"]


# Between preview and confirmation


def staged(rows: list[dict[str, str]], actor):
    return stage_import(SimpleUploadedFile("file.csv", csv_bytes(rows)), actor=actor)


def test_a_previewed_file_waits_on_the_server_and_is_imported_once(contributor, vocabulary):
    token = staged(good_rows(), contributor).token

    assert PendingImport.objects.get().owner == contributor
    report = confirm_import(token, actor=contributor)

    assert len(report.created) == 3
    assert not PendingImport.objects.exists()
    with pytest.raises(StaleImportError):
        confirm_import(token, actor=contributor)
    assert Testimony.objects.count() == 3


def test_a_file_that_does_not_pass_is_not_kept(contributor, vocabulary):
    rows = good_rows()
    rows[2]["recording_place"] = "Atlantis"

    assert staged(rows, contributor).token == ""
    assert not PendingImport.objects.exists()


def test_only_whoever_previewed_a_file_may_confirm_it(contributor, vocabulary):
    token = staged(good_rows(), contributor).token
    other = make_user(role=Role.CONTRIBUTOR)

    with pytest.raises(StaleImportError):
        confirm_import(token, actor=other)

    assert Testimony.objects.count() == 0
    assert len(confirm_import(token, actor=contributor).created) == 3


def test_a_preview_expires_and_expired_ones_are_cleared(contributor, vocabulary):
    token = staged(good_rows(), contributor).token
    PendingImport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(StaleImportError, match="no longer current"):
        confirm_import(token, actor=contributor)
    staged(good_rows(), make_user(role=Role.CONTRIBUTOR))

    assert Testimony.objects.count() == 0
    assert not PendingImport.objects.filter(owner=contributor).exists()


def test_an_abandoned_preview_is_cleared_by_the_command_once_it_expires(contributor, vocabulary):
    staged(good_rows(), contributor)
    kept = make_user(role=Role.CONTRIBUTOR)
    staged(good_rows(), kept)
    PendingImport.objects.filter(owner=contributor).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    out = io.StringIO()

    call_command("clear_pending_imports", stdout=out)

    assert "Cleared 1 expired preview" in out.getvalue()
    assert list(PendingImport.objects.values_list("owner", flat=True)) == [kept.pk]


@pytest.mark.parametrize(
    "second",
    [
        pytest.param({"file": b"{not json", "name": "p.json"}, id="an unreadable file"),
        pytest.param(None, id="no file at all"),
    ],
)
def test_sending_another_file_ends_the_earlier_preview(contributor, vocabulary, second):
    """Whatever comes of the second upload, the first preview (another tab) cannot be
    confirmed, and its file does not stay on the server."""
    client = client_for(contributor)
    token = upload(client, csv_bytes(good_rows())).context["token"]

    if second is None:
        client.post(IMPORT, {})
    else:
        upload(client, second["file"], second["name"])
    client.post(IMPORT, {"confirm": "1", "token": token})

    assert Testimony.objects.count() == 0
    assert not PendingImport.objects.exists()
