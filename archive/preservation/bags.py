"""BagIt packages (RFC 8493) of testimonies: what export and import share.

One bag per testimony. Its payload (under data/):

- metadata.json: the testimony, its narrator, the vocabulary it uses (places, subjects,
  collection, with their variant names so an import can recreate them), transcripts and
  media (described; the text and files are beside it), revisions with their content, reviews;
- dublin_core.xml: the same testimony in simple Dublin Core;
- transcripts/<language>.txt and transcripts/<language>.segments.json;
- media/<key>-<kind>.<ext>: the recordings and other files;
- consent/records.json and consent/evidence/<number>.<ext> (archivist bags only);
- audit.json: the testimony's audit history (archivist bags only).

An archivist bag holds everything, NarratorIdentity included, and can be imported into
another archive. A public bag (`--public`) holds only what the disclosure policy lets the
public see; it cannot be imported.

Bags are deterministic: the same data gives the same bytes (sorted JSON keys, stable file
names, a Bagging-Date taken from the testimony's last change, no time of the export run), so
that exporting, importing into an empty archive and exporting again gives identical bags.

Database ids never reach a bag: vocabulary entries travel by natural key (a place by the
names of its path from the top of the gazetteer, a subject by its label, a collection by its
slug), media by a key numbered within the bag, revisions by their number. Narrators and
consent records travel by their number in the source archive, which an import keeps when it
is free: a narrator's anonymous name ("Narrator 12") is made of it and is cited.
"""

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, Protocol

from django.db.models.fields.files import FieldFile
from django.utils import timezone

from archive.audit.models import AuditEntry
from archive.lib.storage import iter_stored_chunks
from archive.testimonies.models import MediaAsset

BAG_FORMAT = "testimony-archive-bag"
BAG_FORMAT_VERSION = 1
ARCHIVIST = "archivist"
PUBLIC = "public"
CHECKSUMS = ["sha256"]

METADATA_FILE = "metadata.json"
DUBLIN_CORE_FILE = "dublin_core.xml"
CONSENT_FILE = "consent/records.json"
AUDIT_FILE = "audit.json"
# The JSON and XML files of an archivist bag, beside the transcripts, media and evidence.
ARCHIVIST_FILES = (METADATA_FILE, DUBLIN_CORE_FILE, CONSENT_FILE, AUDIT_FILE)

# bag-info.txt fields of our own, beside the RFC's reserved ones.
PROFILE_FIELD = "Testimony-Archive-Bag-Format"
LEVEL_FIELD = "Testimony-Archive-Bag-Level"

# In an exported audit entry, the object id that stands for the bag's own testimony (whose
# database id differs in every archive).
THIS_TESTIMONY = "@testimony"


class BagRefused(Exception):
    """A bag that cannot be exported or imported, with a message for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def profile_name() -> str:
    return f"{BAG_FORMAT}/{BAG_FORMAT_VERSION}"


def moment(value: datetime | None) -> str | None:
    """A time at full precision, in UTC (DjangoJSONEncoder would cut it to milliseconds,
    and the round trip must give back exactly what was stored)."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat()


def parse_moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    if timezone.is_naive(parsed):
        raise ValueError(f"a time without its time zone: {value}")
    return parsed


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def parse_decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def json_bytes(data: Any) -> bytes:
    """JSON as a bag stores it: sorted keys, indented, the text's own script (not \\u
    escapes), one final newline."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)
    return (text + "\n").encode()


def write_payload(root: Path, relative: str, content: bytes) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def stored_suffix(name: str) -> str:
    """The extension of a generated storage name (already restricted to [a-z0-9]{1,5})."""
    return PurePath(name).suffix.lower()


def copy_stored_file(file: FieldFile, target: Path) -> None:
    """Stream a stored file into the bag: recordings can be gigabytes, never read whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in iter_stored_chunks(file):
            out.write(chunk)


def media_keys(assets: Iterable[MediaAsset]) -> dict[int, str]:
    """Keys numbered in order of creation: the same in the source and after an import."""
    return {asset.pk: f"{number:03d}" for number, asset in enumerate(assets, start=1)}


def username(user: Any) -> str | None:
    """Users are not in a bag, only their usernames."""
    return user.get_username() if user is not None else None


# How a record's fields read in a bag: one table per record, its JSON keys (the model's
# field names) and how each value is written and read back, so that export and import
# cannot drift apart. Links (users, vocabulary, media, revisions) are written beside them.


@dataclass(frozen=True)
class Codec:
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


PLAIN = Codec(_same, _same)
FLAG = Codec(bool, bool)
MOMENT = Codec(moment, parse_moment)
DAY = Codec(day, parse_day)
DECIMAL = Codec(decimal_text, parse_decimal)

Fields = dict[str, Codec]


def dump_fields(obj: Any, fields: Fields) -> dict[str, Any]:
    return {name: codec.dump(getattr(obj, name)) for name, codec in fields.items()}


def load_fields(data: dict[str, Any], fields: Fields) -> dict[str, Any]:
    return {name: codec.load(data[name]) for name, codec in fields.items()}


