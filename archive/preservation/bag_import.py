"""Reading archivist bags back into an archive (the layout is described in bags.py).

Every bag is validated first (bagit: manifests, Payload-Oxum, completeness; then our own
profile), and nothing is written unless all of them pass. The import runs in one
transaction; files are written to the storage inside it and deleted again if it fails, so
a refused or failed import changes nothing, in the database or in the storage.

Choices:
- A reference that already exists is refused: an import never merges into or overwrites a
  testimony. The reference is kept, and its year's ReferenceSequence is raised past it so
  that it is never handed out again.
- Users are not in a bag, only their usernames. Each is linked to the user of that
  username here, or to a new inactive account with that username and no usable password
  (it cannot sign in) so that who recorded, verified, submitted and approved stays on
  record and the four-eyes constraints still hold.
- Narrators and consent records keep their number when it is free here (a narrator's
  anonymous name is made of it); a narrator or record shared by several bags is created
  once per import run, so import a narrator's bags together (a folder of bags).
- The import itself is recorded as a "preservation.bag_imported" audit entry; exports leave
  "preservation.*" entries out of a testimony's history, so a re-export equals the bag.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import bagit
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from archive.accounts.models import User
from archive.consent.disclosures import disclosure_changed
from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.preservation.bags import (
    ARCHIVIST,
    AUDIT_FILE,
    BAG_FORMAT,
    BAG_FORMAT_VERSION,
    CONSENT_FILE,
    DUBLIN_CORE_FILE,
    LEVEL_FIELD,
    METADATA_FILE,
    PUBLIC,
    THIS_TESTIMONY,
    BagRefused,
    parse_day,
    parse_decimal,
    parse_moment,
)
from archive.publishing.audit import record_audit
from archive.publishing.models import AuditEntry, Review, Revision
from archive.testimonies.models import (
    REFERENCE_PATTERN,
    Collection,
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Place,
    PlaceName,
    ReferenceSequence,
    Subject,
    SubjectLabel,
    Testimony,
    Transcript,
    TranscriptSegment,
)

# A file a bag's metadata names: a relative path of plain segments, never "..".
SAFE_PATH = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*$")


@dataclass
class LoadedBag:
    """A validated bag and what its JSON files hold."""

    path: Path
    reference: str
    source_organization: str
    metadata: dict[str, Any]
    consent: list[dict[str, Any]]
    audit: list[dict[str, Any]]
    checksums: dict[str, str]  # payload path (without "data/") -> SHA-256

    def file(self, relative: str) -> Path:
        return self.path / "data" / relative


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def find_bags(source: Path) -> list[Path]:
    """SOURCE is one bag, or a folder of bags."""
    if not source.is_dir():
        raise BagRefused(f"{source} is not a folder.")
    if (source / "bagit.txt").is_file():
        return [source]
    bags = sorted(child for child in source.iterdir() if (child / "bagit.txt").is_file())
    if not bags:
        raise BagRefused(f"{source} is neither a bag nor a folder of bags.")
    return bags


def validate_bag(path: Path) -> LoadedBag:
    """bagit's validation (checksums of payload and tag files, Payload-Oxum, missing and
    unlisted files), then this archive's profile. Raises BagRefused naming the problem."""
    try:
        bag = bagit.Bag(str(path))
        bag.validate(processes=1)
    except bagit.BagValidationError as error:
        problems = [str(detail) for detail in error.details] or _completeness(bag, path)
        details = "; ".join(problems[:5])
        raise BagRefused(
            f"{path.name} is not a valid bag: {error.message}"
            + (f" ({details})" if details else "")
        ) from None
    except bagit.BagError as error:
        raise BagRefused(f"{path.name} is not a valid bag: {error}") from None
    # Without a tag manifest, bag-info.txt and the manifests could be changed unseen.
    if "sha256" not in bag.algorithms or not (path / "tagmanifest-sha256.txt").is_file():
        raise BagRefused(f"{path.name} lacks a SHA-256 manifest and tag manifest.")
    return check_profile(bag, path)


def _completeness(bag: bagit.Bag, path: Path) -> list[str]:
    """Which files are missing or unlisted: bagit stops at the Payload-Oxum count first,
    without naming them."""
    listed = {name for name in bag.entries if name.startswith("data/")}
    missing = [f"{name} is missing" for name in sorted(listed) if not (path / name).is_file()]
    on_disk = set(bag.payload_files())
    unlisted = [f"{name} is not in the manifest" for name in sorted(on_disk - listed)]
    return missing + unlisted


