"""Writing a testimony as a BagIt bag (the layout is described in bags.py)."""

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import bagit
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.consent.policy import Audience, disclosed_content, disclosure_for
from archive.lib.storage import iter_stored_chunks
from archive.preservation.bags import (
    ARCHIVIST,
    AUDIT_FILE,
    BAG_FORMAT,
    BAG_FORMAT_VERSION,
    CHECKSUMS,
    CONSENT_FILE,
    DUBLIN_CORE_FILE,
    LEVEL_FIELD,
    METADATA_FILE,
    PROFILE_FIELD,
    PUBLIC,
    THIS_TESTIMONY,
    BagRefused,
    day,
    decimal_text,
    json_bytes,
    moment,
    profile_name,
    write_payload,
)
from archive.public import dublin_core as dc
from archive.publishing.audit import record_audit
from archive.publishing.models import AuditEntry, Review
from archive.publishing.snapshots import build_snapshot
from archive.testimonies.models import (
    Collection,
    MediaAsset,
    Narrator,
    Place,
    Subject,
    Testimony,
    Transcript,
)


@dataclass(frozen=True)
class ExportedBag:
    reference: str
    path: Path


@dataclass
class ExportReport:
    bags: list[ExportedBag] = field(default_factory=list)
    # References left out of a public export, and why.
    skipped: list[str] = field(default_factory=list)


