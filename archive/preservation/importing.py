"""Bulk import of testimonies from a CSV or JSON file.

Reading a file (`parse_upload` in archive/preservation/tabular.py) gives source rows;
`import_testimonies` checks every row and
then either reports the problems (nothing is written) or creates all rows as drafts in one
transaction. Nothing is ever published here: drafts go through review like any other.

The admin's import page previews a file first (`stage_import`) and imports it once the person
confirms (`confirm_import`); between the two the file waits on the server (PendingImport).

Cells are stored as plain text. A cell such as ``=HYPERLINK(...)`` is kept verbatim; the CSV
export (archive/preservation/exporting.py) neutralises it for spreadsheets.
"""

import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.consent.disclosures import disclosure_changed
from archive.lib.arguments import strict_int
from archive.lib.errors import WorkflowError
from archive.lib.language_tags import (
    normalize_language_tag,
    validate_publishable_language_tag,
)
from archive.preservation.models import PendingImport
from archive.preservation.tabular import (
    COLUMN_NAMES,
    LIST_SEPARATOR,
    SourceRow,
    parse_recording_date,
    parse_upload,
)
from archive.search.indexing import index_now
from archive.testimonies.models import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    AccessLevel,
    Collection,
    Narrator,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
    Testimony,
    Transcript,
)
from archive.testimonies.references import allocate_references, reference_year

NEW_NARRATOR_ATTRIBUTIONS = (Narrator.Attribution.ANONYMOUS, Narrator.Attribution.PSEUDONYM)


NARRATOR_COLUMNS = (
    "narrator_attribution",
    "narrator_pseudonym",
    "narrator_birth_year",
    "narrator_occupation",
)
# Model fields whose validation errors belong to another column of the file.
FIELD_COLUMNS = {
    "recorded_precision": "recorded_on",
    "attribution": "narrator_attribution",
    "pseudonym": "narrator_pseudonym",
    "birth_year": "narrator_birth_year",
    "occupation": "narrator_occupation",
    "language": "transcript_language",
    "text": "transcript_text",
}


@dataclass(frozen=True)
class RowError:
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.column}: {self.message}" if self.column else self.message


@dataclass
class RowCheck:
    """What a row would become, and everything wrong with it."""

    number: int
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)
    testimony: Testimony | None = None
    narrator: Narrator | None = None
    new_narrator: Narrator | None = None
    new_narrator_key: tuple[str, ...] | None = None
    recording_place: Place | None = None
    places: list[Place] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    collection: Collection | None = None
    transcript: Transcript | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, column: str, message: str) -> None:
        self.errors.append(RowError(column, message))

    @property
    def narrator_display(self) -> str:
        # Never the real name: contributors import too, and they may not see identities.
        narrator = self.narrator or self.new_narrator
        if narrator is None:
            return ""
        if narrator.pk is None:
            label = _("new narrator")
        else:
            label = _("Narrator %(number)s") % {"number": narrator.pk}
        if narrator.attribution == Narrator.Attribution.PSEUDONYM:
            return f"{label}: {narrator.pseudonym}"
        return label

    @property
    def recorded_display(self) -> str:
        return self.testimony.recording_date_display if self.testimony else ""


