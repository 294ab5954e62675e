"""What the demo archive contains: a gazetteer, a thesaurus, collections and 41 testimonies,
read from the TOML files in archive/demo/data/. The loader into the database is
archive/demo/seed.py.

Only the first testimony is a real person's account: Vera Petrosyan's words as Reuters
reported them on 26 September 2023. Every other narrator is fictional, written for this
demonstration, and says so in the testimony's source.

The files: `gazetteer.toml` (`[[place]]`), `thesaurus.toml` (`[[subject]]`),
`collections.toml` (`[[collection]]`) and one file per testimony in `testimonies/`, taken in
file-name order (Vera Petrosyan's, 000, first: an empty database gives her TA-2023-0001). A
testimony's file has its catalogue fields at the top, then `[narrator]`, `[consent]`,
`[transcript]` (the original) and `[translation]`. `[consent]` lists only what differs from
full consent (the defaults of ConsentTerms); a file without it has no consent on record.
Prose is wrapped for reading: a line break inside a paragraph stands for a space, a blank
line separates paragraphs. A key the loader does not know, a missing one, or a value outside
its field's choices fails the load with the file's name.
"""

import re
import tomllib
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import Any

from django.db.models import TextChoices

from archive.consent.models import ConsentRecord
from archive.testimonies.models import AccessLevel, Narrator, Place, Testimony

DATA_DIR = Path(__file__).resolve().parent / "data"


class ContentError(ValueError):
    """A demo data file that does not hold what the loader expects."""


@dataclass(frozen=True)
class GazetteerEntry:
    name: str
    kind: str
    parent: str | None = None
    names: tuple[tuple[str, str], ...] = ()
    """(BCP 47 tag, name) pairs: the name in other languages and scripts."""
    latitude: str | None = None
    longitude: str | None = None
    note: str = ""


@dataclass(frozen=True)
class ThesaurusEntry:
    label: str
    parent: str | None = None
    labels: tuple[tuple[str, str], ...] = ()
    """(BCP 47 tag, label) pairs: alternative labels."""
    scope_note: str = ""


@dataclass(frozen=True)
class CollectionEntry:
    slug: str
    title: str
    description: str


@dataclass(frozen=True)
class NarratorEntry:
    attribution: str
    given_name: str = ""
    """Empty when no identity is on file."""
    family_name: str = ""
    name_in_original_script: str = ""
    pseudonym: str = ""
    birth_year: int | None = None
    occupation: str = ""
    place_of_origin: str | None = None
    fictional: bool = True


@dataclass(frozen=True)
class ConsentTerms:
    """The scope of one consent record; the defaults are full consent. Video, image and
    document flags stay off: the demo has no such files."""

    allows_archiving: bool = True
    allows_researcher_access: bool = True
    allows_public_metadata: bool = True
    allows_public_transcript: bool = True
    allows_public_audio: bool = True
    allows_name_disclosure: bool = True
    allows_quotation: bool = True
    verified: bool = True
    embargo_years: int | None = None
    """Embargo until 1 January, this many years after the year the demo is loaded."""
    withdrawn: bool = False
    withdrawal_note: str = ""
    method: str = ConsentRecord.Method.ELECTRONIC
    form_language: str = "hy"
    guardian: str = ""
    """For a minor: who consented on their behalf."""
    obtained_by: str | None = None
    """None: the interviewer took consent."""


@dataclass(frozen=True)
class TranscriptEntry:
    language: str
    text: str
    translator: str = ""
    """For a translation: who made it."""


SYNTHETIC_SOURCE = (
    "Synthetic demo testimony: a fictional account written for this demonstration archive. "
    "The narrator is not a real person."
)
SYNTHETIC_RIGHTS = "Demo content written for Testimony Archive; free to reuse for testing."


