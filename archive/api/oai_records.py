"""What OAI-PMH disseminates: which testimonies harvesters see, when each last changed, which
set each belongs to, and its public face as unqualified Dublin Core.

Every record is rendered from `disclosed_content(testimony, Audience.PUBLIC)`, so a harvester
receives exactly what an anonymous visitor may see of the live revision, and nothing of the
working copy.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import DateTimeField, Exists, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from archive.accounts.audience import Audience
from archive.consent.disclosures import testimonies_for_policy
from archive.consent.policy import disclosed_content, disclosure_for
from archive.public.dublin_core import Vocabulary, dublin_core
from archive.testimonies.models import Collection, Testimony
from archive.testimonies.snapshot_types import DisclosedContent

# Before any datestamp the archive can have; stands in for "never" inside Greatest(), which
# is NULL as soon as one of its arguments is.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)

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


def in_set(queryset: QuerySet[Testimony], collection_id: int) -> QuerySet[Testimony]:
    """A public record belongs to the collection of its live revision; a deleted one to the
    collection it was filed under (an erased one belongs to none), and only while that
    collection holds something public: staff who file a withdrawn testimony under a
    collection the public never saw must not make that set answer (nor name the move)."""
    set_is_public = Exists(
        Testimony.objects.filter(PUBLIC_NOW, live_revision__content__collection=collection_id)
    )
    return queryset.filter(
        (PUBLIC_NOW & Q(live_revision__content__collection=collection_id))
        | (~PUBLIC_NOW & Q(collection=collection_id) & Q(set_is_public))
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
    contents: dict[int, DisclosedContent | None] = {}
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
