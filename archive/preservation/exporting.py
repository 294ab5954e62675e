"""CSV export of testimonies, in the import's columns so that an export imports again
(the format, and how formula injection is neutralised, is in archive/preservation/tabular.py).

Real names never appear: a narrator is exported by number only, and what is exported is what
the disclosure policy lets the exporting user see.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.preservation.importing import Vocabularies
from archive.preservation.tabular import (
    COLUMN_NAMES,
    LIST_SEPARATOR,
    format_recording_date,
    write_csv,
)
from archive.testimonies.models import Place, Subject, Testimony, Transcript


def testimonies_for_export(queryset: QuerySet[Testimony], user: User) -> QuerySet[Testimony]:
    """The selected testimonies this user may see (an erased tombstone is seen by nobody),
    with what the rows need in a constant number of queries."""
    return (
        queryset.visible_to(user)  # type: ignore[attr-defined]
        .select_related("narrator", "collection", "recording_place", "stored_disclosure")
        .prefetch_related(
            Prefetch("places", queryset=Place.objects.order_by("name")),
            Prefetch("subjects", queryset=Subject.objects.order_by("label")),
            # Beside the admin list's own prefetch of every transcript's language.
            Prefetch(
                "transcripts",
                queryset=Transcript.objects.filter(is_original=True),
                to_attr="original_transcripts",
            ),
        )
        .order_by("reference")
    )


def _row(testimony: Testimony, vocabularies: Vocabularies, audience: Audience) -> list[str]:
    disclosure = testimony.stored_disclosure
    original = next(iter(testimony.original_transcripts), None)  # type: ignore[attr-defined]
    if disclosure.transcripts > audience:
        original = None
    values: dict[str, Any] = {
        "reference": testimony.reference,
        "external_id": testimony.external_id,
        "title": testimony.title,
        "summary": testimony.summary if disclosure.summary <= audience else "",
        "narrator": testimony.narrator_id,
        "interviewer": testimony.interviewer,
        "recorded_on": format_recording_date(testimony),
        "recording_place": (
            vocabularies.place_label(testimony.recording_place) if testimony.recording_place else ""
        ),
        "period_start_year": testimony.period_start_year,
        "period_end_year": testimony.period_end_year,
        "places": f"{LIST_SEPARATOR} ".join(
            vocabularies.place_label(place) for place in testimony.places.all()
        ),
        "subjects": f"{LIST_SEPARATOR} ".join(
            vocabularies.subject_label(subject) for subject in testimony.subjects.all()
        ),
        "collection": testimony.collection.slug if testimony.collection else "",
        "source": testimony.source,
        "rights_statement": testimony.rights_statement,
        "content_notes": testimony.content_notes,
        "access_level": testimony.access_level,
        "transcript_language": original.language if original else "",
        "transcript_text": original.text if original else "",
    }
    return ["" if values.get(name) is None else str(values.get(name, "")) for name in COLUMN_NAMES]


def export_rows(testimonies: Iterable[Testimony], user: User) -> Iterator[list[str]]:
    audience = audience_of(user)
    vocabularies = Vocabularies()
    yield list(COLUMN_NAMES)
    for testimony in testimonies:
        yield _row(testimony, vocabularies, audience)


def export_testimonies_csv(queryset: QuerySet[Testimony], *, actor: User) -> tuple[str, int]:
    """The CSV of the selected testimonies the actor may see, and how many it holds. Each
    exported testimony gets a "testimonies.export" audit entry: staff-only material leaving
    the archive is worth a trace."""
    testimonies = list(testimonies_for_export(queryset, actor))
    text = write_csv(export_rows(testimonies, actor))
    for testimony in testimonies:
        record_audit("testimonies.export", actor=actor, obj=testimony, data={"format": "csv"})
    return text, len(testimonies)
