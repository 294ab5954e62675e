"""Keeping StoredDisclosure equal to what the policy says now."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.utils import timezone

from archive.consent.models import ConsentRecord, StoredDisclosure
from archive.consent.policy import PARTS, disclosure_for
from archive.testimonies.models import Testimony

BATCH_SIZE = 500


def testimonies_for_policy() -> "Iterable[Testimony]":
    """Testimonies with everything the policy reads, in a constant number of queries."""
    return Testimony.objects.select_related("narrator__identity", "live_revision").prefetch_related(
        Prefetch("consent_records", queryset=ConsentRecord.objects.order_by())
    )


def refresh_stored_disclosures(testimony_ids: Iterable[int]) -> int:
    """Recompute and store the disclosure of these testimonies; returns how many changed."""
    ids = sorted(set(testimony_ids))
    changed = 0
    now = timezone.now()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = testimonies_for_policy().filter(pk__in=ids[start : start + BATCH_SIZE])  # type: ignore[attr-defined]
        stored = {s.testimony_id: s for s in StoredDisclosure.objects.filter(testimony__in=batch)}
        for testimony in batch:
            disclosure = disclosure_for(testimony)
            values = {part: int(getattr(disclosure, part)) for part in PARTS}
            current = stored.get(testimony.pk)
            if current and all(getattr(current, part) == value for part, value in values.items()):
                continue
            StoredDisclosure.objects.update_or_create(
                testimony=testimony, defaults={**values, "computed_at": now}
            )
            changed += 1
    return changed


def refresh_all_stored_disclosures() -> int:
    return refresh_stored_disclosures(Testimony.objects.values_list("pk", flat=True))
