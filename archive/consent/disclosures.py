"""Keeping StoredDisclosure equal to what the policy says now."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.dispatch import Signal
from django.utils import timezone

from archive.accounts.audience import Audience
from archive.consent.models import SCOPE_FLAGS, ConsentRecord, StoredDisclosure
from archive.consent.policy import PARTS, disclosure_for
from archive.testimonies.models import MediaAsset, Testimony, TestimonyQuerySet

BATCH_SIZE = 500


# What the policy reads of a consent record (archive/consent/policy.py): loading only these
# halves the time a page of search results takes to load its testimonies.
POLICY_CONSENT_FIELDS = (
    "pk",
    "supersedes_id",
    "verified_at",
    "withdrawn_at",
    "withdrawal_scope",
    "embargo_until",
    *SCOPE_FLAGS,
)


def testimonies_for_policy() -> TestimonyQuerySet:
    """Testimonies with everything the policy reads, in a constant number of queries."""
    return Testimony.objects.select_related("narrator__identity", "live_revision").prefetch_related(
        Prefetch(
            "consent_records",
            queryset=ConsentRecord.objects.only(*POLICY_CONSENT_FIELDS).order_by(),
        ),
        Prefetch("media", queryset=MediaAsset.objects.only("pk", "testimony_id", "access_level")),
    )


# What the policy reads of a testimony, its narrator and live revision, besides the consent
# records and files above (archive/consent/policy.py), and what a list of results shows.
POLICY_TESTIMONY_FIELDS = (
    "reference",
    "status",
    "access_level",
    "erased_at",
    "narrator__attribution",
    "narrator__pseudonym",
    "narrator__naming_verified_at",
    "narrator__identity__given_name",
    "narrator__identity__family_name",
    "live_revision__content",
)


def testimonies_for_results(*shown: str) -> TestimonyQuerySet:
    """testimonies_for_policy() loading only what the policy and a list of results read
    (and the fields named): a page of search results builds a tenth as many model fields."""
    return testimonies_for_policy().only(*POLICY_TESTIMONY_FIELDS, *shown)


# Sent once stored disclosures are up to date (disclosure_changed,
# refresh_all_stored_disclosures), with `testimony_ids`: what is derived from them (the
# search index, archive/search/signals.py) follows. Sent synchronously, inside the caller's
# transaction, so a narrowing never waits for a queue and a receiver's failure rolls the
# change back.
disclosures_changed = Signal()


def refresh_stored_disclosures(testimony_ids: Iterable[int]) -> int:
    """Recompute and store the disclosure of these testimonies; returns how many changed."""
    return len(_refresh(testimony_ids))


def _refresh(testimony_ids: Iterable[int]) -> list[int]:
    """The ids of those whose stored disclosure changed."""
    ids = sorted(set(testimony_ids))
    changed: list[int] = []
    now = timezone.now()
    for start in range(0, len(ids), BATCH_SIZE):
        batch = testimonies_for_policy().filter(pk__in=ids[start : start + BATCH_SIZE])
        stored = {s.testimony_id: s for s in StoredDisclosure.objects.filter(testimony__in=batch)}
        for testimony in batch:
            disclosure = disclosure_for(testimony)
            values = {part: int(getattr(disclosure, part)) for part in PARTS}
            current = stored.get(testimony.pk)
            if current and all(getattr(current, part) == value for part, value in values.items()):
                continue
            first_public = values["metadata"] == Audience.PUBLIC and not (
                current and current.public_since
            )
            first_for_researchers = values["metadata"] <= Audience.RESEARCHERS and not (
                current and current.researchers_since
            )
            StoredDisclosure.objects.update_or_create(
                testimony=testimony,
                defaults={
                    **values,
                    "computed_at": now,
                    **({"public_since": now} if first_public else {}),
                    **({"researchers_since": now} if first_for_researchers else {}),
                },
            )
            changed.append(testimony.pk)
    return changed


def refresh_all_stored_disclosures() -> int:
    """After writes that bypassed the models: every stored disclosure recomputed, and what is
    derived from those that changed (their search documents) follows. Returns how many
    changed."""
    changed = _refresh(Testimony.objects.values_list("pk", flat=True))
    if changed:
        disclosures_changed.send(sender=StoredDisclosure, testimony_ids=changed)
    return len(changed)


def disclosure_changed(testimony_ids: Iterable[int]) -> None:
    """What outsiders may see of these testimonies may have changed: bring the stored
    disclosures, and what is derived from them (the search index), up to date before the
    request returns."""
    ids = sorted(set(testimony_ids))
    refresh_stored_disclosures(ids)
    disclosures_changed.send(sender=StoredDisclosure, testimony_ids=ids)
