"""Writing a testimony as a BagIt bag (the layout is described in bags.py)."""

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bagit
from django.conf import settings
from django.utils import timezone

from archive.accounts.audience import Audience
from archive.audit.log import record_audit
from archive.audit.models import AuditEntry
from archive.consent.policy import disclosed_content, disclosure_for
from archive.preservation.bag_consent import consent_records
from archive.preservation.bag_vocabulary import Vocabulary
from archive.preservation.bags import (
    ARCHIVIST,
    AUDIT_FILE,
    BAG_FORMAT,
    BAG_FORMAT_VERSION,
    CHECKSUMS,
    CONSENT_FILE,
    DUBLIN_CORE_FILE,
    IDENTITY_FIELDS,
    IDENTITY_TIMES,
    LEVEL_FIELD,
    MEDIA_FIELDS,
    MEDIA_TIMES,
    METADATA_FILE,
    MOMENT,
    NARRATOR_FIELDS,
    NARRATOR_TIMES,
    PROFILE_FIELD,
    PUBLIC,
    REVIEW_FIELDS,
    REVIEW_TIMES,
    SEGMENT_FIELDS,
    TESTIMONY_FIELDS,
    TESTIMONY_STATE,
    TRANSCRIPT_FIELDS,
    TRANSCRIPT_TIMES,
    BagRefused,
    audit_fields,
    copy_stored_file,
    dump_fields,
    json_bytes,
    media_keys,
    moment,
    profile_name,
    rekeyed_content,
    stored_suffix,
    username,
    write_payload,
)
from archive.public import dublin_core as dc
from archive.publishing.models import Review
from archive.publishing.snapshots import build_snapshot
from archive.testimonies.models import MediaAsset, Narrator, Testimony, Transcript
from archive.testimonies.snapshot_types import DisclosedContent, named_content


@dataclass(frozen=True)
class ExportedBag:
    reference: str
    path: Path


@dataclass
class ExportReport:
    bags: list[ExportedBag] = field(default_factory=list)
    # References left out of a public export, and why.
    skipped: list[str] = field(default_factory=list)


@dataclass
class BagKeys:
    """The keys a bag uses for a revision's ids (export's side of rekeyed_content)."""

    vocabulary: Vocabulary
    assets: dict[int, str]  # media id -> key
    languages: dict[int, str]  # transcript id -> language

    def place(self, pk: int | None) -> list[str] | None:
        return self.vocabulary.place(pk)

    def subject(self, pk: int | None) -> str | None:
        return self.vocabulary.subject(pk)

    def collection(self, pk: int | None) -> str | None:
        return self.vocabulary.collection(pk)

    def transcript(self, pk: int | None) -> str | None:
        return self.languages.get(pk) if pk is not None else None

    def media(self, pk: int | None) -> str | None:
        return self.assets.get(pk) if pk is not None else None


def media_file_name(key: str, asset: MediaAsset) -> str:
    return f"media/{key}-{asset.kind}{stored_suffix(str(asset.file.name))}"


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
        content_keys = BagKeys(self.vocabulary, keys, languages)
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
                    "content": rekeyed_content(revision.snapshot, content_keys, strict=False),
                    "created_by": username(revision.created_by),
                    "created_at": moment(revision.created_at),
                }
                for revision in revisions
            ],
            "reviews": [self.review_fields(review, numbers) for review in self.reviews()],
        }
        metadata["vocabulary"] = self.vocabulary.as_json()
        self.write(METADATA_FILE, json_bytes(metadata))
        working_copy = named_content(
            build_snapshot(self.testimony),
            reference=self.testimony.reference,
            narrator_name=self.testimony.narrator.attributed_name,
        )
        self.write(DUBLIN_CORE_FILE, dublin_core_document(working_copy))
        self.write(CONSENT_FILE, json_bytes(consent_records(self.testimony, self.root)))
        self.write(AUDIT_FILE, json_bytes(self.audit_history(numbers)))

    def testimony_fields(self, revision_numbers: dict[int, int]) -> dict[str, Any]:
        t = self.testimony
        return {
            **dump_fields(t, TESTIMONY_FIELDS | TESTIMONY_STATE),
            "reference": t.reference,
            "recording_place": self.vocabulary.place(t.recording_place_id),
            "places": self.vocabulary.place_keys(t.places.values_list("pk", flat=True)),
            "subjects": self.vocabulary.subject_keys(t.subjects.values_list("pk", flat=True)),
            "collection": self.vocabulary.collection(t.collection_id),
            "live_revision": revision_numbers.get(t.live_revision_id)
            if t.live_revision_id
            else None,
            "created_by": username(t.created_by),
        }

    def narrator_fields(self, narrator: Narrator, *, with_identity: bool) -> dict[str, Any]:
        fields: dict[str, Any] = {
            **dump_fields(narrator, NARRATOR_FIELDS | NARRATOR_TIMES),
            "number": narrator.pk,
            "place_of_origin": self.vocabulary.place(narrator.place_of_origin_id),
            # How they asked to be named is consent: who recorded and verified it goes too.
            "naming_recorded_by": username(narrator.naming_recorded_by),
            "naming_recorded_at": MOMENT.dump(narrator.naming_recorded_at),
            "naming_verified_by": username(narrator.naming_verified_by),
            "naming_verified_at": MOMENT.dump(narrator.naming_verified_at),
            "identity": None,
        }
        identity = narrator.identity_or_none()
        if with_identity and identity is not None:
            fields["identity"] = dump_fields(identity, IDENTITY_FIELDS | IDENTITY_TIMES)
        return fields

    def write_transcript(self, transcript: Transcript, keys: dict[int, str]) -> dict[str, Any]:
        text_file = f"transcripts/{transcript.language}.txt"
        self.write(text_file, transcript.text.encode())
        segments = [
            {
                **dump_fields(segment, SEGMENT_FIELDS),
                "recording": keys.get(segment.recording_id) if segment.recording_id else None,
            }
            for segment in transcript.segments.order_by("position")
        ]
        segments_file = None
        if segments:
            segments_file = f"transcripts/{transcript.language}.segments.json"
            self.write(segments_file, json_bytes(segments))
        return {
            **dump_fields(transcript, TRANSCRIPT_FIELDS | TRANSCRIPT_TIMES),
            "file": text_file,
            "segments_file": segments_file,
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
            **dump_fields(asset, MEDIA_FIELDS | MEDIA_TIMES),
            "key": key,
            "file": name,
        }

    def reviews(self) -> list[Review]:
        return list(
            self.testimony.reviews.select_related("submitted_by", "decided_by").order_by(
                "submitted_at", "pk"
            )
        )

    def review_fields(self, review: Review, numbers: dict[int, int]) -> dict[str, Any]:
        return {
            **dump_fields(review, REVIEW_FIELDS | REVIEW_TIMES),
            "revision": numbers[review.revision_id],
            "submitted_by": username(review.submitted_by),
            "decided_by": username(review.decided_by),
        }

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
                {
                    **segment,
                    "recording": None
                    if segment["recording"] is None
                    else keys.get(segment["recording"]),
                }
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


def dublin_core_document(content: DisclosedContent) -> bytes:
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
