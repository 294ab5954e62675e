"""Reading and checking an archivist bag before an import: bagit's validation (manifests,
Payload-Oxum, completeness), then this archive's profile (the layout is described in
bags.py). Nothing here writes."""

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from archive.lib.untrusted_json import UntrustedJSONError, parse_untrusted_json
from archive.preservation.bags import (
    ARCHIVIST,
    ARCHIVIST_FILES,
    AUDIT_FILE,
    BAG_FORMAT,
    BAG_FORMAT_VERSION,
    CONSENT_FILE,
    LEVEL_FIELD,
    METADATA_FILE,
    PUBLIC,
    BagRefused,
)
from archive.testimonies.models import REFERENCE_PATTERN

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
    for required in ARCHIVIST_FILES:
        if required not in checksums:
            raise refuse(f"data/{required} is missing.")

    def read_json(relative: str) -> Any:
        try:
            return parse_untrusted_json((path / "data" / relative).read_bytes())
        except UntrustedJSONError as error:
            raise refuse(f"data/{relative} was refused: {error}.") from None

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
    unexpected = set(checksums) - named - set(ARCHIVIST_FILES)
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
