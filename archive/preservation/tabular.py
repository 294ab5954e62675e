"""The file format of bulk import and export: the documented columns, reading a CSV or JSON
file into rows, and writing CSV that spreadsheets cannot mistake for formulas.

Every cell that a spreadsheet would take for a formula (it starts with =, +, -, @, a tab or
a carriage return) is written with a leading apostrophe, as OWASP advises against CSV
injection; reading takes that apostrophe off again, so that an export imports unchanged.
Cells are only ever stored as plain text.
"""

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.lib.untrusted_json import UntrustedJSONError, parse_untrusted_json
from archive.testimonies.models import Testimony

MAX_FILE_BYTES = 5 * 1024 * 1024
# Measured on a busy two-core machine: checking 5,000 rows takes 4 s, importing them 60 s
# (most of it the stored disclosures and the index): too long for one web request.
MAX_ROWS = 2000
LIST_SEPARATOR = ";"
# What spreadsheets take for the start of a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    name: str
    description: str | Promise
    example: str = ""
    required: bool = False


COLUMNS: tuple[Column, ...] = (
    Column(
        "reference",
        gettext_lazy(
            "Filled in by the export. The import ignores it: every imported row becomes a "
            "new draft with a new reference."
        ),
    ),
    Column(
        "external_id",
        gettext_lazy("The identifier in the system the testimony came from. Must be unique."),
        "OLD-DB-1042",
    ),
    Column("title", gettext_lazy("Required."), "Leaving Shushi", required=True),
    Column("summary", gettext_lazy("A short description."), "A family's flight in May 1992."),
    Column(
        "narrator",
        gettext_lazy(
            "The number of an existing narrator (as in “Narrator 12” or the narrator list). "
            "Leave empty to create a new narrator from the narrator_ columns."
        ),
    ),
    Column(
        "narrator_attribution",
        gettext_lazy(
            "For a new narrator: “anonymous” or “pseudonym”. A real name is never imported: "
            "an archivist adds it on the narrator's page."
        ),
        "pseudonym",
    ),
    Column(
        "narrator_pseudonym",
        gettext_lazy(
            "For a new narrator attributed by pseudonym. Rows with the same pseudonym and "
            "birth year share one new narrator; each anonymous row creates its own."
        ),
        "Anahit",
    ),
    Column("narrator_birth_year", gettext_lazy("For a new narrator: a year."), "1931"),
    Column("narrator_occupation", gettext_lazy("For a new narrator."), "Teacher"),
    Column("interviewer", gettext_lazy("Who recorded the account."), "L. Hakobyan"),
    Column(
        "recorded_on",
        gettext_lazy("The recording date, as precise as it is known: 1994, 1994-05 or 1994-05-12."),
        "1994-05",
    ),
    Column(
        "recording_place",
        gettext_lazy(
            "A place of the gazetteer, by its name or any of its name variants, or “#” and "
            "its number (#12) when several places share the name."
        ),
    ),
    Column("period_start_year", gettext_lazy("First year the account tells of."), "1988"),
    Column("period_end_year", gettext_lazy("Last year the account tells of."), "1992"),
    Column(
        "places",
        gettext_lazy(
            "Places the account tells of, separated by “;”, named as for recording_place."
        ),
    ),
    Column(
        "subjects",
        gettext_lazy(
            "Subjects of the thesaurus, by label or alternative label (or #number), "
            "separated by “;”."
        ),
    ),
    Column("collection", gettext_lazy("An existing collection, by title or slug.")),
    Column("source", gettext_lazy("Where the account was first recorded or published.")),
    Column("rights_statement", gettext_lazy("The rights statement."), "© The narrator"),
    Column("content_notes", gettext_lazy("Warnings shown before the text."), "Violence; loss."),
    Column(
        "access_level",
        gettext_lazy("“public”, “researchers” or “staff” (the default when empty)."),
        "staff",
    ),
    Column(
        "transcript_language",
        gettext_lazy(
            "The language of the original transcript, as a BCP 47 tag (hy, ru, en, hy-Latn). "
            "Give it together with transcript_text, or leave both empty."
        ),
        "hy",
    ),
    Column(
        "transcript_text",
        gettext_lazy("The original transcript: plain text, a blank line between paragraphs."),
        "Մենք հեռացանք գիշերով։",
    ),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
REQUIRED_COLUMNS = tuple(column.name for column in COLUMNS if column.required)


class ImportFileError(Exception):
    """The file as a whole cannot be read; no row was looked at."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class SourceRow:
    """One record of the file: its number (the spreadsheet's row number for CSV, where the
    header is row 1; the position in the list for JSON) and its cells as text."""

    number: int
    values: dict[str, str]


# Reading files


def _plain(value: Any) -> str:
    """A cell as stored text. The export's guard apostrophe in front of a formula character
    is taken off again, so that an exported file imports unchanged."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return f"{LIST_SEPARATOR} ".join(_plain(item) for item in value)
    text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        text = text[1:]
    return text.strip()


def _check_header(names: Sequence[str]) -> list[str]:
    problems = []
    unknown = [name for name in names if name not in COLUMN_NAMES]
    if unknown:
        problems.append(
            _("Unknown columns: %(columns)s. The columns are: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMN_NAMES)}
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    missing = [name for name in REQUIRED_COLUMNS if name not in names]
    if missing:
        problems.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return problems


def _parse_csv(text: str) -> list[SourceRow]:
    # Comma-separated only: sniffing the delimiter guesses wrong on short files, and every
    # spreadsheet can save "CSV UTF-8 (comma delimited)".
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ImportFileError([_("The file is empty.")])
        names = [name.strip().lower() for name in header]
        problems = _check_header(names)
        if problems:
            raise ImportFileError(problems)
        rows = []
        for number, record in enumerate(reader, start=2):
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(names):
                raise ImportFileError(
                    [
                        _("Row %(number)s has %(cells)s cells but the header has %(columns)s.")
                        % {"number": number, "cells": len(record), "columns": len(names)}
                    ]
                )
            # A short record leaves the last columns empty.
            cells = dict(zip(names, record, strict=False))
            rows.append(SourceRow(number, {name: _plain(cell) for name, cell in cells.items()}))
            if len(rows) > MAX_ROWS:
                raise ImportFileError([too_many_rows()])
    except csv.Error as error:
        raise ImportFileError(
            [
                _("The file is not valid CSV (line %(line)s): %(error)s.")
                % {"line": reader.line_num, "error": error}
            ]
        ) from error
    return rows


def _parse_json(text: str) -> list[SourceRow]:
    try:
        data = parse_untrusted_json(text)
    except UntrustedJSONError as error:
        raise ImportFileError(
            [_("The file was refused: %(reason)s.") % {"reason": error}]
        ) from None
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ImportFileError([_("A JSON import is a list of objects, one per testimony.")])
    if len(data) > MAX_ROWS:
        raise ImportFileError([too_many_rows()])
    names = list(dict.fromkeys(str(key).strip().lower() for item in data for key in item))
    problems = _check_header(names)
    if problems:
        raise ImportFileError(problems)
    rows = []
    for number, item in enumerate(data, start=1):
        nested = [key for key, value in item.items() if isinstance(value, dict)]
        values = {str(key).strip().lower(): _plain(value) for key, value in item.items()}
        row = SourceRow(number, values)
        if nested:
            # Reported with the row, where the preview shows it.
            values["__nested__"] = ", ".join(nested)
        rows.append(row)
    return rows


def too_many_rows() -> str:
    return _("The file has more than %(limit)s testimonies; split it into smaller files.") % {
        "limit": MAX_ROWS
    }


def parse_upload(filename: str, content: bytes) -> list[SourceRow]:
    """Read a CSV (UTF-8, with or without byte order mark, comma-separated, with a header
    row) or JSON file (a list of objects with the same keys). Raises ImportFileError."""
    if len(content) > MAX_FILE_BYTES:
        raise ImportFileError(
            [
                _("The file is larger than %(limit)s MB.")
                % {"limit": MAX_FILE_BYTES // (1024 * 1024)}
            ]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            [
                _(
                    "The file is not UTF-8 text (byte %(position)s). Save it as “CSV UTF-8” "
                    "or JSON in UTF-8."
                )
                % {"position": error.start}
            ]
        ) from error
    if "\x00" in text:
        raise ImportFileError([_("The file holds binary data, not text.")])
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix == "json" or (suffix != "csv" and text.lstrip().startswith("[")):
        rows = _parse_json(text)
    else:
        rows = _parse_csv(text)
    if not rows:
        raise ImportFileError([_("The file holds no testimonies.")])
    return rows


def parse_recording_date(value: str) -> tuple[date, str] | None:
    """ "1994" -> 1 January 1994 with year precision; "1994-05", "1994-05-12" likewise."""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?", value)
    if not match:
        return None
    year, month, day = match.groups()
    try:
        recorded = date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None
    precision = (
        Testimony.DatePrecision.DAY
        if day
        else Testimony.DatePrecision.MONTH
        if month
        else Testimony.DatePrecision.YEAR
    )
    return recorded, precision


def format_recording_date(testimony: Testimony) -> str:
    """The inverse of parse_recording_date, for the export."""
    if testimony.recorded_on is None:
        return ""
    if testimony.recorded_precision == Testimony.DatePrecision.YEAR:
        return f"{testimony.recorded_on:%Y}"
    if testimony.recorded_precision == Testimony.DatePrecision.MONTH:
        return f"{testimony.recorded_on:%Y-%m}"
    return testimony.recorded_on.isoformat()


# Writing CSV

BYTE_ORDER_MARK = "\ufeff"


def neutralise_cell(value: str) -> str:
    """A cell a spreadsheet shows as text rather than evaluating."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def write_csv(rows: Iterable[Iterable[str]]) -> str:
    """CSV text with a byte order mark (so that spreadsheets read it as UTF-8), every cell
    quoted and neutralised."""
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return buffer.getvalue()


def template_csv() -> str:
    """The import template: the header and one example row."""
    return write_csv([COLUMN_NAMES, [column.example for column in COLUMNS]])