@dataclass(frozen=True)
class TestimonyEntry:
    key: str
    """The testimony's external_id: how a second run finds it again."""
    title: str
    summary: str
    status: str
    access_level: str
    narrator: NarratorEntry
    transcript: TranscriptEntry
    """The original."""
    recorded_on: date | None = None
    recorded_precision: str = ""
    recording_place: str | None = None
    period: tuple[int, int] | None = None
    places: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    collection: str | None = None
    interviewer: str = ""
    translation: TranscriptEntry | None = None
    source: str = SYNTHETIC_SOURCE
    rights_statement: str = SYNTHETIC_RIGHTS
    content_notes: str = ""
    consent: ConsentTerms | None = None
    recording_access: str | None = None
    """Attach the demo recording with this access level (None: no recording)."""
    review_comment: str = ""
    """For changes requested: what the moderator asked for."""
    withdrawal_reason: str = ""


# Reading the files ------------------------------------------------------------------------

# Keys whose value must be one of the model's choices, wherever they appear.
CHOICES: dict[str, type[TextChoices]] = {
    "kind": Place.Kind,
    "attribution": Narrator.Attribution,
    "status": Testimony.Status,
    "access_level": AccessLevel,
    "recording_access": AccessLevel,
    "recorded_precision": Testimony.DatePrecision,
    "method": ConsentRecord.Method,
}
PROSE = frozenset(
    {
        "summary",
        "text",
        "source",
        "rights_statement",
        "content_notes",
        "review_comment",
        "withdrawal_reason",
        "withdrawal_note",
        "note",
        "scope_note",
        "description",
    }
)


def reflow(block: str) -> str:
    """Paragraphs separated by a blank line; the line breaks inside a paragraph only keep
    the file readable and are joined with spaces."""
    paragraphs = re.split(r"\n\s*\n", block.strip())
    return "\n\n".join(" ".join(line.strip() for line in part.splitlines()) for part in paragraphs)


def _values(table: dict[str, Any], entry_type: Any) -> dict[str, Any]:
    """The table's values for the dataclass `entry_type`: prose reflowed, arrays as tuples,
    choices checked."""
    known = {field.name for field in fields(entry_type)}
    if unknown := sorted(set(table) - known):
        raise ContentError(f"unknown key {', '.join(unknown)} for {entry_type.__name__}")
    values: dict[str, Any] = {}
    for name, value in table.items():
        if name in CHOICES:
            value = CHOICES[name](value)
        elif name in PROSE:
            value = reflow(value)
        elif isinstance(value, list):
            value = tuple(tuple(item) if isinstance(item, list) else item for item in value)
        values[name] = value
    return values


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def _entries[E](entry_type: type[E], file_name: str, array: str) -> tuple[E, ...]:
    entries = []
    for number, table in enumerate(_read(DATA_DIR / file_name)[array], start=1):
        try:
            entries.append(entry_type(**_values(table, entry_type)))
        except (TypeError, ValueError) as error:
            raise ContentError(f"{file_name}, {array} {number}: {error}") from error
    return tuple(entries)


def read_testimony(path: Path) -> TestimonyEntry:
    """One testimony file of data/testimonies/."""
    table = _read(path)
    try:
        narrator = NarratorEntry(**_values(table.pop("narrator"), NarratorEntry))
        transcript = TranscriptEntry(**_values(table.pop("transcript"), TranscriptEntry))
        translation = table.pop("translation", None)
        consent = table.pop("consent", None)
        return TestimonyEntry(
            narrator=narrator,
            transcript=transcript,
            translation=TranscriptEntry(**_values(translation, TranscriptEntry))
            if translation is not None
            else None,
            consent=ConsentTerms(**_values(consent, ConsentTerms)) if consent is not None else None,
            **_values(table, TestimonyEntry),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise ContentError(f"testimonies/{path.name}: {error!r}") from error


GAZETTEER: tuple[GazetteerEntry, ...] = _entries(GazetteerEntry, "gazetteer.toml", "place")
THESAURUS: tuple[ThesaurusEntry, ...] = _entries(ThesaurusEntry, "thesaurus.toml", "subject")
COLLECTIONS: tuple[CollectionEntry, ...] = _entries(
    CollectionEntry, "collections.toml", "collection"
)
DEMO_TESTIMONIES: tuple[TestimonyEntry, ...] = tuple(
    read_testimony(path) for path in sorted((DATA_DIR / "testimonies").glob("*.toml"))
)