# Fields given when a row is created, and (*_TIMES) the times the database sets itself,
# which an import restores once the row exists.
TESTIMONY_FIELDS: Fields = {
    "external_id": PLAIN,
    "title": PLAIN,
    "summary": PLAIN,
    "interviewer": PLAIN,
    "recorded_on": DAY,
    "recorded_precision": PLAIN,
    "period_start_year": PLAIN,
    "period_end_year": PLAIN,
    "source": PLAIN,
    "rights_statement": PLAIN,
    "content_notes": PLAIN,
    "access_level": PLAIN,
}
# Set once the revisions exist: a testimony is created as a draft first.
TESTIMONY_STATE: Fields = {
    "status": PLAIN,
    "published_at": MOMENT,
    "withdrawn_at": MOMENT,
    "erased_at": MOMENT,
    "created_at": MOMENT,
    "updated_at": MOMENT,
}
NARRATOR_FIELDS: Fields = {
    "attribution": PLAIN,
    "pseudonym": PLAIN,
    "birth_year": PLAIN,
    "occupation": PLAIN,
}
NARRATOR_TIMES: Fields = {"created_at": MOMENT}
IDENTITY_FIELDS: Fields = {
    "given_name": PLAIN,
    "family_name": PLAIN,
    "name_in_original_script": PLAIN,
    "other_names": PLAIN,
    "email": PLAIN,
    "phone": PLAIN,
    "postal_address": PLAIN,
    "notes": PLAIN,
}
IDENTITY_TIMES: Fields = {"updated_at": MOMENT}
MEDIA_FIELDS: Fields = {
    "kind": PLAIN,
    "original_name": PLAIN,
    "mime_type": PLAIN,
    "size_bytes": PLAIN,
    "sha256": PLAIN,
    "duration_seconds": DECIMAL,
    "caption": PLAIN,
    "access_level": PLAIN,
}
MEDIA_TIMES: Fields = {"created_at": MOMENT}
TRANSCRIPT_FIELDS: Fields = {"language": PLAIN, "is_original": PLAIN, "translator": PLAIN}
TRANSCRIPT_TIMES: Fields = {"created_at": MOMENT, "updated_at": MOMENT}
SEGMENT_FIELDS: Fields = {
    "position": PLAIN,
    "start_seconds": DECIMAL,
    "end_seconds": DECIMAL,
    "text": PLAIN,
}
REVIEW_FIELDS: Fields = {
    "submission_comment": PLAIN,
    "decision": PLAIN,
    "decided_at": MOMENT,
    "comment": PLAIN,
    "publish_at": MOMENT,
}
REVIEW_TIMES: Fields = {"submitted_at": MOMENT}
AUDIT_FIELDS: Fields = {
    "action": PLAIN,
    "object_type": PLAIN,
    "object_repr": PLAIN,
    "data": PLAIN,
    "ip_address": PLAIN,
}
AUDIT_TIMES: Fields = {"created_at": MOMENT}


class ContentKeys(Protocol):
    """One direction of the translation between a revision's ids and a bag's keys."""

    def place(self, value: Any) -> Any: ...
    def subject(self, value: Any) -> Any: ...
    def collection(self, value: Any) -> Any: ...
    def transcript(self, value: Any) -> Any: ...
    def media(self, value: Any) -> Any: ...


def rekeyed_content(
    content: Mapping[str, Any], keys: ContentKeys, *, strict: bool
) -> dict[str, Any]:
    """A revision's content with every link translated by `keys`: database ids to bag keys
    on export, bag keys to this archive's ids on import. Lists of links are sorted (as a
    snapshot sorts them, so an unchanged testimony still equals its live revision) and
    lose the links `keys` does not know (an entry deleted since a revision named it).

    `strict` (import) requires every transcript, segment and asset to carry its link: a
    bag without one is malformed; a revision stored here is read as it is."""

    def link(part: Mapping[str, Any], name: str) -> Any:
        return part[name] if strict else part.get(name)

    def segments_of(transcript: Mapping[str, Any]) -> list[dict[str, Any]]:
        return transcript["segments"] if strict else transcript.get("segments", [])

    def known(values: list[Any]) -> list[Any]:
        return [value for value in values if value is not None]

    rekeyed = dict(content)
    if "recording_place" in content:
        rekeyed["recording_place"] = keys.place(content["recording_place"])
    if "collection" in content:
        rekeyed["collection"] = keys.collection(content["collection"])
    if "places" in content:
        rekeyed["places"] = sorted(known([keys.place(value) for value in content["places"]]))
    if "subjects" in content:
        rekeyed["subjects"] = sorted(known([keys.subject(v) for v in content["subjects"]]))
    rekeyed["transcripts"] = [
        {
            **transcript,
            "id": keys.transcript(link(transcript, "id")),
            "segments": [
                {**segment, "recording": keys.media(link(segment, "recording"))}
                for segment in segments_of(transcript)
            ],
        }
        for transcript in content.get("transcripts", [])
    ]
    rekeyed["media"] = [
        {**asset, "id": keys.media(link(asset, "id"))} for asset in content.get("media", [])
    ]
    return rekeyed


def audit_fields(
    entry: AuditEntry, *, testimony_pk: int | None, revision_numbers: dict[int, int]
) -> dict[str, Any]:
    """An audit entry as a bag holds it (a testimony's history, a consent record's)."""
    object_id = entry.object_id
    if entry.object_type == "testimonies.testimony" and object_id == str(testimony_pk):
        object_id = THIS_TESTIMONY
    return {
        **dump_fields(entry, AUDIT_FIELDS | AUDIT_TIMES),
        "actor": username(entry.actor),
        "object_id": object_id,
        "revision": revision_numbers.get(entry.revision_id) if entry.revision_id else None,
    }
