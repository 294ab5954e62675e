"""The admin's CSV export of testimonies: the import's columns (an export imports again),
formula injection neutralised, no real names, nothing the policy hides."""

import csv
import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from archive.audit.models import AuditEntry
from archive.preservation.importing import import_testimonies
from archive.preservation.tabular import COLUMN_NAMES, neutralise_cell, parse_upload
from archive.testimonies.models import Narrator, PlaceName, Testimony
from tests.conftest import client_for
from tests.factories import (
    make_collection,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:testimonies_testimony_changelist")
IMPORT = reverse("admin:testimonies_testimony_import")
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def export(client, testimonies: list[Testimony]):
    return client.post(
        CHANGELIST,
        {"action": "export_selected_as_csv", "_selected_action": [t.pk for t in testimonies]},
    )


def read(response) -> list[dict[str, str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="testimonies-')
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_it_neutralises_formula_injection_from_an_imported_file(contributor):
    client = client_for(contributor)
    malicious = [
        ["title", "summary", "narrator_attribution", "interviewer", "source", "content_notes"],
        [
            '=HYPERLINK("http://evil","x")',
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "anonymous",
            "+1-555-0100",
            "-2+3",
            "\t=1+1",
        ],
    ]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(malicious)
    preview = client.post(
        IMPORT, {"file": SimpleUploadedFile("evil.csv", buffer.getvalue().encode())}
    )
    client.post(IMPORT, {"confirm": "1", "token": preview.context["token"]})
    testimony = Testimony.objects.get()
    # Stored as the plain text it was (the leading tab is trimmed whitespace).
    assert testimony.title == '=HYPERLINK("http://evil","x")'

    [row] = read(export(client, [testimony]))

    assert row["title"] == '\'=HYPERLINK("http://evil","x")'
    assert row["summary"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["interviewer"] == "'+1-555-0100"
    assert row["source"] == "'-2+3"
    assert row["content_notes"] == "'=1+1"
    for value in row.values():
        assert not value.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain = text", "plain = text"),
        ("", ""),
    ],
)
def test_it_prefixes_an_apostrophe_to_every_formula_start(cell, expected):
    assert neutralise_cell(cell) == expected


def test_an_export_imports_again_as_the_same_catalogue_entries(contributor, archivist):
    place = make_place(name="Stepanakert")
    PlaceName.objects.create(place=place, name="Степанакерт", language="ru")
    subject = make_subject(label="Displacement")
    collection = make_collection(title="Karabakh", slug="karabakh")
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Anahit")
    testimony = make_testimony(
        title="-Leaving Shushi",
        summary="A flight.",
        narrator=narrator,
        recorded_on=date(1994, 5, 1),
        recorded_precision="month",
        recording_place=place,
        collection=collection,
        access_level="researchers",
        period_start_year=1988,
        transcript="Մենք հեռացանք։",
        language="hy",
    )
    testimony.places.set([place])
    testimony.subjects.set([subject])

    response = export(client_for(archivist), [testimony])
    [row] = read(response)
    assert list(row) == list(COLUMN_NAMES)
    assert row["narrator"] == str(narrator.pk)
    assert row["recorded_on"] == "1994-05"
    assert row["transcript_language"] == "hy"

    report = import_testimonies(
        parse_upload("export.csv", response.content), actor=contributor, dry_run=False
    )

    [copy] = report.created
    assert copy.reference != testimony.reference
    assert copy.title == "-Leaving Shushi"
    assert copy.narrator == narrator
    assert (copy.recorded_on, copy.recorded_precision) == (date(1994, 5, 1), "month")
    assert copy.recording_place == place
    assert list(copy.places.all()) == [place]
    assert list(copy.subjects.all()) == [subject]
    assert copy.collection == collection
    assert copy.access_level == "researchers"
    assert copy.period_start_year == 1988
    assert copy.transcripts.get().text == "Մենք հեռացանք։"


def test_it_never_exports_a_real_name(archivist):
    narrator = make_narrator(
        given_name="Vera",
        family_name="Petrosyan",
        attribution=Narrator.Attribution.FULL_NAME,
    )
    testimony = make_testimony(narrator=narrator, title="An account")

    response = export(client_for(archivist), [testimony])

    assert "Petrosyan" not in response.content.decode()
    assert "Vera" not in response.content.decode()


def test_it_leaves_out_an_erased_testimony_that_nobody_may_see(archivist):
    kept = make_testimony(title="Kept")
    erased = make_testimony(
        title="Tombstone", transcript=None, status="withdrawn", erased_at=timezone.now()
    )

    rows = read(export(client_for(archivist), [kept, erased]))

    assert [row["title"] for row in rows] == ["Kept"]


def test_it_records_who_exported_what(contributor):
    testimonies = [make_testimony(), make_testimony()]

    export(client_for(contributor), testimonies)

    entries = AuditEntry.objects.filter(action="testimonies.export")
    assert {entry.testimony_id for entry in entries} == {t.pk for t in testimonies}
    assert {entry.actor for entry in entries} == {contributor}
