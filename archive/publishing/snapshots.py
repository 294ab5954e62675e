"""A testimony's content frozen as JSON, and the differences between two such snapshots."""

import difflib
from collections.abc import Iterable
from decimal import Decimal

from archive.testimonies.models import (
    MediaAsset,
    Narrator,
    Testimony,
    Transcript,
    TranscriptSegment,
)
from archive.testimonies.snapshot_types import FrozenNarrator, Snapshot

SCALAR_FIELDS = [
    "title",
    "summary",
    "interviewer",
    "recorded_precision",
    "period_start_year",
    "period_end_year",
    "source",
    "rights_statement",
    "content_notes",
    "access_level",
]
RELATED_FIELDS = ["recording_place", "collection"]


def narrator_block(narrator: Narrator) -> FrozenNarrator:
    """The name the public is to see, frozen like the title: a change of attribution,
    pseudonym or name makes the testimony differ from its live revision, so it reaches
    readers only through a new approval. Only the name chosen for display, never the
    identity's other fields (for a pseudonym, the pseudonym alone)."""
    return {
        "id": narrator.pk,
        "attribution": narrator.attribution,
        "name": narrator.attributed_name,
    }


def build_snapshot(testimony: Testimony) -> Snapshot:
    """Everything a revision freezes, read from the database."""
    transcripts = testimony.transcripts.order_by("-is_original", "language")
    return compose_snapshot(
        testimony,
        places=testimony.places.values_list("pk", flat=True),
        subjects=testimony.subjects.values_list("pk", flat=True),
        transcripts=[(t, list(t.segments.order_by("position"))) for t in transcripts],
        media=testimony.media.order_by("pk"),
    )


def compose_snapshot(
    testimony: Testimony,
    *,
    places: Iterable[int],
    subjects: Iterable[int],
    transcripts: Iterable[tuple[Transcript, list[TranscriptSegment]]],
    media: Iterable[MediaAsset],
) -> Snapshot:
    """A snapshot from objects already in hand (bulk writers build thousands at once): the
    fields, the vocabulary links, the transcripts with their segments, and the media
    descriptions (files themselves are referenced by id)."""
    # The keys in the order revisions have always stored them (SCALAR_FIELDS first).
    return {
        "title": testimony.title,
        "summary": testimony.summary,
        "interviewer": testimony.interviewer,
        "recorded_precision": testimony.recorded_precision,
        "period_start_year": testimony.period_start_year,
        "period_end_year": testimony.period_end_year,
        "source": testimony.source,
        "rights_statement": testimony.rights_statement,
        "content_notes": testimony.content_notes,
        "access_level": testimony.access_level,
        "recorded_on": testimony.recorded_on.isoformat() if testimony.recorded_on else None,
        "recording_place": testimony.recording_place_id,
        "collection": testimony.collection_id,
        "narrator": narrator_block(testimony.narrator),
        "places": sorted(places),
        "subjects": sorted(subjects),
        "transcripts": [
            {
                "id": transcript.pk,
                "language": transcript.language,
                "is_original": transcript.is_original,
                "translator": transcript.translator,
                "text": transcript.text,
                "segments": [
                    {
                        "position": segment.position,
                        "start_seconds": str(segment.start_seconds),
                        "end_seconds": _decimal(segment.end_seconds),
                        "recording": segment.recording_id,
                        "text": segment.text,
                    }
                    for segment in segments
                ],
            }
            for transcript, segments in sorted(
                transcripts, key=lambda pair: (not pair[0].is_original, pair[0].language)
            )
        ],
        "media": [
            {
                "id": asset.pk,
                "kind": asset.kind,
                "access_level": asset.access_level,
                "caption": asset.caption,
                "mime_type": asset.mime_type,
                "sha256": asset.sha256,
                "duration_seconds": _decimal(asset.duration_seconds),
            }
            for asset in sorted(media, key=lambda asset: asset.pk)
        ],
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


NAMED = (Narrator.Attribution.FULL_NAME, Narrator.Attribution.GIVEN_NAME_INITIAL)


def _narrator_line(block: FrozenNarrator | None, *, show_names: bool) -> list[str]:
    if block is None:
        return []
    attribution = Narrator.Attribution(block["attribution"])
    if attribution in NAMED and not show_names:
        # A real name stays with archivists, even in a diff a moderator reads.
        return [f"narrator #{block['id']}: {attribution.label.lower()} (shown to archivists)"]
    return [f"narrator #{block['id']}: {attribution.label.lower()}: {block['name']}"]


def _lines(content: Snapshot, *, show_names: bool = False) -> dict[str, list[str]]:
    """Each comparable piece of a snapshot as lines of text, under a label a curator reads."""
    pieces: dict[str, list[str]] = {
        "narrator": _narrator_line(content.get("narrator"), show_names=show_names)
    }
    for name in [*SCALAR_FIELDS, "recorded_on", *RELATED_FIELDS, "places", "subjects"]:
        value = content.get(name)
        pieces[name.replace("_", " ")] = [] if value in (None, "", []) else str(value).splitlines()
    for transcript in content.get("transcripts", []):
        label = f"transcript ({transcript['language']})"
        pieces[label] = transcript["text"].splitlines()
    for asset in content.get("media", []):
        pieces[f"media #{asset['id']}"] = [
            f"{asset['kind']}, {asset['access_level']}, {asset['caption']}",
        ]
    return pieces


def diff_snapshots(
    old: Snapshot, new: Snapshot, *, show_names: bool = False
) -> list[tuple[str, list[str]]]:
    """Per changed piece, a unified diff (without headers) from `old` to `new`; a named
    narrator's name only when `show_names` (for those who may open identities)."""
    before, after = _lines(old, show_names=show_names), _lines(new, show_names=show_names)
    if old.get("narrator") != new.get("narrator") and before["narrator"] == after["narrator"]:
        # Only the hidden name changed: say so without saying it.
        after["narrator"] = [*after["narrator"], "its name changed (shown to archivists)"]
    changes = []
    for label in dict.fromkeys([*before, *after]):
        if before.get(label, []) == after.get(label, []):
            continue
        diff = difflib.unified_diff(before.get(label, []), after.get(label, []), lineterm="", n=1)
        changes.append((label, [line for line in diff if not line.startswith(("---", "+++"))]))
    return changes
