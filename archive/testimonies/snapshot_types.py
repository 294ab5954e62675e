"""The shape of a testimony's content frozen in a revision (a snapshot), and of the view of
it that the disclosure policy lets an audience see, as TypedDicts so that mypy checks every
key a reader uses.

They live here, below every app that reads them: publishing writes snapshots
(archive/publishing/snapshots.py), the policy reads them (archive/consent/policy.py:
`disclosed_content`), and the search, the public site, the API and the bags read what it
discloses. Links to other rows are their ids; decimals are strings (JSON has no decimals).
"""

from typing import NotRequired, TypedDict, cast


class FrozenNarrator(TypedDict):
    """The name the public is to see, as it was approved (never the identity's other fields)."""

    id: int
    attribution: str
    name: str


class SegmentSnapshot(TypedDict):
    position: int
    start_seconds: str
    end_seconds: str | None
    recording: int | None  # a MediaAsset's id
    text: str


class TranscriptSnapshot(TypedDict):
    id: int
    language: str
    is_original: bool
    translator: str
    text: str
    segments: list[SegmentSnapshot]


class MediaSnapshot(TypedDict):
    """A media file's description (the file itself is referenced by its id)."""

    id: int
    kind: str
    access_level: str
    caption: str
    mime_type: str
    sha256: str
    duration_seconds: str | None


class TestimonyContent(TypedDict):
    """What a snapshot and its disclosed view share: the testimony's fields, its vocabulary
    links, its transcripts and media."""

    title: str
    summary: str
    interviewer: str
    recorded_precision: str
    period_start_year: int | None
    period_end_year: int | None
    source: str
    rights_statement: str
    content_notes: str
    access_level: str
    recorded_on: str | None  # ISO 8601
    recording_place: int | None
    collection: int | None
    places: list[int]
    subjects: list[int]
    transcripts: list[TranscriptSnapshot]
    media: list[MediaSnapshot]


class Snapshot(TestimonyContent):
    """A revision's content (`Revision.snapshot`), as `compose_snapshot` builds it."""

    # Revisions approved before names were frozen have none (the policy then shows
    # "Narrator N").
    narrator: NotRequired[FrozenNarrator]


class DisclosedContent(TestimonyContent):
    """The live revision as far as an audience may see it (`disclosed_content`): the
    frozen narrator block gives way to the one name the policy decides; a part the audience
    may not see is empty."""

    reference: str
    narrator_name: str


def named_content(snapshot: Snapshot, *, reference: str, narrator_name: str) -> DisclosedContent:
    """The snapshot as a reader gets it: with the testimony's reference, and the one name
    `narrator_name` instead of the frozen narrator block (the policy's input, not output).
    Everything else passes as stored."""
    shown = {key: value for key, value in snapshot.items() if key != "narrator"}
    return cast(DisclosedContent, {**shown, "reference": reference, "narrator_name": narrator_name})