def _one(info: dict[str, Any], name: str) -> str:
    value = info.get(name)
    if isinstance(value, list):
        raise BagRefused(f"bag-info.txt gives {name} more than once.")
    return str(value or "")


def check_profile(bag: bagit.Bag, path: Path) -> LoadedBag:
    def refuse(problem: str) -> BagRefused:
        return BagRefused(f"{path.name}: {problem}")

    level = _one(bag.info, LEVEL_FIELD)
    if level == PUBLIC:
        raise refuse(
            "this is a public bag; it holds only what the public may see and cannot restore "
            "a testimony. Import an archivist bag."
        )
    checksums = {
        name.removeprefix("data/"): digests["sha256"]
        for name, digests in bag.entries.items()
        if name.startswith("data/")
    }
    for required in (METADATA_FILE, DUBLIN_CORE_FILE, CONSENT_FILE, AUDIT_FILE):
        if required not in checksums:
            raise refuse(f"data/{required} is missing.")

    def read_json(relative: str) -> Any:
        try:
            return json.loads((path / "data" / relative).read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise refuse(f"data/{relative} is not valid JSON ({error}).") from None

    metadata = read_json(METADATA_FILE)
    if not isinstance(metadata, dict) or metadata.get("format") != BAG_FORMAT:
        raise refuse(f"data/{METADATA_FILE} is not a {BAG_FORMAT} description.")
    if metadata.get("format_version") != BAG_FORMAT_VERSION:
        raise refuse(
            f"format version {metadata.get('format_version')!r} is not supported "
            f"(this archive reads version {BAG_FORMAT_VERSION})."
        )
    if metadata.get("level") != ARCHIVIST or level != ARCHIVIST:
        raise refuse("only archivist bags can be imported.")
    consent, audit = read_json(CONSENT_FILE), read_json(AUDIT_FILE)
    try:
        testimony = metadata["testimony"]
        reference = testimony["reference"]
        named = _named_files(metadata, consent)
        media_sums = {m["file"]: m["sha256"] for m in metadata["media"] if m["file"]}
        if not isinstance(audit, list):
            raise TypeError("audit.json is not a list")
    except (KeyError, TypeError, AttributeError) as error:
        raise refuse(f"the metadata is incomplete or malformed ({error!r}).") from None
    if not isinstance(reference, str) or not re.match(REFERENCE_PATTERN, reference):
        raise refuse(f"{reference!r} is not a testimony reference.")
    if _one(bag.info, "External-Identifier") != reference:
        raise refuse("bag-info.txt's External-Identifier differs from the metadata's reference.")
    for name in named:
        if not SAFE_PATH.match(name) or name not in checksums:
            raise refuse(f"the metadata names data/{name}, which the bag's manifest lacks.")
    unexpected = (
        set(checksums) - named - {METADATA_FILE, DUBLIN_CORE_FILE, CONSENT_FILE, AUDIT_FILE}
    )
    if unexpected:
        raise refuse(f"unexpected file(s) in the payload: {', '.join(sorted(unexpected))}.")
    for name, sha256 in media_sums.items():
        if checksums[name] != sha256:
            raise refuse(f"data/{name} is not the file the metadata describes (SHA-256 differs).")
    return LoadedBag(
        path=path,
        reference=reference,
        source_organization=_one(bag.info, "Source-Organization"),
        metadata=metadata,
        consent=consent,
        audit=audit,
        checksums=checksums,
    )


def _named_files(metadata: dict[str, Any], consent: list[dict[str, Any]]) -> set[str]:
    named: set[str] = set()
    for transcript in metadata["transcripts"]:
        named.add(transcript["file"])
        if transcript["segments_file"]:
            named.add(transcript["segments_file"])
    named.update(asset["file"] for asset in metadata["media"] if asset["file"])
    named.update(record["evidence"] for record in consent if record["evidence"])
    return named


class Importer:
    """Creates the rows of validated bags; one instance per import run, inside its
    transaction. Shared rows (users, vocabulary, narrators, consent records) are created
    once per run."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.narrators: dict[int, Narrator] = {}
        self.consents: dict[int, ConsentRecord] = {}
        self.media: dict[tuple[str, str], MediaAsset] = {}  # (reference, key) -> asset
        self.pending_links: list[tuple[ConsentRecord, dict[str, Any], int | None]] = []
        self.written: list[tuple[Any, str]] = []  # (storage, name) to delete on failure
        self.testimony_ids: list[int] = []
        self.notes: list[str] = []
        self.kept_numbers: list[type[Model]] = []

    # Helpers.

    def user(self, username: str | None) -> User | None:
        if username is None:
            return None
        if username not in self.users:
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password=None)
                user.is_active = False
                user.save(update_fields=["is_active"])
                self.notes.append(f"Created the inactive account {username!r} (cannot sign in).")
            self.users[username] = user
        return self.users[username]

    def required_user(self, username: str | None) -> User:
        user = self.user(username)
        if user is None:
            raise ValueError("a record that needs its author names nobody")
        return user

    def store(self, field_file: Any, bag: LoadedBag, relative: str) -> None:
        """Copy a file of the bag into the private storage under a generated name."""
        with bag.file(relative).open("rb") as source:
            field_file.save(Path(relative).name, File(source), save=False)
        self.written.append((field_file.storage, field_file.name))

    def place(self, key: list[str] | None, places: dict[tuple[str, ...], Place]) -> Place | None:
        return None if key is None else places[tuple(key)]

    # The vocabulary: found by natural key, created when missing, never changed.

    def vocabulary(
        self, data: dict[str, Any]
    ) -> tuple[dict[Any, Place], dict[str, Subject], dict[str, Collection]]:
        places: dict[tuple[str, ...], Place] = {}
        for entry in data["places"]:
            key = tuple(entry["key"])
            parent = places[key[:-1]] if len(key) > 1 else None
            place = Place.objects.filter(parent=parent, name=entry["name"]).first()
            if place is None:
                place = Place(
                    parent=parent,
                    name=entry["name"],
                    kind=entry["kind"],
                    latitude=parse_decimal(entry["latitude"]),
                    longitude=parse_decimal(entry["longitude"]),
                    note=entry.get("note", ""),
                )
                place.full_clean(validate_unique=False, validate_constraints=False)
                place.save()
            for name in entry["names"]:
                PlaceName.objects.get_or_create(
                    place=place, name=name["name"], language=name["language"]
                )
            places[key] = place
        subjects: dict[str, Subject] = {}
        for entry in data["subjects"]:
            subject = Subject.objects.filter(label=entry["label"]).first()
            if subject is None:
                broader = subjects[entry["parent"]] if entry["parent"] else None
                subject = Subject.objects.create(
                    label=entry["label"], parent=broader, scope_note=entry["scope_note"]
                )
            for name in entry["labels"]:
                SubjectLabel.objects.get_or_create(
                    subject=subject, name=name["name"], language=name["language"]
                )
            subjects[entry["label"]] = subject
        collections = {}
        for entry in data["collections"]:
            collections[entry["slug"]], _ = Collection.objects.get_or_create(
                slug=entry["slug"],
                defaults={"title": entry["title"], "description": entry["description"]},
            )
        return places, subjects, collections

    def narrator(self, data: dict[str, Any], places: dict[Any, Place]) -> Narrator:
        number = data["number"]
        if number in self.narrators:
            return self.narrators[number]
        narrator = Narrator(
            attribution=data["attribution"],
            pseudonym=data["pseudonym"],
            birth_year=data["birth_year"],
            place_of_origin=self.place(data["place_of_origin"], places),
            occupation=data["occupation"],
        )
        self.keep_number(narrator, number)
        narrator.full_clean(validate_unique=False, validate_constraints=False)
        narrator.save(force_insert=True)
        Narrator.objects.filter(pk=narrator.pk).update(created_at=parse_moment(data["created_at"]))
        identity = data["identity"]
        if identity is not None:
            updated_at = parse_moment(identity.pop("updated_at"))
            NarratorIdentity.objects.create(narrator=narrator, **identity)
            NarratorIdentity.objects.filter(pk=narrator.pk).update(updated_at=updated_at)
        self.narrators[number] = narrator
        return narrator

    def keep_number(self, obj: Model, number: int) -> None:
        """Keep the source's number when it is free here (a narrator's anonymous name and
        a consent record's label are made of it)."""
        model = type(obj)
        if not model._default_manager.filter(pk=number).exists():
            obj.pk = number
            if model not in self.kept_numbers:
                self.kept_numbers.append(model)
        else:
            self.notes.append(
                f"{model._meta.verbose_name} {number} exists here already; "
                "the imported one gets a new number."
            )

    # One testimony.

    def import_bag(self, bag: LoadedBag) -> Testimony:
        meta = bag.metadata
        data = meta["testimony"]
        if Testimony.objects.filter(reference=bag.reference).exists():
            raise BagRefused(
                f"{bag.path.name}: {bag.reference} already exists in this archive; an import "
                "never overwrites a testimony."
            )
        places, subjects, collections = self.vocabulary(meta["vocabulary"])
        narrator = self.narrator(meta["narrator"], places)
        testimony = Testimony(
            reference=bag.reference,
            external_id=data["external_id"],
            title=data["title"],
            summary=data["summary"],
            narrator=narrator,
            interviewer=data["interviewer"],
            recorded_on=parse_day(data["recorded_on"]),
            recorded_precision=data["recorded_precision"],
            recording_place=self.place(data["recording_place"], places),
            period_start_year=data["period_start_year"],
            period_end_year=data["period_end_year"],
            collection=collections[data["collection"]] if data["collection"] else None,
            source=data["source"],
            rights_statement=data["rights_statement"],
            content_notes=data["content_notes"],
            access_level=data["access_level"],
            created_by=self.user(data["created_by"]),
        )
        testimony.full_clean(validate_unique=False, validate_constraints=False)
        testimony.save()  # as a draft first: the live revision does not exist yet
        testimony.places.set([places[tuple(key)] for key in data["places"]])
        testimony.subjects.set([subjects[label] for label in data["subjects"]])
        media = {asset["key"]: self.create_media(testimony, asset, bag) for asset in meta["media"]}
        transcripts = {
            t["language"]: self.create_transcript(testimony, t, media, bag)
            for t in meta["transcripts"]
        }
        ids = Ids(places, subjects, collections, media, transcripts)
        revisions = {
            r["number"]: self.create_revision(testimony, r, ids) for r in meta["revisions"]
        }
        for review in meta["reviews"]:
            self.create_review(testimony, review, revisions)
        live = data["live_revision"]
        Testimony.objects.filter(pk=testimony.pk).update(
            status=data["status"],
            live_revision=revisions[live] if live is not None else None,
            published_at=parse_moment(data["published_at"]),
            withdrawn_at=parse_moment(data["withdrawn_at"]),
            erased_at=parse_moment(data["erased_at"]),
            created_at=parse_moment(data["created_at"]),
            updated_at=parse_moment(data["updated_at"]),
        )
        for record in bag.consent:
            self.consent_record(testimony, narrator, record, bag)
        for entry in bag.audit:
            self.audit_entry(entry, testimony=testimony, object_id=None, revisions=revisions)
        self.reserve_reference(bag.reference)
        record_audit(
            "preservation.bag_imported",
            actor=None,
            obj=testimony,
            data={"bag": bag.path.name, "source_organization": bag.source_organization},
        )
        self.testimony_ids.append(testimony.pk)
        return testimony

    def create_media(
        self, testimony: Testimony, data: dict[str, Any], bag: LoadedBag
    ) -> MediaAsset:
        asset = MediaAsset(
            testimony=testimony,
            kind=data["kind"],
            original_name=data["original_name"],
            mime_type=data["mime_type"],
            size_bytes=data["size_bytes"],
            sha256=data["sha256"],
            duration_seconds=parse_decimal(data["duration_seconds"]),
            caption=data["caption"],
            access_level=data["access_level"],
        )
        if data["file"]:
            self.store(asset.file, bag, data["file"])
        asset.full_clean(validate_unique=False, validate_constraints=False)
        asset.save()
        MediaAsset.objects.filter(pk=asset.pk).update(created_at=parse_moment(data["created_at"]))
        self.media[(testimony.reference, data["key"])] = asset
        return asset

    def create_transcript(
        self,
        testimony: Testimony,
        data: dict[str, Any],
        media: dict[str, MediaAsset],
        bag: LoadedBag,
    ) -> Transcript:
        transcript = Transcript(
            testimony=testimony,
            language=data["language"],
            is_original=data["is_original"],
            translator=data["translator"],
            text=bag.file(data["file"]).read_text(encoding="utf-8"),
        )
        transcript.full_clean(validate_unique=False, validate_constraints=False)
        transcript.save()
        Transcript.objects.filter(pk=transcript.pk).update(
            created_at=parse_moment(data["created_at"]), updated_at=parse_moment(data["updated_at"])
        )
        if data["segments_file"]:
            segments = json.loads(bag.file(data["segments_file"]).read_text(encoding="utf-8"))
            TranscriptSegment.objects.bulk_create(
                TranscriptSegment(
                    transcript=transcript,
                    recording=media[s["recording"]] if s["recording"] else None,
                    position=s["position"],
                    start_seconds=Decimal(s["start_seconds"]),
                    end_seconds=parse_decimal(s["end_seconds"]),
                    text=s["text"],
                )
                for s in segments
            )
        return transcript

    def create_revision(self, testimony: Testimony, data: dict[str, Any], ids: "Ids") -> Revision:
        revision = Revision.objects.create(
            testimony=testimony,
            number=data["number"],
            content=ids.local_content(data["content"]),
            created_by=self.user(data["created_by"]),
        )
        # Revisions refuse save() once created; a queryset update of the creation time
        # restores the original moment, as part of creating it.
        Revision.objects.filter(pk=revision.pk).update(created_at=parse_moment(data["created_at"]))
        return revision

    def create_review(
        self, testimony: Testimony, data: dict[str, Any], revisions: dict[int, Revision]
    ) -> None:
        review = Review.objects.create(
            testimony=testimony,
            revision=revisions[data["revision"]],
            submitted_by=self.required_user(data["submitted_by"]),
            submission_comment=data["submission_comment"],
            decision=data["decision"],
            decided_by=self.user(data["decided_by"]),
            decided_at=parse_moment(data["decided_at"]),
            comment=data["comment"],
            publish_at=parse_moment(data["publish_at"]),
        )
        Review.objects.filter(pk=review.pk).update(submitted_at=parse_moment(data["submitted_at"]))

    def consent_record(
        self, testimony: Testimony, narrator: Narrator, data: dict[str, Any], bag: LoadedBag
    ) -> None:
        number = data["number"]
        record = self.consents.get(number)
        if record is None:
            record = ConsentRecord(
                narrator=narrator,
                given_on=date.fromisoformat(data["given_on"]),
                method=data["method"],
                obtained_by=data["obtained_by"],
                oral_consent_at_seconds=parse_decimal(data["oral_consent_at_seconds"]),
                form_version=data["form_version"],
                form_language=data["form_language"],
                interpreter=data["interpreter"],
                narrator_is_minor=data["narrator_is_minor"],
                guardian=data["guardian"],
                embargo_until=parse_day(data["embargo_until"]),
                review_on=parse_day(data["review_on"]),
                embargo_lifted_at=parse_moment(data["embargo_lifted_at"]),
                recorded_by=self.required_user(data["recorded_by"]),
                verified_by=self.user(data["verified_by"]),
                verified_at=parse_moment(data["verified_at"]),
                withdrawn_at=parse_moment(data["withdrawn_at"]),
                withdrawal_scope=data["withdrawal_scope"],
                withdrawal_recorded_by=self.user(data["withdrawal_recorded_by"]),
                withdrawal_note=data["withdrawal_note"],
                **{flag: bool(data[flag]) for flag in SCOPE_FLAGS},
            )
            if data["evidence"]:
                self.store(record.evidence, bag, data["evidence"])
            self.keep_number(record, number)
            record.clean_fields()
            record.save(force_insert=True)
            ConsentRecord.objects.filter(pk=record.pk).update(
                recorded_at=parse_moment(data["recorded_at"])
            )
            for entry in data["history"]:
                self.audit_entry(entry, testimony=None, object_id=str(record.pk), revisions={})
            self.consents[number] = record
            self.pending_links.append((record, data, data["supersedes"]))
        record.testimonies.add(testimony)

    def audit_entry(
        self,
        data: dict[str, Any],
        *,
        testimony: Testimony | None,
        object_id: str | None,
        revisions: dict[int, Revision],
    ) -> None:
        if object_id is None:
            object_id = data["object_id"]
            if object_id == THIS_TESTIMONY and testimony is not None:
                object_id = str(testimony.pk)
        entry = AuditEntry.objects.create(
            action=data["action"],
            actor=self.user(data["actor"]),
            object_type=data["object_type"],
            object_id=object_id,
            object_repr=data["object_repr"],
            testimony=testimony,
            revision=revisions[data["revision"]] if data["revision"] is not None else None,
            data=data["data"],
            ip_address=data["ip_address"],
        )
        # The log refuses changes through its own manager; restoring the time the entry
        # was first written is part of creating it, so the plain base manager does it.
        AuditEntry._base_manager.filter(pk=entry.pk).update(
            created_at=parse_moment(data["created_at"])
        )

    def reserve_reference(self, reference: str) -> None:
        year, number = int(reference[3:7]), int(reference[8:])
        sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
        if sequence.last_number < number:
            ReferenceSequence.objects.filter(year=year).update(last_number=number)

    # After every bag of the run.

    def link_consent_records(self) -> None:
        """Links between records and to recordings of other testimonies, which may have
        come in a later bag of the run."""
        for record, data, supersedes in self.pending_links:
            fields: dict[str, Any] = {}
            if supersedes is not None and supersedes in self.consents:
                fields["supersedes"] = self.consents[supersedes]
            recording = data["oral_consent_recording"]
            if recording is not None:
                asset = self.media.get((recording["reference"], recording["media"]))
                if asset is None:
                    self.notes.append(
                        f"Consent record {record.pk}: its oral consent recording is in "
                        f"{recording['reference']}, which was not imported with it."
                    )
                else:
                    fields["oral_consent_recording"] = asset
            if fields:
                ConsentRecord.objects.filter(pk=record.pk).update(**fields)

    def reset_sequences(self) -> None:
        """Rows inserted with their own numbers do not advance PostgreSQL's sequences."""
        if not self.kept_numbers:
            return
        statements = connection.ops.sequence_reset_sql(no_style(), self.kept_numbers)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    def delete_written_files(self) -> None:
        for storage, name in self.written:
            storage.delete(name)


@dataclass
class Ids:
    """This archive's ids for the keys a bag uses."""

    places: dict[Any, Place]
    subjects: dict[str, Subject]
    collections: dict[str, Collection]
    media: dict[str, MediaAsset]
    transcripts: dict[str, Transcript]

    def local_content(self, content: dict[str, Any]) -> dict[str, Any]:
        """A revision's content with the bag's keys turned back into ids (sorted as a
        snapshot sorts them, so an unchanged testimony still equals its live revision)."""
        local = dict(content)

        def pk_of(
            table: dict[Any, Any], key: Any, make_key: Callable[[Any], Any] = lambda k: k
        ) -> int | None:
            if key is None:
                return None
            obj = table.get(make_key(key))
            return obj.pk if obj is not None else None

        if "recording_place" in content:
            local["recording_place"] = pk_of(self.places, content["recording_place"], tuple)
        if "collection" in content:
            local["collection"] = pk_of(self.collections, content["collection"])
        if "places" in content:
            local["places"] = sorted(
                pk for key in content["places"] if (pk := pk_of(self.places, key, tuple))
            )
        if "subjects" in content:
            local["subjects"] = sorted(
                pk for key in content["subjects"] if (pk := pk_of(self.subjects, key))
            )
        local["transcripts"] = [
            {
                **transcript,
                "id": pk_of(self.transcripts, transcript["id"]),
                "segments": [
                    {**segment, "recording": pk_of(self.media, segment["recording"])}
                    for segment in transcript["segments"]
                ],
            }
            for transcript in content.get("transcripts", [])
        ]
        local["media"] = [
            {**asset, "id": pk_of(self.media, asset["id"])} for asset in content.get("media", [])
        ]
        return local


def import_bags(source: Path) -> ImportReport:
    """Validate every bag under `source`, then import them all in one transaction, or
    nothing. Raises BagRefused with the reason."""
    bags = [validate_bag(path) for path in find_bags(source)]
    references = [bag.reference for bag in bags]
    if len(set(references)) != len(references):
        raise BagRefused("Two bags hold the same testimony; import one of them.")
    importer = Importer()
    try:
        with transaction.atomic():
            for bag in sorted(bags, key=lambda bag: bag.reference):
                try:
                    importer.import_bag(bag)
                except (KeyError, TypeError, ValueError, AttributeError) as error:
                    raise BagRefused(
                        f"{bag.path.name}: the metadata is incomplete or malformed ({error!r})."
                    ) from None
                except ValidationError as error:
                    raise BagRefused(f"{bag.path.name}: invalid data ({error.messages}).") from None
                except DatabaseError as error:
                    raise BagRefused(
                        f"{bag.path.name}: the data breaks a rule ({error})."
                    ) from None
            importer.link_consent_records()
            importer.reset_sequences()
            disclosure_changed(importer.testimony_ids)
    except BaseException:
        importer.delete_written_files()
        raise
    return ImportReport(imported=sorted(references), notes=importer.notes)
