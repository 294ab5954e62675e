"""Recompute stored disclosures and search documents whenever one of the policy's inputs is
saved, in the same transaction, so that no list, count or search result runs ahead of the
policy. (Cache upkeep is what signals are for here; the workflow itself never hangs on
them.)"""

from typing import Any

from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from archive.consent.disclosures import disclosure_changed
from archive.consent.models import ConsentRecord
from archive.testimonies.models import Narrator, Testimony


@receiver(post_save, sender=Testimony)
def testimony_saved(sender: Any, instance: Testimony, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        disclosure_changed([instance.pk])


@receiver(post_save, sender=Narrator)
def narrator_saved(sender: Any, instance: Narrator, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        disclosure_changed(instance.testimonies.values_list("pk", flat=True))


@receiver(post_save, sender=ConsentRecord)
def consent_saved(sender: Any, instance: ConsentRecord, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        disclosure_changed(instance.testimonies.values_list("pk", flat=True))


@receiver(pre_delete, sender=ConsentRecord)
def consent_deleted(sender: Any, instance: ConsentRecord, **kwargs: Any) -> None:
    # Removing consent narrows what may be shown: recompute as if it were already gone.
    testimony_ids = list(instance.testimonies.values_list("pk", flat=True))
    instance.testimonies.clear()
    disclosure_changed(testimony_ids)


@receiver(m2m_changed, sender=ConsentRecord.testimonies.through)
def consent_coverage_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if action == "pre_clear":
        # After the clear the ids are gone; remember them to recompute afterwards.
        instance._cleared_coverage = (
            [instance.pk] if reverse else list(instance.testimonies.values_list("pk", flat=True))
        )
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        ids = instance.__dict__.pop("_cleared_coverage", [])
    elif reverse:
        ids = [instance.pk]
    else:
        ids = list(pk_set or [])
    disclosure_changed(ids)
