"""Search documents follow the names and vocabularies they were built from. (Cache upkeep,
which is what signals are for here.) A narrator's name or a file's access level can narrow
what may be seen, so those rewrite the documents at once; renamed places, subjects and
collections only widen matching and are queued."""

from typing import Any

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from archive.consent.disclosures import disclosures_changed
from archive.search.indexing import index_now, request_index_update
from archive.testimonies.models import (
    Collection,
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
    Testimony,
)


def _ids(testimonies: Any) -> list[int]:
    return list(testimonies.values_list("pk", flat=True))


@receiver(disclosures_changed)
def disclosures_refreshed(sender: Any, testimony_ids: list[int], **kwargs: Any) -> None:
    """What outsiders may see changed: their documents are rewritten (or deleted) before the
    change's request returns."""
    index_now(testimony_ids)


@receiver(post_save, sender=Narrator)
def narrator_saved(sender: Any, instance: Narrator, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_now(_ids(instance.testimonies.all()))


@receiver([post_save, post_delete], sender=NarratorIdentity)
def identity_changed(
    sender: Any, instance: NarratorIdentity, raw: bool = False, **kwargs: Any
) -> None:
    if not raw:
        index_now(_ids(Testimony.objects.filter(narrator_id=instance.narrator_id)))


@receiver([post_save, post_delete], sender=MediaAsset)
def media_changed(sender: Any, instance: MediaAsset, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_now([instance.testimony_id])


@receiver([post_save, post_delete], sender=Place)
@receiver([post_save, post_delete], sender=PlaceName)
def place_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    place_id = instance.pk if isinstance(instance, Place) else instance.place_id
    # Testimonies that name the place (or a place within it). A text that mentions the place
    # under a name added only now is found from the next rebuild_search_index: looking
    # through every text on each edit of the gazetteer would cost a full re-index.
    tagged = Testimony.objects.filter(
        Q(places=place_id) | Q(places__parent=place_id) | Q(recording_place=place_id)
    )
    request_index_update(_ids(tagged.distinct()))


@receiver([post_save, post_delete], sender=Subject)
@receiver([post_save, post_delete], sender=SubjectLabel)
def subject_changed(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    subject_id = instance.pk if isinstance(instance, Subject) else instance.subject_id
    request_index_update(
        _ids(
            Testimony.objects.filter(
                Q(subjects=subject_id) | Q(subjects__parent=subject_id)
            ).distinct()
        )
    )


@receiver(post_save, sender=Collection)
def collection_changed(sender: Any, instance: Collection, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        request_index_update(_ids(instance.testimonies.all()))