@dataclass
class ImportReport:
    rows: list[RowCheck]
    dry_run: bool
    created: list[Testimony] = field(default_factory=list)

    @property
    def error_count(self) -> int:
        return sum(len(row.errors) for row in self.rows)

    @property
    def rows_with_errors(self) -> list[RowCheck]:
        return [row for row in self.rows if row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.rows_with_errors


# Checking rows


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


NUMBER = re.compile(r"^#\s*([0-9]+)$")


class Vocabularies:
    """The gazetteer, thesaurus and collections, loaded once per file and matched by every
    name variant, case-insensitively."""

    def __init__(self) -> None:
        self.places = {place.pk: place for place in Place.objects.select_related("parent")}
        self.place_names: dict[str, set[int]] = {}
        for place in self.places.values():
            self.place_names.setdefault(_fold(place.name), set()).add(place.pk)
        for name, place_id in PlaceName.objects.values_list("name", "place_id"):
            self.place_names.setdefault(_fold(name), set()).add(place_id)
        self.subjects = {subject.pk: subject for subject in Subject.objects.all()}
        self.subject_names: dict[str, set[int]] = {}
        for subject in self.subjects.values():
            self.subject_names.setdefault(_fold(subject.label), set()).add(subject.pk)
        for name, subject_id in SubjectLabel.objects.values_list("name", "subject_id"):
            self.subject_names.setdefault(_fold(name), set()).add(subject_id)
        self.collections = {collection.pk: collection for collection in Collection.objects.all()}
        self.collection_names: dict[str, set[int]] = {}
        for collection in self.collections.values():
            self.collection_names.setdefault(_fold(collection.title), set()).add(collection.pk)
            self.collection_names.setdefault(_fold(collection.slug), set()).add(collection.pk)

    @staticmethod
    def _find(
        name: str, by_id: dict[int, Any], by_name: dict[str, set[int]]
    ) -> tuple[Any | None, list[Any]]:
        """(the one match, or None; and the candidates when the name is ambiguous)."""
        number = NUMBER.match(name)
        if number:
            return by_id.get(strict_int(number.group(1)) or 0), []
        ids = sorted(by_name.get(_fold(name), set()))
        if len(ids) == 1:
            return by_id[ids[0]], []
        return None, [by_id[pk] for pk in ids]

    def place(self, name: str) -> tuple[Place | None, list[Place]]:
        return self._find(name, self.places, self.place_names)

    def subject(self, name: str) -> tuple[Subject | None, list[Subject]]:
        return self._find(name, self.subjects, self.subject_names)

    def collection(self, name: str) -> tuple[Collection | None, list[Collection]]:
        return self._find(name, self.collections, self.collection_names)

    def place_label(self, place: Place) -> str:
        """How the export names a place so that the import finds it again."""
        found, _candidates = self.place(place.name)
        return place.name if found == place and LIST_SEPARATOR not in place.name else f"#{place.pk}"

    def subject_label(self, subject: Subject) -> str:
        found, _candidates = self.subject(subject.label)
        if found == subject and LIST_SEPARATOR not in subject.label:
            return subject.label
        return f"#{subject.pk}"


def _describe_place(place: Place) -> str:
    within = f" ({place.parent})" if place.parent else ""
    return f"#{place.pk} {place.name}{within}"


def _resolve(
    check: RowCheck, column: str, names: Iterable[str], find: Any, describe: Any = str
) -> list[Any]:
    found, unknown, ambiguous = [], [], []
    for name in names:
        match, candidates = find(name)
        if match is not None:
            found.append(match)
        elif candidates:
            options = ", ".join(describe(candidate) for candidate in candidates)
            ambiguous.append(f"“{name}” ({options})")
        else:
            unknown.append(f"“{name}”")
    if unknown:
        check.add_error(column, _("not found: %(names)s.") % {"names": ", ".join(unknown)})
    if ambiguous:
        check.add_error(
            column,
            _(
                "several entries have this name; write # and the number of the one you mean: "
                "%(names)s."
            )
            % {"names": "; ".join(ambiguous)},
        )
    return list(dict.fromkeys(found))


def _year(check: RowCheck, column: str) -> int | None:
    value = check.values.get(column, "")
    if not value:
        return None
    if not re.fullmatch(r"[0-9]{4}", value):
        check.add_error(column, _("“%(value)s” is not a year.") % {"value": value})
        return None
    year = int(value)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        check.add_error(
            column,
            _("the year must lie between %(first)s and %(last)s.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
        return None
    return year


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def _add_validation_errors(check: RowCheck, error: ValidationError, default: str) -> None:
    for name, messages in error.message_dict.items():
        column = FIELD_COLUMNS.get(name, name) if name != "__all__" else default
        for message in messages:
            check.add_error(column, message)


def _check_narrator(check: RowCheck, narrators: dict[int, Narrator]) -> None:
    values = check.values
    given = values.get("narrator", "")
    new_columns = [name for name in NARRATOR_COLUMNS if values.get(name)]
    if given:
        if new_columns:
            check.add_error(
                "narrator",
                _(
                    "give either an existing narrator or the columns of a new one, not both "
                    "(%(columns)s)."
                )
                % {"columns": ", ".join(new_columns)},
            )
        match = re.fullmatch(r"(?:#|narrator\s*)?\s*([0-9]+)", given, re.IGNORECASE)
        narrator = narrators.get(strict_int(match.group(1)) or 0) if match else None
        if narrator is None:
            check.add_error(
                "narrator", _("no narrator has the number “%(value)s”.") % {"value": given}
            )
        check.narrator = narrator
        return
    attribution = values.get("narrator_attribution", "").lower()
    if not attribution:
        check.add_error(
            "narrator",
            _("give an existing narrator's number, or narrator_attribution for a new one."),
        )
        return
    if attribution not in NEW_NARRATOR_ATTRIBUTIONS:
        check.add_error(
            "narrator_attribution",
            _(
                "a new narrator is “anonymous” or “pseudonym”; a named narrator needs their real "
                "name, which an archivist enters on the narrator's page."
            ),
        )
        return
    narrator = Narrator(
        attribution=attribution,
        pseudonym=values.get("narrator_pseudonym", ""),
        birth_year=_year(check, "narrator_birth_year"),
        occupation=values.get("narrator_occupation", ""),
    )
    if attribution == Narrator.Attribution.ANONYMOUS and narrator.pseudonym:
        check.add_error(
            "narrator_pseudonym", _("an anonymous narrator has no pseudonym; leave it empty.")
        )
    if attribution == Narrator.Attribution.PSEUDONYM and not narrator.pseudonym:
        check.add_error("narrator_pseudonym", _("a narrator attributed by pseudonym needs one."))
    try:
        # The table's constraints are checked above, in Python: Django validates each with
        # a query, which made checking a large file slow.
        narrator.full_clean(exclude=["birth_year"], validate_constraints=False)
    except ValidationError as error:
        _add_validation_errors(check, error, "narrator_pseudonym")
    check.new_narrator = narrator
    if attribution == Narrator.Attribution.PSEUDONYM:
        check.new_narrator_key = (narrator.pseudonym.casefold(), str(narrator.birth_year or ""))


def _check_row(
    row: SourceRow,
    vocabularies: Vocabularies,
    narrators: dict[int, Narrator],
) -> RowCheck:
    values = row.values
    check = RowCheck(row.number, {name: values.get(name, "") for name in COLUMN_NAMES})
    if "__nested__" in values:
        check.add_error(
            values["__nested__"], _("a value must be text, a number or a list of names.")
        )
    _check_narrator(check, narrators)

    recorded_on, precision = None, ""
    if values.get("recorded_on"):
        parsed = parse_recording_date(values["recorded_on"])
        if parsed is None:
            check.add_error(
                "recorded_on",
                _("“%(value)s” is not a date; write 1994, 1994-05 or 1994-05-12.")
                % {"value": values["recorded_on"]},
            )
        else:
            recorded_on, precision = parsed

    if values.get("recording_place"):
        places = _resolve(
            check,
            "recording_place",
            [values["recording_place"]],
            vocabularies.place,
            _describe_place,
        )
        check.recording_place = places[0] if places else None
    check.places = _resolve(
        check, "places", _split(values.get("places", "")), vocabularies.place, _describe_place
    )
    check.subjects = _resolve(
        check,
        "subjects",
        _split(values.get("subjects", "")),
        vocabularies.subject,
        lambda subject: f"#{subject.pk} {subject.label}",
    )
    if values.get("collection"):
        collections = _resolve(
            check,
            "collection",
            [values["collection"]],
            vocabularies.collection,
            lambda collection: f"#{collection.pk} {collection.title}",
        )
        check.collection = collections[0] if collections else None

    access_level = values.get("access_level", "").lower() or AccessLevel.STAFF
    if access_level not in AccessLevel.values:
        check.add_error(
            "access_level",
            _("“%(value)s” is not an access level; write public, researchers or staff.")
            % {"value": values["access_level"]},
        )
        access_level = AccessLevel.STAFF

    testimony = Testimony(
        external_id=values.get("external_id", ""),
        title=values.get("title", ""),
        summary=values.get("summary", ""),
        narrator=check.narrator,
        interviewer=values.get("interviewer", ""),
        recorded_on=recorded_on,
        recorded_precision=precision,
        recording_place=check.recording_place,
        period_start_year=_year(check, "period_start_year"),
        period_end_year=_year(check, "period_end_year"),
        collection=check.collection,
        source=values.get("source", ""),
        rights_statement=values.get("rights_statement", ""),
        content_notes=values.get("content_notes", ""),
        access_level=access_level,
        status=Testimony.Status.DRAFT,
    )
    try:
        # The reference is allocated and the narrator saved only when the import runs.
        testimony.full_clean(
            exclude=["reference", "narrator", "created_by"], validate_constraints=False
        )
    except ValidationError as error:
        _add_validation_errors(check, error, "title")
    start, end = testimony.period_start_year, testimony.period_end_year
    if start and end and start > end:
        check.add_error(
            "period_start_year", _("the period's first year must not be after its last year.")
        )
    check.testimony = testimony

    language, text = values.get("transcript_language", ""), values.get("transcript_text", "")
    if bool(language) != bool(text):
        check.add_error(
            "transcript_language" if text else "transcript_text",
            _("give the transcript's language and text together, or neither."),
        )
    elif language:
        try:
            validate_publishable_language_tag(language)
        except ValidationError as error:
            check.add_error("transcript_language", " ".join(error.messages))
        else:
            check.transcript = Transcript(
                language=normalize_language_tag(language), is_original=True, text=text
            )
    return check


def check_rows(rows: Sequence[SourceRow]) -> list[RowCheck]:
    """Check every row against the catalogue and the rest of the file; writes nothing."""
    vocabularies = Vocabularies()
    numbers = set()
    for row in rows:
        match = re.fullmatch(
            r"(?:#|narrator\s*)?\s*([0-9]+)", row.values.get("narrator", ""), re.IGNORECASE
        )
        # A number past any row id names no narrator (and must not reach the query).
        if match and (number := strict_int(match.group(1))) is not None:
            numbers.add(number)
    narrators = Narrator.objects.in_bulk(numbers)
    checks = [_check_row(row, vocabularies, narrators) for row in rows]
    taken = set(
        Testimony.objects.filter(
            external_id__in=[
                row.values["external_id"] for row in rows if row.values.get("external_id")
            ]
        ).values_list("external_id", flat=True)
    )

    first_with_values: dict[tuple[str, ...], int] = {}
    first_with_external_id: dict[str, int] = {}
    for check in checks:
        cells = tuple(check.values[name] for name in COLUMN_NAMES if name != "reference")
        if cells in first_with_values:
            check.add_error(
                "", _("the same as row %(number)s.") % {"number": first_with_values[cells]}
            )
        else:
            first_with_values[cells] = check.number
        external_id = check.values.get("external_id", "")
        if external_id in taken:
            check.add_error(
                "external_id", _("another testimony already has this external identifier.")
            )
        elif external_id:
            if external_id in first_with_external_id:
                check.add_error(
                    "external_id",
                    _("row %(number)s has the same identifier.")
                    % {"number": first_with_external_id[external_id]},
                )
            else:
                first_with_external_id[external_id] = check.number
    return checks


# Importing


def _require_permission(actor: User, checks: Sequence[RowCheck]) -> None:
    needed = ["testimonies.add_testimony"]
    if any(check.new_narrator is not None for check in checks):
        needed.append("testimonies.add_narrator")
    if any(check.transcript is not None for check in checks):
        needed.append("testimonies.add_transcript")
    if not actor.has_perms(needed):
        raise WorkflowError(_("You may not import testimonies."))


def import_testimonies(rows: Sequence[SourceRow], *, actor: User, dry_run: bool) -> ImportReport:
    """Check every row and, unless `dry_run` or any row has an error, create them all as
    drafts in one transaction: one bad row imports nothing. Each draft gets a new reference
    and a "testimonies.create" audit entry naming the import batch; none is published."""
    if not actor.has_perm("testimonies.add_testimony"):
        raise WorkflowError(_("You may not import testimonies."))
    checks = check_rows(rows)
    _require_permission(actor, checks)
    report = ImportReport(rows=checks, dry_run=dry_run)
    if dry_run or not report.ok:
        return report
    batch = uuid.uuid4().hex
    created: list[Testimony] = []
    try:
        with transaction.atomic():
            created = _create_all(checks, actor=actor, batch=batch)
            # What the save signals do for one testimony, once for the whole batch (bulk
            # inserts send no signals): the stored disclosures and search documents.
            disclosure_changed([testimony.pk for testimony in created])
    except BaseException:
        # Whoosh is not transactional: documents written for the rolled-back drafts are
        # rewritten now that their rows are gone, which deletes them.
        index_now([testimony.pk for testimony in created if testimony.pk])
        raise
    report.created = created
    return report


def _create_all(checks: Sequence[RowCheck], *, actor: User, batch: str) -> list[Testimony]:
    """Insert the checked rows in bulk: a save per row (and the index update its signal
    runs) cost about a tenth of a second each, too slow for a file of thousands."""
    shared: dict[tuple[str, ...], Narrator] = {}
    new_narrators: list[tuple[Narrator, int]] = []
    testimonies: list[Testimony] = []
    for check in checks:
        testimony, narrator = check.testimony, check.narrator
        assert testimony is not None and check.ok  # noqa: S101 - checked by the caller
        if narrator is None:
            key = check.new_narrator_key
            narrator = shared.get(key) if key else None
            if narrator is None:
                narrator = check.new_narrator
                assert narrator is not None  # noqa: S101 - a row without one has an error
                new_narrators.append((narrator, check.number))
                if key:
                    shared[key] = narrator
        testimony.narrator = narrator
        testimony.created_by = actor
        testimony.status = Testimony.Status.DRAFT
        testimonies.append(testimony)

    Narrator.objects.bulk_create([narrator for narrator, _row in new_narrators])
    for narrator, number in new_narrators:
        record_audit(
            "testimonies.create_narrator",
            actor=actor,
            obj=narrator,
            data={"import": batch, "row": number},
        )

    by_year: dict[int, list[Testimony]] = {}
    for testimony in testimonies:
        by_year.setdefault(reference_year(testimony.recorded_on), []).append(testimony)
    for year, of_year in by_year.items():
        # In file order within each year, from the same counter as the admin's form.
        for testimony, reference in zip(
            of_year, allocate_references(year, len(of_year)), strict=True
        ):
            testimony.reference = reference
    Testimony.objects.bulk_create(testimonies)

    PlaceLink = Testimony.places.through
    SubjectLink = Testimony.subjects.through
    PlaceLink.objects.bulk_create(
        PlaceLink(testimony_id=testimony.pk, place_id=place.pk)
        for testimony, check in zip(testimonies, checks, strict=True)
        for place in check.places
    )
    SubjectLink.objects.bulk_create(
        SubjectLink(testimony_id=testimony.pk, subject_id=subject.pk)
        for testimony, check in zip(testimonies, checks, strict=True)
        for subject in check.subjects
    )
    transcripts = []
    for testimony, check in zip(testimonies, checks, strict=True):
        if check.transcript is not None:
            check.transcript.testimony = testimony
            transcripts.append(check.transcript)
    Transcript.objects.bulk_create(transcripts)
    for testimony, check in zip(testimonies, checks, strict=True):
        record_audit(
            "testimonies.create",
            actor=actor,
            obj=testimony,
            data={"import": batch, "row": check.number},
        )
    return testimonies


# Previewing, then confirming


# How long a previewed file waits for its confirmation. A preview is confirmed within
# minutes; the file may hold transcripts and narrators' names, which should not linger.
# After that, uploading it again shows a new preview.
PENDING_IMPORT_LIFETIME = timedelta(hours=2)


class StaleImportError(WorkflowError):
    """The preview being confirmed is not the person's latest, was confirmed already, or
    expired."""

    def __init__(self) -> None:
        super().__init__(
            _("This preview is no longer current: upload the file again to see a new one.")
        )


def end_previews(actor: User) -> None:
    """Whatever this person previewed before can no longer be confirmed: they sent another
    file (readable or not, valid or not). Committed at once, whatever comes of the new one."""
    PendingImport.objects.filter(owner=actor).delete()
    clear_expired_previews()


def clear_expired_previews() -> int:
    """Delete the previewed files nobody confirmed in time (each upload does this, and so
    does `manage.py clear_pending_imports` from cron, so that an abandoned preview of names
    and transcripts does not wait for the next upload). Returns how many went."""
    deleted, _by_model = PendingImport.objects.expired().delete()
    return deleted


@dataclass(frozen=True)
class StagedImport:
    report: ImportReport
    # What confirms the import; empty when the file cannot be imported as it is.
    token: str


def stage_import(upload: File[Any], *, actor: User) -> StagedImport:
    """Read and check an uploaded file without importing it (a dry run), and keep it on the
    server for confirm_import if it passes.

    One preview per person: uploading another file ends the earlier one, so a stale preview
    in another tab cannot be confirmed. Raises ImportFileError for a file that cannot be
    read, WorkflowError for someone who may not import.
    """
    end_previews(actor)
    name, content = upload.name or "", upload.read()
    report = import_testimonies(parse_upload(name, content), actor=actor, dry_run=True)
    if not report.ok:
        return StagedImport(report=report, token="")
    pending = PendingImport.objects.create(
        token=secrets.token_urlsafe(32),
        owner=actor,
        name=name,
        content=content,
        expires_at=timezone.now() + PENDING_IMPORT_LIFETIME,
    )
    return StagedImport(report=report, token=pending.token)


def confirm_import(token: str, *, actor: User) -> ImportReport:
    """Import the file `actor` previewed under `token`, checking it again first: the
    catalogue may have changed since (a place renamed, an identifier taken), and then the
    report says why nothing was imported.

    The file is used once, whatever the outcome: it is claimed by a conditional delete
    whose row count is checked, so two confirmations of one preview (a double click, two
    tabs) import it once. Raises StaleImportError when there is nothing to confirm,
    ImportFileError and WorkflowError as stage_import does.
    """
    pending = PendingImport.objects.current().filter(owner=actor, token=token).first()
    if pending is None or not token:
        raise StaleImportError
    claimed, _deleted = PendingImport.objects.filter(pk=pending.pk).delete()
    if claimed != 1:
        raise StaleImportError
    rows = parse_upload(pending.name, bytes(pending.content))
    return import_testimonies(rows, actor=actor, dry_run=False)
