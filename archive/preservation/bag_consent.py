"""Consent records in an archivist bag (consent/records.json, consent/evidence/): as an
export writes them and an import re-creates them.

A record travels by its number in the source archive (kept by an import when it is free);
one shared by several testimonies is in each of their bags and created once per import
run. Links to another record (supersedes) and to a recording of another testimony of the
same narrator are made once every bag of the run is in.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.audit.models import AuditEntry
from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.preservation.bags import (
    DAY,
    DECIMAL,
    FLAG,
    MOMENT,
    PLAIN,
    BagRefused,
    Fields,
    audit_fields,
    copy_stored_file,
    dump_fields,
    load_fields,
    media_keys,
    stored_suffix,
    username,
)
from archive.testimonies.models import MediaAsset, Narrator, Testimony

if TYPE_CHECKING:
    from archive.preservation.bag_import import Importer
    from archive.preservation.bag_validation import LoadedBag

CONSENT_FIELDS: Fields = {
    "given_on": DAY,
    "method": PLAIN,
    "obtained_by": PLAIN,
    "oral_consent_at_seconds": DECIMAL,
    "form_version": PLAIN,
    "form_language": PLAIN,
    "interpreter": PLAIN,
    "narrator_is_minor": PLAIN,
    "guardian": PLAIN,
    "embargo_until": DAY,
    "review_on": DAY,
    "embargo_lifted_at": MOMENT,
    "verified_at": MOMENT,
    "withdrawn_at": MOMENT,
    "withdrawal_scope": PLAIN,
    "withdrawal_note": PLAIN,
    **dict.fromkeys(SCOPE_FLAGS, FLAG),
}
CONSENT_TIMES: Fields = {"recorded_at": MOMENT}
# A record needs the person who recorded it; the others may be nobody.
CONSENT_USERS = ("recorded_by", "verified_by", "withdrawal_recorded_by")

# Export.


def consent_records(testimony: Testimony, root: Path) -> list[dict[str, Any]]:
    """The testimony's consent records, their evidence copied into the bag at `root`."""
    records = list(
        testimony.consent_records.select_related(
            "recorded_by", "verified_by", "withdrawal_recorded_by", "oral_consent_recording"
        )
        .prefetch_related("testimonies")
        .order_by("pk")
    )
    in_bag = {record.pk for record in records}
    return [consent_fields(record, in_bag, testimony, root) for record in records]


def consent_fields(
    record: ConsentRecord, in_bag: set[int], testimony: Testimony, root: Path
) -> dict[str, Any]:
    evidence = None
    if record.evidence:
        evidence = f"consent/evidence/{record.pk}{stored_suffix(str(record.evidence.name))}"
        try:
            copy_stored_file(record.evidence, root / evidence)
        except FileNotFoundError:
            raise BagRefused(
                f"{testimony.reference}: the evidence of consent record #{record.pk} "
                "is missing from the storage."
            ) from None
    return {
        **dump_fields(record, CONSENT_FIELDS | CONSENT_TIMES),
        **{name: username(getattr(record, name)) for name in CONSENT_USERS},
        "number": record.pk,
        # A superseded record outside this bag does not count for this testimony anyway.
        "supersedes": record.supersedes_id if record.supersedes_id in in_bag else None,
        "testimonies": sorted(t.reference for t in record.testimonies.all()),
        "oral_consent_recording": recording_key(record.oral_consent_recording),
        "evidence": evidence,
        "history": [
            audit_fields(entry, testimony_pk=None, revision_numbers={})
            for entry in AuditEntry.objects.filter(
                object_type=record._meta.label_lower, object_id=str(record.pk)
            )
            .select_related("actor")
            .order_by("created_at", "pk")
        ],
    }


def recording_key(asset: MediaAsset | None) -> dict[str, str] | None:
    """The recording of an oral consent, which may belong to another testimony of the
    same narrator: that testimony's reference and the asset's key in its bag."""
    if asset is None:
        return None
    keys = media_keys(asset.testimony.media.order_by("pk"))
    return {"reference": asset.testimony.reference, "media": keys[asset.pk]}


# Import.


class ConsentImport:
    """The consent records of one import run."""

    def __init__(self, importer: "Importer") -> None:
        self.importer = importer
        self.records: dict[int, ConsentRecord] = {}  # by number in the source archive
        self.pending_links: list[tuple[ConsentRecord, dict[str, Any], int | None]] = []

    def add(
        self, testimony: Testimony, narrator: Narrator, data: dict[str, Any], bag: "LoadedBag"
    ) -> None:
        """Create the record of `data` unless this run already has, and give it `testimony`."""
        number = data["number"]
        record = self.records.get(number)
        if record is None:
            record = self.create(narrator, data, bag)
            self.records[number] = record
            self.pending_links.append((record, data, data["supersedes"]))
        record.testimonies.add(testimony)

    def create(self, narrator: Narrator, data: dict[str, Any], bag: "LoadedBag") -> ConsentRecord:
        importer = self.importer
        record = ConsentRecord(
            narrator=narrator,
            **load_fields(data, CONSENT_FIELDS),
            recorded_by=importer.required_user(data["recorded_by"]),
            verified_by=importer.user(data["verified_by"]),
            withdrawal_recorded_by=importer.user(data["withdrawal_recorded_by"]),
        )
        if data["evidence"]:
            importer.store(record.evidence, bag, data["evidence"])
        importer.keep_number(record, data["number"])
        record.clean_fields()
        record.save(force_insert=True)
        ConsentRecord.objects.filter(pk=record.pk).update(**load_fields(data, CONSENT_TIMES))
        for entry in data["history"]:
            importer.audit_entry(entry, testimony=None, object_id=str(record.pk), revisions={})
        return record

    def link(self, media: dict[tuple[str, str], MediaAsset]) -> None:
        """Links between records and to recordings of other testimonies (`media`, by
        reference and key), which may have come in a later bag of the run."""
        for record, data, supersedes in self.pending_links:
            fields: dict[str, Any] = {}
            if supersedes is not None and supersedes in self.records:
                fields["supersedes"] = self.records[supersedes]
            recording = data["oral_consent_recording"]
            if recording is not None:
                asset = media.get((recording["reference"], recording["media"]))
                if asset is None:
                    self.importer.notes.append(
                        f"Consent record {record.pk}: its oral consent recording is in "
                        f"{recording['reference']}, which was not imported with it."
                    )
                else:
                    fields["oral_consent_recording"] = asset
            if fields:
                ConsentRecord.objects.filter(pk=record.pk).update(**fields)
