"""What OAI-PMH disseminates: which testimonies harvesters see, when each last changed, which
set each belongs to, and its public face as unqualified Dublin Core.

Every record is rendered from `disclosed_content(testimony, Audience.PUBLIC)`, so a harvester
receives exactly what an anonymous visitor may see of the live revision, and nothing of the
working copy.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.conf import settings
from django.db.models import DateTimeField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse

from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import Audience, disclosed_content, disclosure_for
from archive.testimonies.models import Collection, MediaAsset, Place, Subject, Testimony

# Before any datestamp the archive can have; stands in for "never" inside Greatest(), which
# is NULL as soon as one of its arguments is.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)

DCMI_TYPES = {
    MediaAsset.Kind.AUDIO: "Sound",
    MediaAsset.Kind.VIDEO: "MovingImage",
    MediaAsset.Kind.IMAGE: "StillImage",
    MediaAsset.Kind.DOCUMENT: "Text",
}

PUBLIC_NOW = Q(stored_disclosure__metadata=int(Audience.PUBLIC), live_revision__isnull=False)


def _at(field: str) -> Coalesce:
    return Coalesce(field, Value(NEVER), output_field=DateTimeField())


def datestamp_expression() -> Greatest:
    """When a testimony's public face last changed: it went live (published_at), left
    (withdrawn_at, erased_at), or what the policy lets the public see of it changed
    (the stored disclosure's computed_at, which moves only when a value changes)."""
    return Greatest(
        _at("published_at"),
        _at("withdrawn_at"),
        _at("erased_at"),
        _at("stored_disclosure__computed_at"),
        output_field=DateTimeField(),
    )


def once_public() -> Q:
    """Testimonies the public could see at some time (StoredDisclosure.public_since is set the
    first time and never cleared). One that never was must not even appear as deleted: its
    reference and the day it changed are not the public's."""
    return Q(stored_disclosure__public_since__isnull=False)


def harvestable() -> QuerySet[Testimony]:
    """Every testimony a harvester is told about, public or deleted, with its datestamp
    (`oai_datestamp`) and whether it is public now (`oai_public`), in a stable order."""
    return (
        Testimony.objects.filter(PUBLIC_NOW | (~PUBLIC_NOW & once_public()))
        .annotate(oai_datestamp=datestamp_expression())
        .order_by("oai_datestamp", "pk")
    )


def in_set(queryset: QuerySet[Testimony], collection: Collection) -> QuerySet[Testimony]:
    """A public record belongs to the collection of its live revision; a deleted one to the
    collection it was filed under (an erased one belongs to none)."""
    return queryset.filter(
        (PUBLIC_NOW & Q(live_revision__content__collection=collection.pk))
        | (~PUBLIC_NOW & Q(collection=collection.pk))
    )


def public_collections() -> list[Collection]:
    """Collections that hold a public testimony: a set name is only shown where there is
    something public in it."""
    ids = {
        value
        for value in Testimony.objects.filter(PUBLIC_NOW).values_list(
            "live_revision__content__collection", flat=True
        )
        if value is not None
    }
    return list(Collection.objects.filter(pk__in=ids).order_by("slug"))


def datestamp_of(testimony: Testimony) -> datetime:
    """The datestamp `harvestable()` annotated the testimony with."""
    stamp: datetime = testimony.oai_datestamp  # type: ignore[attr-defined]
    return stamp


def datestamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Record:
    """One record as a harvester receives it: a deleted one carries only its reference and
    datestamp (nothing else of a testimony that left the public face)."""

    reference: str
    datestamp: datetime
    deleted: bool
    set_specs: tuple[str, ...] = ()
    dublin_core: tuple[tuple[str, str], ...] = ()


def records_for(testimonies: Sequence[Testimony]) -> list[Record]:
    """Render a page of testimonies (from `harvestable()`, in that order) as records."""
    ids = [testimony.pk for testimony in testimonies]
    loaded = {t.pk: t for t in testimonies_for_policy().filter(pk__in=ids)}
    contents: dict[int, dict[str, Any] | None] = {}
    for pk, testimony in loaded.items():
        contents[pk] = disclosed_content(
            testimony, Audience.PUBLIC, disclosure=disclosure_for(testimony)
        )
    vocabulary = Vocabulary.for_contents(c for c in contents.values() if c is not None)
    records = []
    for testimony in testimonies:
        content = contents.get(testimony.pk)
        stamp = datestamp_of(testimony)
        if content is None:
            # Not public (any longer): only that it is gone.
            records.append(Record(testimony.reference, stamp, deleted=True))
            continue
        collection = vocabulary.collections.get(content.get("collection") or 0)
        records.append(
            Record(
                testimony.reference,
                stamp,
                deleted=False,
                set_specs=(collection.slug,) if collection else (),
                dublin_core=tuple(dublin_core(content, vocabulary)),
            )
        )
    return records


@dataclass(frozen=True)
class Vocabulary:
    places: dict[int, Place]
    subjects: dict[int, Subject]
    collections: dict[int, Collection]

    @classmethod
    def for_contents(cls, contents: Iterable[dict[str, Any]]) -> "Vocabulary":
        place_ids: set[int] = set()
        subject_ids: set[int] = set()
        collection_ids: set[int] = set()
        for content in contents:
            place_ids.update(content.get("places") or [])
            subject_ids.update(content.get("subjects") or [])
            if content.get("collection"):
                collection_ids.add(content["collection"])
        return cls(
            places=Place.objects.in_bulk(place_ids),
            subjects=Subject.objects.in_bulk(subject_ids),
            collections=Collection.objects.in_bulk(collection_ids),
        )


def permalink(reference: str) -> str:
    return settings.SITE_URL + reverse("testimony", args=[reference])


def recording_date(content: dict[str, Any]) -> str:
    """W3CDTF at the precision the archive knows: 2023, 2023-09 or 2023-09-26."""
    if not content.get("recorded_on"):
        return ""
    recorded = date.fromisoformat(content["recorded_on"])
    precision = content.get("recorded_precision")
    if precision == Testimony.DatePrecision.YEAR:
        return f"{recorded:%Y}"
    if precision == Testimony.DatePrecision.MONTH:
        return f"{recorded:%Y-%m}"
    return recorded.isoformat()


def dublin_core(content: dict[str, Any], vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """The 15 elements of unqualified Dublin Core, in the oai_dc order, from what the public
    may see of the live revision (names as the Disclosure gives them)."""
    elements: list[tuple[str, str]] = [("title", content["title"])]
    elements.append(("creator", content["narrator_name"]))
    elements += [
        ("subject", vocabulary.subjects[pk].label)
        for pk in content.get("subjects") or []
        if pk in vocabulary.subjects
    ]
    if content.get("summary"):
        elements.append(("description", content["summary"]))
    elements.append(("publisher", settings.SITE_NAME))
    if content.get("interviewer"):
        elements.append(("contributor", content["interviewer"]))
    if recorded := recording_date(content):
        elements.append(("date", recorded))
    types = ["Text"] if content.get("transcripts") else []
    types += [DCMI_TYPES[MediaAsset.Kind(asset["kind"])] for asset in content.get("media", [])]
    elements += [("type", kind) for kind in dict.fromkeys(types)]
    formats = [asset["mime_type"] for asset in content.get("media", []) if asset["mime_type"]]
    elements += [("format", mime) for mime in dict.fromkeys(formats)]
    elements.append(("identifier", permalink(content["reference"])))
    elements.append(("identifier", content["reference"]))
    if content.get("source"):
        elements.append(("source", content["source"]))
    languages = [transcript["language"] for transcript in content.get("transcripts") or []]
    elements += [("language", language) for language in dict.fromkeys(languages)]
    collection = vocabulary.collections.get(content.get("collection") or 0)
    if collection is not None:
        elements.append(("relation", collection.title))
    elements += [
        ("coverage", vocabulary.places[pk].name)
        for pk in content.get("places") or []
        if pk in vocabulary.places
    ]
    start, end = content.get("period_start_year"), content.get("period_end_year")
    if start and end and start != end:
        elements.append(("coverage", f"{start}/{end}"))
    elif start or end:
        elements.append(("coverage", str(start or end)))
    if content.get("rights_statement"):
        elements.append(("rights", content["rights_statement"]))
    return elements
