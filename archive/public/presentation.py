"""Turning disclosed content (archive/consent/policy.py: `disclosed_content`) into what the
site's pages show: testimony cards for lists, and the testimony page's transcripts, media,
vocabulary and structured data. Nothing here reads the working copy or decides visibility."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info

from archive.accounts.audience import Audience
from archive.consent.policy import Disclosure, disclosed_content, disclosure_for
from archive.public.citations import permalink, recording_date_display, time_code
from archive.search.highlighting import QueryWords, highlight
from archive.testimonies.models import Collection, MediaAsset, Place, Subject, Testimony
from archive.testimonies.snapshot_types import DisclosedContent, TranscriptSnapshot

Pieces = list[tuple[str, bool]]


@dataclass(frozen=True)
class TestimonyCard:
    """One testimony in a list (home page, collection page, feed)."""

    reference: str
    title: str
    narrator: str
    recorded: str
    summary: str
    url: str


def card(testimony: Testimony, audience: Audience) -> TestimonyCard | None:
    content = disclosed_content(testimony, audience)
    if content is None:
        return None
    return TestimonyCard(
        reference=testimony.reference,
        title=content["title"],
        narrator=content["narrator_name"],
        recorded=recording_date_display(content),
        summary=content["summary"],
        url=reverse("testimony", args=[testimony.reference]),
    )


def cards(testimonies: Any, audience: Audience) -> list[TestimonyCard]:
    """Cards of those the audience may see (the policy is asked again for each: the stored
    disclosure the list was filtered by may be a moment old)."""
    return [c for c in (card(t, audience) for t in testimonies) if c is not None]


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code.split("-", 1)[0])["name_translated"])
    except KeyError:
        return code


@dataclass(frozen=True)
class SegmentView:
    start: int
    label: str
    pieces: Pieces
    media_url: str | None
    media_id: int | None


@dataclass(frozen=True)
class TranscriptView:
    language: str
    language_name: str
    is_original: bool
    translator: str
    paragraphs: list[Pieces]
    segments: list[SegmentView]


@dataclass(frozen=True)
class MediaView:
    id: int
    kind: str
    kind_label: str
    mime_type: str
    caption: str
    url: str
    duration: str


def media_views(content: DisclosedContent) -> list[MediaView]:
    views = []
    for asset in content["media"]:
        seconds = _seconds(asset.get("duration_seconds"))
        views.append(
            MediaView(
                id=asset["id"],
                kind=asset["kind"],
                kind_label=str(MediaAsset.Kind(asset["kind"]).label),
                mime_type=asset.get("mime_type") or "",
                caption=asset.get("caption") or "",
                url=reverse("media_file", args=[asset["id"]]),
                duration=time_code(seconds) if seconds is not None else "",
            )
        )
    return views


def transcript_view(
    transcript: TranscriptSnapshot, media: list[MediaView], words: QueryWords
) -> TranscriptView:
    language = transcript["language"]
    playable = {m.id: m for m in media if m.kind in ("audio", "video")}
    default = next(iter(playable.values()), None)
    segments = []
    for segment in transcript.get("segments", []):
        start = _seconds(segment["start_seconds"]) or 0
        # A passage links only to a recording this reader may play.
        recording = playable.get(linked) if (linked := segment.get("recording")) else default
        segments.append(
            SegmentView(
                start=start,
                label=time_code(start),
                pieces=highlight(segment["text"], language, words),
                media_url=f"{recording.url}#t={start}" if recording else None,
                media_id=recording.id if recording else None,
            )
        )
    paragraphs = [
        highlight(paragraph, language, words) for paragraph in _paragraphs(transcript["text"])
    ]
    return TranscriptView(
        language=language,
        language_name=language_name(language),
        is_original=transcript["is_original"],
        translator=transcript.get("translator") or "",
        paragraphs=paragraphs,
        segments=segments,
    )


def _paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _seconds(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(Decimal(str(value)))
    except InvalidOperation:
        return None


@dataclass(frozen=True)
class Vocabulary:
    places: list[Place]
    recording_place: Place | None
    subjects: list[Subject]
    collection: Collection | None


def vocabulary(content: DisclosedContent) -> Vocabulary:
    """The places, subjects and collection the live revision names (as they are called now)."""
    place_ids = list(content.get("places", []))
    if recording_place := content.get("recording_place"):
        place_ids.append(recording_place)
    places = {p.pk: p for p in Place.objects.filter(pk__in=place_ids)} if place_ids else {}
    subject_ids = content.get("subjects", [])
    subjects = list(Subject.objects.filter(pk__in=subject_ids)) if subject_ids else []
    collection_id = content.get("collection")
    collection = Collection.objects.filter(pk=collection_id).first() if collection_id else None
    return Vocabulary(
        places=[places[pk] for pk in content.get("places", []) if pk in places],
        recording_place=places.get(content.get("recording_place") or 0),
        subjects=subjects,
        collection=collection,
    )


def period_display(content: DisclosedContent) -> str:
    start, end = content.get("period_start_year"), content.get("period_end_year")
    if start and end and start != end:
        return f"{start}–{end}"
    return str(start or end or "")


def structured_data(
    testimony: Testimony, content: DisclosedContent, words: Vocabulary
) -> dict[str, Any]:
    """schema.org description of the disclosed content, for search engines and harvesters."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "additionalType": "https://schema.org/Interview",
        "identifier": testimony.reference,
        "name": content["title"],
        "url": permalink(testimony.reference),
        "author": {"@type": "Person", "name": content["narrator_name"]},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
        "inLanguage": [t["language"] for t in content["transcripts"]],
    }
    if content.get("summary"):
        data["abstract"] = content["summary"]
    if content.get("recorded_on"):
        data["dateCreated"] = content["recorded_on"]
    if testimony.published_at:
        data["datePublished"] = testimony.published_at.date().isoformat()
    if content.get("interviewer"):
        data["contributor"] = {"@type": "Person", "name": content["interviewer"]}
    if words.places:
        data["spatialCoverage"] = [{"@type": "Place", "name": p.name} for p in words.places]
    if words.recording_place:
        data["locationCreated"] = {"@type": "Place", "name": words.recording_place.name}
    period = period_display(content)
    if period:
        data["temporalCoverage"] = period.replace("–", "/")
    if words.subjects:
        data["about"] = [{"@type": "DefinedTerm", "name": s.label} for s in words.subjects]
    if words.collection:
        data["isPartOf"] = {"@type": "Collection", "name": words.collection.title}
    if content.get("rights_statement"):
        data["copyrightNotice"] = content["rights_statement"]
    return data


# JSON inside <script>: nothing the text holds may end the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_for_script(data: dict[str, Any]) -> SafeString:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(JSON_SCRIPT_ESCAPES)
    # Safe because every character that HTML could read as markup is escaped just above.
    return mark_safe(text)  # noqa: S308


def disclosure_and_content(
    testimony: Testimony, audience: Audience
) -> tuple[Disclosure, DisclosedContent | None]:
    disclosure = disclosure_for(testimony)
    return disclosure, disclosed_content(testimony, audience, disclosure=disclosure)