def username(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def stored_suffix(name: str) -> str:
    """The extension of a generated storage name (already restricted to [a-z0-9]{1,5})."""
    return PurePath(name).suffix.lower()


def copy_stored_file(file: FieldFile, target: Path) -> None:
    """Stream a stored file into the bag: recordings can be gigabytes, never read whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter_stored_chunks(file):
            out.write(chunk)


class Vocabulary:
    """The places, subjects and collections a bag mentions, by natural key, with every
    ancestor so that an import can rebuild the hierarchy."""

    def __init__(self, *, with_notes: bool) -> None:
        self.with_notes = with_notes
        self.places: dict[int, Place] = {}
        self.subjects: dict[int, Subject] = {}
        self.collections: dict[int, Collection] = {}

    def place(self, pk: int | None) -> list[str] | None:
        if pk is None:
            return None
        place = self.places.get(pk) or Place.objects.filter(pk=pk).first()
        if place is None:
            return None  # deleted since a revision named it
        chain = [place, *place.ancestors()]
        for node in chain:
            self.places[node.pk] = node  # type: ignore[assignment]
        return [node.name for node in reversed(chain)]  # type: ignore[attr-defined]

    def subject(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        subject = self.subjects.get(pk) or Subject.objects.filter(pk=pk).first()
        if subject is None:
            return None
        for node in [subject, *subject.ancestors()]:
            self.subjects[node.pk] = node  # type: ignore[assignment]
        return subject.label

    def collection(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        collection = self.collections.get(pk) or Collection.objects.filter(pk=pk).first()
        if collection is None:
            return None
        self.collections[pk] = collection
        return collection.slug

    def place_keys(self, pks: Iterable[int]) -> list[list[str]]:
        return sorted(key for key in (self.place(pk) for pk in pks) if key is not None)

    def subject_keys(self, pks: Iterable[int]) -> list[str]:
        return sorted(key for key in (self.subject(pk) for pk in pks) if key is not None)

    def as_json(self) -> dict[str, Any]:
        places = []
        for place in list(self.places.values()):
            key = self.place(place.pk)
            entry = {
                "key": key,
                "name": place.name,
                "kind": place.kind,
                "latitude": decimal_text(place.latitude),
                "longitude": decimal_text(place.longitude),
                "names": _sorted_names(
                    {"name": n.name, "language": n.language} for n in place.names.all()
                ),
            }
            if self.with_notes:
                entry["note"] = place.note
            places.append(entry)
        subjects = [
            {
                "label": subject.label,
                "parent": self.subject(subject.parent_id),
                "scope_note": subject.scope_note,
                "depth": len(subject.ancestors()),
                "labels": _sorted_names(
                    {"name": n.name, "language": n.language} for n in subject.labels.all()
                ),
            }
            for subject in list(self.subjects.values())
        ]
        collections = [
            {"slug": c.slug, "title": c.title, "description": c.description}
            for c in self.collections.values()
        ]
        return {
            # Parents before children, so an import creates them in this order.
            "places": sorted(places, key=lambda p: (len(p["key"]), p["key"])),
            "subjects": sorted(subjects, key=lambda s: (s["depth"], s["label"])),
            "collections": sorted(collections, key=lambda c: c["slug"]),
        }


def _sorted_names(names: Iterable[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(names, key=lambda n: (n["language"], n["name"]))


def media_keys(assets: Iterable[MediaAsset]) -> dict[int, str]:
    """Keys numbered in order of creation: the same in the source and after an import."""
    return {asset.pk: f"{number:03d}" for number, asset in enumerate(assets, start=1)}


def media_file_name(key: str, asset: MediaAsset) -> str:
    return f"media/{key}-{asset.kind}{stored_suffix(str(asset.file.name))}"


def portable_content(
    content: dict[str, Any],
    vocabulary: Vocabulary,
    media: dict[int, str],
    transcript_languages: dict[int, str],
) -> dict[str, Any]:
    """A revision's content with every database id replaced by its key in the bag."""
    portable = dict(content)
    if "recording_place" in content:
        portable["recording_place"] = vocabulary.place(content["recording_place"])
    if "collection" in content:
        portable["collection"] = vocabulary.collection(content["collection"])
    if "places" in content:
        portable["places"] = vocabulary.place_keys(content["places"])
    if "subjects" in content:
        portable["subjects"] = vocabulary.subject_keys(content["subjects"])
    portable["transcripts"] = [
        {
            **transcript,
            "id": transcript_languages.get(transcript.get("id")),
            "segments": [
                {**segment, "recording": media.get(segment.get("recording"))}
                for segment in transcript.get("segments", [])
            ],
        }
        for transcript in content.get("transcripts", [])
    ]
    portable["media"] = [
        {**asset, "id": media.get(asset.get("id"))} for asset in content.get("media", [])
    ]
    return portable


class BagWriter:
    """Writes one testimony's payload into a folder, then makes it a bag."""

    def __init__(self, testimony: Testimony, root: Path, *, level: str) -> None:
        self.testimony = testimony
        self.root = root
        self.level = level
        self.vocabulary = Vocabulary(with_notes=level == ARCHIVIST)

    def write(self, relative: str, content: bytes) -> None:
        write_payload(self.root, relative, content)

    # Archivist level: everything.

    def write_archivist(self) -> None:
        testimony = self.testimony
        assets = list(testimony.media.order_by("pk"))
        keys = media_keys(assets)
        transcripts = list(testimony.transcripts.order_by("-is_original", "language"))
        languages = {transcript.pk: transcript.language for transcript in transcripts}
        revisions = list(testimony.revisions.select_related("created_by").order_by("number"))
        numbers = {revision.pk: revision.number for revision in revisions}
        metadata = {
            "format": BAG_FORMAT,
            "format_version": BAG_FORMAT_VERSION,
            "level": ARCHIVIST,
            "testimony": self.testimony_fields(numbers),
            "narrator": self.narrator_fields(testimony.narrator, with_identity=True),
            "transcripts": [self.write_transcript(t, keys) for t in transcripts],
            "media": [self.write_media(asset, keys[asset.pk]) for asset in assets],
            "revisions": [
                {
                    "number": revision.number,
                    "content": portable_content(revision.content, self.vocabulary, keys, languages),
                    "created_by": username(revision.created_by),
                    "created_at": moment(revision.created_at),
                }
                for revision in revisions
            ],
            "reviews": [self.review_fields(review, numbers) for review in self.reviews()],
        }
        metadata["vocabulary"] = self.vocabulary.as_json()
        self.write(METADATA_FILE, json_bytes(metadata))
        working_copy = {
            **build_snapshot(self.testimony),
            "reference": self.testimony.reference,
            "narrator_name": self.testimony.narrator.attributed_name,
        }
        self.write(DUBLIN_CORE_FILE, dublin_core_document(working_copy))
        self.write(CONSENT_FILE, json_bytes(self.consent_records()))
        self.write(AUDIT_FILE, json_bytes(self.audit_history(numbers)))

    def testimony_fields(self, revision_numbers: dict[int, int]) -> dict[str, Any]:
        t = self.testimony
        return {
            "reference": t.reference,
            "external_id": t.external_id,
            "title": t.title,
            "summary": t.summary,
            "interviewer": t.interviewer,
            "recorded_on": day(t.recorded_on),
            "recorded_precision": t.recorded_precision,
            "recording_place": self.vocabulary.place(t.recording_place_id),
            "period_start_year": t.period_start_year,
            "period_end_year": t.period_end_year,
            "places": self.vocabulary.place_keys(t.places.values_list("pk", flat=True)),
            "subjects": self.vocabulary.subject_keys(t.subjects.values_list("pk", flat=True)),
            "collection": self.vocabulary.collection(t.collection_id),
            "source": t.source,
            "rights_statement": t.rights_statement,
            "content_notes": t.content_notes,
            "access_level": t.access_level,
            "status": t.status,
            "live_revision": revision_numbers.get(t.live_revision_id)
            if t.live_revision_id
            else None,
            "published_at": moment(t.published_at),
            "withdrawn_at": moment(t.withdrawn_at),
            "erased_at": moment(t.erased_at),
            "created_by": username(t.created_by),
            "created_at": moment(t.created_at),
            "updated_at": moment(t.updated_at),
        }

    def narrator_fields(self, narrator: Narrator, *, with_identity: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "number": narrator.pk,
            "attribution": narrator.attribution,
            "pseudonym": narrator.pseudonym,
            "birth_year": narrator.birth_year,
            "place_of_origin": self.vocabulary.place(narrator.place_of_origin_id),
            "occupation": narrator.occupation,
            "created_at": moment(narrator.created_at),
            "identity": None,
        }
        identity = narrator.identity_or_none()
        if with_identity and identity is not None:
            fields["identity"] = {
                "given_name": identity.given_name,
                "family_name": identity.family_name,
                "name_in_original_script": identity.name_in_original_script,
                "other_names": identity.other_names,
                "email": identity.email,
                "phone": identity.phone,
                "postal_address": identity.postal_address,
                "notes": identity.notes,
                "updated_at": moment(identity.updated_at),
            }
        return fields

    def write_transcript(self, transcript: Transcript, keys: dict[int, str]) -> dict[str, Any]:
        text_file = f"transcripts/{transcript.language}.txt"
        self.write(text_file, transcript.text.encode())
        segments = [
            {
                "position": segment.position,
                "start_seconds": decimal_text(segment.start_seconds),
                "end_seconds": decimal_text(segment.end_seconds),
                "recording": keys.get(segment.recording_id) if segment.recording_id else None,
                "text": segment.text,
            }
            for segment in transcript.segments.order_by("position")
        ]
        segments_file = None
        if segments:
            segments_file = f"transcripts/{transcript.language}.segments.json"
            self.write(segments_file, json_bytes(segments))
        return {
            "language": transcript.language,
            "is_original": transcript.is_original,
            "translator": transcript.translator,
            "file": text_file,
            "segments_file": segments_file,
            "created_at": moment(transcript.created_at),
            "updated_at": moment(transcript.updated_at),
        }

    def write_media(self, asset: MediaAsset, key: str) -> dict[str, Any]:
        name = media_file_name(key, asset) if asset.file else None
        if name is not None:
            try:
                copy_stored_file(asset.file, self.root / name)
            except FileNotFoundError:
                raise BagRefused(
                    f"{self.testimony.reference}: media #{asset.pk} ({asset.file.name}) is "
                    "missing from the storage; run check_fixity and restore it first."
                ) from None
        return {
            "key": key,
            "file": name,
            "kind": asset.kind,
            "original_name": asset.original_name,
            "mime_type": asset.mime_type,
            "size_bytes": asset.size_bytes,
            "sha256": asset.sha256,
            "duration_seconds": decimal_text(asset.duration_seconds),
            "caption": asset.caption,
            "access_level": asset.access_level,
            "created_at": moment(asset.created_at),
        }

    def reviews(self) -> list[Review]:
        return list(
            self.testimony.reviews.select_related("submitted_by", "decided_by").order_by(
                "submitted_at", "pk"
            )
        )

    def review_fields(self, review: Review, numbers: dict[int, int]) -> dict[str, Any]:
        return {
            "revision": numbers[review.revision_id],
            "submitted_by": username(review.submitted_by),
            "submitted_at": moment(review.submitted_at),
            "submission_comment": review.submission_comment,
            "decision": review.decision,
            "decided_by": username(review.decided_by),
            "decided_at": moment(review.decided_at),
            "comment": review.comment,
            "publish_at": moment(review.publish_at),
        }

    def consent_records(self) -> list[dict[str, Any]]:
        records = list(
            self.testimony.consent_records.select_related(
                "recorded_by", "verified_by", "withdrawal_recorded_by", "oral_consent_recording"
            )
            .prefetch_related("testimonies")
            .order_by("pk")
        )
        in_bag = {record.pk for record in records}
        return [self.consent_fields(record, in_bag) for record in records]

    def consent_fields(self, record: ConsentRecord, in_bag: set[int]) -> dict[str, Any]:
        evidence = None
        if record.evidence:
            evidence = f"consent/evidence/{record.pk}{stored_suffix(str(record.evidence.name))}"
            try:
                copy_stored_file(record.evidence, self.root / evidence)
            except FileNotFoundError:
                raise BagRefused(
                    f"{self.testimony.reference}: the evidence of consent record #{record.pk} "
                    "is missing from the storage."
                ) from None
        fields: dict[str, Any] = {
            "number": record.pk,
            # A superseded record outside this bag does not count for this testimony anyway.
            "supersedes": record.supersedes_id if record.supersedes_id in in_bag else None,
            "testimonies": sorted(t.reference for t in record.testimonies.all()),
            "given_on": day(record.given_on),
            "method": record.method,
            "obtained_by": record.obtained_by,
            "oral_consent_recording": self.recording_key(record.oral_consent_recording),
            "oral_consent_at_seconds": decimal_text(record.oral_consent_at_seconds),
            "evidence": evidence,
            "form_version": record.form_version,
            "form_language": record.form_language,
            "interpreter": record.interpreter,
            "narrator_is_minor": record.narrator_is_minor,
            "guardian": record.guardian,
            "embargo_until": day(record.embargo_until),
            "review_on": day(record.review_on),
            "embargo_lifted_at": moment(record.embargo_lifted_at),
            "recorded_by": username(record.recorded_by),
            "recorded_at": moment(record.recorded_at),
            "verified_by": username(record.verified_by),
            "verified_at": moment(record.verified_at),
            "withdrawn_at": moment(record.withdrawn_at),
            "withdrawal_scope": record.withdrawal_scope,
            "withdrawal_recorded_by": username(record.withdrawal_recorded_by),
            "withdrawal_note": record.withdrawal_note,
            "history": [
                audit_fields(entry, testimony_pk=None, revision_numbers={})
                for entry in AuditEntry.objects.filter(
                    object_type=record._meta.label_lower, object_id=str(record.pk)
                )
                .select_related("actor")
                .order_by("created_at", "pk")
            ],
        }
        for flag in SCOPE_FLAGS:
            fields[flag] = getattr(record, flag)
        return fields

    @staticmethod
    def recording_key(asset: MediaAsset | None) -> dict[str, str] | None:
        """The recording of an oral consent, which may belong to another testimony of the
        same narrator: that testimony's reference and the asset's key in its bag."""
        if asset is None:
            return None
        siblings = asset.testimony.media.order_by("pk")
        keys = media_keys(siblings)
        return {"reference": asset.testimony.reference, "media": keys[asset.pk]}

    def audit_history(self, revision_numbers: dict[int, int]) -> list[dict[str, Any]]:
        # The archive's own handling of bags (exports, imports) is not the testimony's
        # history: leaving it out keeps a re-exported bag identical to the one imported.
        entries = (
            AuditEntry.objects.filter(testimony_id=self.testimony.pk)
            .exclude(action__startswith="preservation.")
            .select_related("actor")
            .order_by("created_at", "pk")
        )
        return [
            audit_fields(entry, testimony_pk=self.testimony.pk, revision_numbers=revision_numbers)
            for entry in entries
        ]

    # Public level: the live revision as the public may see it, nothing else.

    def write_public(self) -> None:
        testimony = self.testimony
        disclosure = disclosure_for(testimony)
        content = disclosed_content(testimony, Audience.PUBLIC, disclosure=disclosure)
        if content is None:
            raise BagRefused(
                f"{testimony.reference} is not public: a public bag holds only what the "
                "public may see."
            )
        assets = {asset.pk: asset for asset in testimony.media.all()}
        shown = [assets[item["id"]] for item in content["media"]]
        keys = media_keys(sorted(shown, key=lambda asset: asset.pk))
        media = []
        for item in content["media"]:
            asset = assets[item["id"]]
            media.append(
                {
                    "key": keys[asset.pk],
                    "file": self.write_public_media(asset, keys[asset.pk]),
                    "kind": item["kind"],
                    "mime_type": item["mime_type"],
                    "sha256": item["sha256"],
                    "duration_seconds": item["duration_seconds"],
                    "caption": item["caption"],
                }
            )
        transcripts = []
        for transcript in content["transcripts"]:
            text_file = f"transcripts/{transcript['language']}.txt"
            self.write(text_file, transcript["text"].encode())
            segments = [
                {**segment, "recording": keys.get(segment["recording"])}
                for segment in transcript.get("segments", [])
            ]
            segments_file = None
            if segments:
                segments_file = f"transcripts/{transcript['language']}.segments.json"
                self.write(segments_file, json_bytes(segments))
            transcripts.append(
                {
                    "language": transcript["language"],
                    "is_original": transcript["is_original"],
                    "translator": transcript["translator"],
                    "file": text_file,
                    "segments_file": segments_file,
                }
            )
        public_testimony = {
            "reference": testimony.reference,
            "title": content["title"],
            "summary": content["summary"],
            "interviewer": content["interviewer"],
            "recorded_on": content["recorded_on"],
            "recorded_precision": content["recorded_precision"],
            "recording_place": self.vocabulary.place(content["recording_place"]),
            "period_start_year": content["period_start_year"],
            "period_end_year": content["period_end_year"],
            "places": self.vocabulary.place_keys(content["places"]),
            "subjects": self.vocabulary.subject_keys(content["subjects"]),
            "collection": self.vocabulary.collection(content["collection"]),
            "source": content["source"],
            "rights_statement": content["rights_statement"],
            "content_notes": content["content_notes"],
            "published_at": moment(testimony.published_at),
        }
        metadata = {
            "format": BAG_FORMAT,
            "format_version": BAG_FORMAT_VERSION,
            "level": PUBLIC,
            "testimony": public_testimony,
            # Only the name the policy gives the public: never the identity behind it.
            "narrator": {"name": content["narrator_name"]},
            "transcripts": transcripts,
            "media": media,
            "vocabulary": self.vocabulary.as_json(),
        }
        self.write(METADATA_FILE, json_bytes(metadata))
        self.write(DUBLIN_CORE_FILE, dublin_core_document(content))

    def write_public_media(self, asset: MediaAsset, key: str) -> str | None:
        if not asset.file:
            return None
        name = media_file_name(key, asset)
        try:
            copy_stored_file(asset.file, self.root / name)
        except FileNotFoundError:
            raise BagRefused(
                f"{self.testimony.reference}: media #{asset.pk} is missing from the storage."
            ) from None
        return name

    def bag_info(self) -> dict[str, str]:
        updated = timezone.localtime(self.testimony.updated_at)
        return {
            "Source-Organization": settings.SITE_NAME,
            "External-Identifier": self.testimony.reference,
            "External-Description": (
                f"Testimony {self.testimony.reference}, {self.level} package"
                + (" (holds private data: archivists only)" if self.level == ARCHIVIST else "")
            ),
            # The testimony's last change, not the day of the export: the same data must
            # give the same bag.
            "Bagging-Date": updated.date().isoformat(),
            PROFILE_FIELD: profile_name(),
            LEVEL_FIELD: self.level,
        }


def audit_fields(
    entry: AuditEntry, *, testimony_pk: int | None, revision_numbers: dict[int, int]
) -> dict[str, Any]:
    object_id = entry.object_id
    if entry.object_type == "testimonies.testimony" and object_id == str(testimony_pk):
        object_id = THIS_TESTIMONY
    return {
        "action": entry.action,
        "actor": username(entry.actor),
        "object_type": entry.object_type,
        "object_id": object_id,
        "object_repr": entry.object_repr,
        "revision": revision_numbers.get(entry.revision_id) if entry.revision_id else None,
        "data": entry.data,
        "ip_address": entry.ip_address,
        "created_at": moment(entry.created_at),
    }


def dublin_core_document(content: dict[str, Any]) -> bytes:
    """The same Dublin Core a harvester gets over OAI-PMH, of `content` (a revision's shape)."""
    return dc.oai_dc_document(dc.dublin_core(content, dc.Vocabulary.for_contents([content])))


def _make_deterministic(bag_dir: Path) -> None:
    """bagit lists tag files in the tag manifest in directory order, which differs from one
    folder to the next; sorted lines describe the same files."""
    for manifest in bag_dir.glob("tagmanifest-*.txt"):
        lines = manifest.read_text(encoding="utf-8").splitlines()
        manifest.write_text("".join(f"{line}\n" for line in sorted(lines)), encoding="utf-8")


def export_bag(testimony: Testimony, destination: Path, *, public: bool = False) -> ExportedBag:
    """Write `testimony` as the bag `destination/<reference>`; refuses to overwrite one.

    A failure leaves no half-written bag behind (it is assembled beside and renamed).
    """
    level = PUBLIC if public else ARCHIVIST
    target = destination / testimony.reference
    if target.exists():
        raise BagRefused(f"{target} already exists; export into an empty folder.")
    destination.mkdir(parents=True, exist_ok=True)
    staging = destination / f".{testimony.reference}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        writer = BagWriter(testimony, staging, level=level)
        if public:
            writer.write_public()
        else:
            writer.write_archivist()
        bagit.make_bag(str(staging), bag_info=writer.bag_info(), checksums=CHECKSUMS)
        _make_deterministic(staging)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if not public:
        # Archivist bags carry identities and consent evidence: who took one stays known.
        record_audit("preservation.bag_exported", actor=None, obj=testimony, data={"level": level})
    return ExportedBag(reference=testimony.reference, path=target)


def export_bags(
    testimonies: Iterable[Testimony], destination: Path, *, public: bool = False
) -> ExportReport:
    """One bag per testimony. In a public export a testimony the public may not see is
    skipped (and named in the report), never written."""
    report = ExportReport()
    for testimony in testimonies:
        if public and disclosed_content(testimony, Audience.PUBLIC) is None:
            report.skipped.append(testimony.reference)
            continue
        report.bags.append(export_bag(testimony, destination, public=public))
    return report


def testimonies_to_export(reference: str | None = None) -> list[Testimony]:
    """The testimony with this reference, or all of them in reference order."""
    testimonies = Testimony.objects.select_related(
        "narrator__identity", "live_revision", "created_by"
    ).order_by("reference")
    if reference is None:
        return list(testimonies)
    found = list(testimonies.filter(reference=reference))
    if not found:
        raise BagRefused(f"No testimony has the reference {reference}.")
    return found
