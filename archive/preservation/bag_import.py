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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.db.models import Model

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.audit.models import AuditEntry
from archive.consent.disclosures import disclosure_changed
from archive.lib.untrusted_json import parse_untrusted_json
from archive.preservation.bag_consent import ConsentImport
from archive.preservation.bag_validation import LoadedBag, find_bags, validate_bag
from archive.preservation.bag_vocabulary import LocalVocabulary
from archive.preservation.bags import (
    AUDIT_FIELDS,
    AUDIT_TIMES,
    IDENTITY_FIELDS,
    IDENTITY_TIMES,
    MEDIA_FIELDS,
    MEDIA_TIMES,
    MOMENT,
    NARRATOR_FIELDS,
    NARRATOR_TIMES,
    REVIEW_FIELDS,
    REVIEW_TIMES,
    SEGMENT_FIELDS,
    TESTIMONY_FIELDS,
    TESTIMONY_STATE,
    THIS_TESTIMONY,
    TRANSCRIPT_FIELDS,
    TRANSCRIPT_TIMES,
    BagRefused,
    load_fields,
    parse_moment,
    rekeyed_content,
)
from archive.publishing.models import Review, Revision
from archive.publishing.services import restore_imported_state
from archive.testimonies.models import (
    MediaAsset,
    Narrator,
    NarratorIdentity,
    ReferenceSequence,
    Testimony,
    Transcript,
    TranscriptSegment,
)


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Importer:
    """Creates the rows of validated bags; one instance per import run, inside its
    transaction. Shared rows (users, vocabulary, narrators, consent records) are created
    once per run."""

    def __init__(self) -> None:
        self.users: dict[str, User] = {}
        self.narrators: dict[int, Narrator] = {}
        self.consents = ConsentImport(self)
        self.media: dict[tuple[str, str], MediaAsset] = {}  # (reference, key) -> asset
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

    def narrator(self, data: dict[str, Any], vocabulary: LocalVocabulary) -> Narrator:
        number = data["number"]
        if number in self.narrators:
            return self.narrators[number]
        narrator = Narrator(
            **load_fields(data, NARRATOR_FIELDS),
            place_of_origin=vocabulary.place(data["place_of_origin"]),
        )
        self.keep_number(narrator, number)
        narrator.full_clean(validate_unique=False, validate_constraints=False)
        narrator.save(force_insert=True)
        Narrator.objects.filter(pk=narrator.pk).update(
            **load_fields(data, NARRATOR_TIMES),
            # Bags written before naming was verified carry none: the name waits for an
            # archivist's verification again.
            naming_recorded_by=self.user(data.get("naming_recorded_by")),
            naming_recorded_at=MOMENT.load(data.get("naming_recorded_at")),
            naming_verified_by=self.user(data.get("naming_verified_by")),
            naming_verified_at=MOMENT.load(data.get("naming_verified_at")),
        )
        identity = data["identity"]
        if identity is not None:
            NarratorIdentity.objects.create(
                narrator=narrator, **load_fields(identity, IDENTITY_FIELDS)
            )
            NarratorIdentity.objects.filter(pk=narrator.pk).update(
                **load_fields(identity, IDENTITY_TIMES)
            )
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
        vocabulary = LocalVocabulary.of(meta["vocabulary"])
        narrator = self.narrator(meta["narrator"], vocabulary)
        testimony = Testimony(
            reference=bag.reference,
            narrator=narrator,
            **load_fields(data, TESTIMONY_FIELDS),
            recording_place=vocabulary.place(data["recording_place"]),
            collection=vocabulary.collection(data["collection"]),
            created_by=self.user(data["created_by"]),
        )
        testimony.full_clean(validate_unique=False, validate_constraints=False)
        testimony.save()  # as a draft first: the live revision does not exist yet
        testimony.places.set([vocabulary.places[tuple(key)] for key in data["places"]])
        testimony.subjects.set([vocabulary.subjects[label] for label in data["subjects"]])
        media = {asset["key"]: self.create_media(testimony, asset, bag) for asset in meta["media"]}
        transcripts = {
            t["language"]: self.create_transcript(testimony, t, media, bag)
            for t in meta["transcripts"]
        }
        keys = LocalKeys(vocabulary, media, transcripts)
        revisions = {
            r["number"]: self.create_revision(testimony, r, keys) for r in meta["revisions"]
        }
        for review in meta["reviews"]:
            self.create_review(testimony, review, revisions)
        live = data["live_revision"]
        restore_imported_state(
            testimony,
            state=load_fields(data, TESTIMONY_STATE),
            live_revision=revisions[live] if live is not None else None,
        )
        for record in bag.consent:
            self.consents.add(testimony, narrator, record, bag)
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
        asset = MediaAsset(testimony=testimony, **load_fields(data, MEDIA_FIELDS))
        if data["file"]:
            self.store(asset.file, bag, data["file"])
        asset.full_clean(validate_unique=False, validate_constraints=False)
        asset.save()
        MediaAsset.objects.filter(pk=asset.pk).update(**load_fields(data, MEDIA_TIMES))
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
            **load_fields(data, TRANSCRIPT_FIELDS),
            text=bag.file(data["file"]).read_text(encoding="utf-8"),
        )
        transcript.full_clean(validate_unique=False, validate_constraints=False)
        transcript.save()
        Transcript.objects.filter(pk=transcript.pk).update(**load_fields(data, TRANSCRIPT_TIMES))
        if data["segments_file"]:
            # UntrustedJSONError is a ValueError: the import refuses the bag with it.
            segments = parse_untrusted_json(bag.file(data["segments_file"]).read_bytes())
            TranscriptSegment.objects.bulk_create(
                TranscriptSegment(
                    transcript=transcript,
                    recording=media[s["recording"]] if s["recording"] else None,
                    **load_fields(s, SEGMENT_FIELDS),
                )
                for s in segments
            )
        return transcript

    def create_revision(
        self, testimony: Testimony, data: dict[str, Any], keys: "LocalKeys"
    ) -> Revision:
        revision = Revision.objects.create(
            testimony=testimony,
            number=data["number"],
            content=rekeyed_content(data["content"], keys, strict=True),
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
            **load_fields(data, REVIEW_FIELDS),
            decided_by=self.user(data["decided_by"]),
        )
        Review.objects.filter(pk=review.pk).update(**load_fields(data, REVIEW_TIMES))

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
            **load_fields(data, AUDIT_FIELDS),
            actor=self.user(data["actor"]),
            object_id=object_id,
            testimony=testimony,
            revision=revisions[data["revision"]] if data["revision"] is not None else None,
        )
        # The log refuses changes through its own manager; restoring the time the entry
        # was first written is part of creating it, so the plain base manager does it.
        AuditEntry._base_manager.filter(pk=entry.pk).update(**load_fields(data, AUDIT_TIMES))

    def reserve_reference(self, reference: str) -> None:
        year, number = int(reference[3:7]), int(reference[8:])
        sequence, _ = ReferenceSequence.objects.select_for_update().get_or_create(year=year)
        if sequence.last_number < number:
            ReferenceSequence.objects.filter(year=year).update(last_number=number)

    # After every bag of the run.

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
class LocalKeys:
    """This archive's ids for the keys a bag uses (import's side of rekeyed_content)."""

    vocabulary: LocalVocabulary
    assets: dict[str, MediaAsset]
    transcripts_by_language: dict[str, Transcript]

    def place(self, key: list[str] | None) -> int | None:
        return _pk(self.vocabulary.places.get(tuple(key))) if key is not None else None

    def subject(self, label: str | None) -> int | None:
        return _pk(self.vocabulary.subjects.get(label)) if label is not None else None

    def collection(self, slug: str | None) -> int | None:
        return _pk(self.vocabulary.collections.get(slug)) if slug is not None else None

    def transcript(self, language: str | None) -> int | None:
        return _pk(self.transcripts_by_language.get(language)) if language is not None else None

    def media(self, key: str | None) -> int | None:
        return _pk(self.assets.get(key)) if key is not None else None


def _pk(obj: Model | None) -> int | None:
    return obj.pk if obj is not None else None


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
            importer.consents.link(importer.media)
            importer.reset_sequences()
            disclosure_changed(importer.testimony_ids)
    except BaseException:
        importer.delete_written_files()
        raise
    return ImportReport(imported=sorted(references), notes=importer.notes)
