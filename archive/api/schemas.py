"""What the API answers, as typed schemas: they make the OpenAPI document, and every
response is checked against them on its way out."""

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from archive.consent.policy import AccessLabel


class ErrorOut(Schema):
    message: str


class ValidationErrorOut(Schema):
    message: str
    errors: list[dict[str, Any]]


class GoneOut(Schema):
    message: str
    reference: str
    withdrawn_on: date


class SearchParams(Schema):
    """The search page's query string (archive/public/forms.py SearchForm)."""

    q: str = Field("", max_length=500, description="Words to find; quotes, AND, OR, NOT work.")
    sort: Literal["relevance", "date", "title"] = "relevance"
    recorded_from: date | None = Field(None, description="Recorded on or after this day.")
    recorded_to: date | None = Field(None, description="Recorded on or before this day.")
    page: int = Field(1, ge=1, le=10_000)
    language: list[str] = Field([], description="Transcript language (facet value).")
    place_id: list[str] = Field([], description="Place id (facet value).")
    subject_id: list[str] = Field([], description="Subject id (facet value).")
    collection_id: list[str] = Field([], description="Collection id (facet value).")
    decade: list[str] = Field([], description="Decade the account tells of, e.g. 1990s.")
    media: list[str] = Field([], description="Media kind: audio, video, image, document.")
    access: list[str] = Field([], description="public or researchers (researchers only).")


class PageParams(Schema):
    page: int = Field(1, ge=1, le=10_000)


class SnippetPiece(Schema):
    text: str
    match: bool


class ResultOut(Schema):
    reference: str
    title: str
    narrator: str
    recorded_on: str | None
    recording_date: str
    summary: str
    snippet: list[SnippetPiece]
    url: str
    page_url: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int
    chosen: bool


class SearchOut(Schema):
    total: int
    page: int
    pages: int
    page_size: int
    results: list[ResultOut]
    facets: dict[str, list[FacetValueOut]]
    suggestion: str | None
    simplified: list[str] = Field(
        default_factory=list,
        description="How the query was simplified to keep it quick (too many words, "
        "too wide a * or ~); empty when it was searched as written.",
    )


class PlaceRef(Schema):
    id: int
    name: str
    url: str


class SubjectRef(Schema):
    id: int
    label: str
    url: str


class CollectionRef(Schema):
    id: int
    slug: str
    title: str
    url: str


class SegmentOut(Schema):
    position: int
    start_seconds: str
    end_seconds: str | None
    recording: int | None = Field(description="The media id this moment is in, if you may have it.")
    text: str


class TranscriptOut(Schema):
    language: str
    is_original: bool
    translator: str
    text: str
    segments: list[SegmentOut]


class MediaOut(Schema):
    id: int
    kind: str
    caption: str
    mime_type: str
    duration_seconds: str | None
    sha256: str
    url: str = Field(description="The file; it asks the same policy again when opened.")


class TestimonyOut(Schema):
    reference: str
    title: str
    summary: str
    narrator: str
    interviewer: str
    recorded_on: str | None
    recorded_precision: str
    recording_date: str
    period_start_year: int | None
    period_end_year: int | None
    recording_place: PlaceRef | None
    places: list[PlaceRef]
    subjects: list[SubjectRef]
    collection: CollectionRef | None
    source: str
    rights_statement: str
    content_notes: str
    access: AccessLabel
    transcripts: list[TranscriptOut]
    media: list[MediaOut]
    citation: dict[str, Any] = Field(description="CSL-JSON.")
    url: str
    page_url: str


class NameOut(Schema):
    language: str
    name: str


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    latitude: str | None
    longitude: str | None
    note: str
    parent: PlaceRef | None
    names: list[NameOut]
    testimonies: int = Field(description="Testimonies you may see that tell of this place.")
    url: str
    testimonies_url: str


class SubjectOut(Schema):
    id: int
    label: str
    scope_note: str
    parent: SubjectRef | None
    labels: list[NameOut]
    testimonies: int = Field(description="Testimonies you may see about this subject.")
    url: str
    testimonies_url: str


class CollectionOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    testimonies: int = Field(description="Testimonies you may see in this collection.")
    url: str
    testimonies_url: str


class PlacePage(Schema):
    total: int
    page: int
    pages: int
    results: list[PlaceOut]


class SubjectPage(Schema):
    total: int
    page: int
    pages: int
    results: list[SubjectOut]


class CollectionPage(Schema):
    total: int
    page: int
    pages: int
    results: list[CollectionOut]
