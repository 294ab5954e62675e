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
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils import timezone

BAG_FORMAT = "testimony-archive-bag"
BAG_FORMAT_VERSION = 1
ARCHIVIST = "archivist"
PUBLIC = "public"
CHECKSUMS = ["sha256"]

METADATA_FILE = "metadata.json"
DUBLIN_CORE_FILE = "dublin_core.xml"
CONSENT_FILE = "consent/records.json"
AUDIT_FILE = "audit.json"

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
