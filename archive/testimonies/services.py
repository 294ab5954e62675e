"""Writes to the catalogue that the admin (and anything else) calls: a new testimony gets
its reference here, and deletions take the stored files with them."""

from django.db import transaction
from django.db.models import QuerySet

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.lib.errors import WorkflowError
from archive.lib.storage import delete_stored_file
from archive.testimonies.models import MediaAsset, Testimony
from archive.testimonies.references import allocate_reference, reference_year


@transaction.atomic
def create_testimony(testimony: Testimony, *, actor: User) -> Testimony:
    """Save a new testimony, catalogued by `actor`, under the next reference of its year of
    recording (references.allocate_reference: never reused), and audit it."""
    if not actor.has_perm("testimonies.add_testimony"):
        raise WorkflowError("You may not add testimonies.")
    testimony.reference = allocate_reference(reference_year(testimony.recorded_on))
    testimony.created_by = actor
    testimony.save()
    record_audit("testimonies.create", actor=actor, obj=testimony)
    return testimony


@transaction.atomic
def delete_media_asset(asset: MediaAsset, *, actor: User) -> None:
    """Delete a media file: its record, then its bytes from the storage (on S3 every
    version). A storage failure raises and rolls the record back, so a file is never left
    behind without a record that says where it is."""
    if not actor.has_perm("testimonies.delete_mediaasset"):
        raise WorkflowError("You may not delete media files.")
    record_audit(
        "testimonies.delete_media",
        actor=actor,
        obj=asset,
        testimony=asset.testimony,
        data={"kind": asset.kind, "sha256": asset.sha256},
    )
    file = asset.file
    asset.delete()
    delete_stored_file(file)


@transaction.atomic
def delete_testimonies(testimonies: "QuerySet[Testimony]", *, actor: User) -> None:
    """Delete testimonies with everything that cascades from them, then their media files'
    bytes from the storage; each deletion is audited. As in delete_media_asset, a storage
    failure rolls the whole deletion back."""
    if not actor.has_perm("testimonies.delete_testimony"):
        raise WorkflowError("You may not delete testimonies.")
    media = list(MediaAsset.objects.filter(testimony__in=testimonies).order_by("pk"))
    checksums: dict[int, list[str]] = {}
    for asset in media:
        checksums.setdefault(asset.testimony_id, []).append(asset.sha256)
    for testimony in testimonies.order_by("pk"):
        record_audit(
            "testimonies.delete",
            actor=actor,
            obj=testimony,
            data={"media": checksums.get(testimony.pk, [])},
        )
    files = [asset.file for asset in media]
    testimonies.delete()
    # After the records, so that a failure here rolls them back.
    for file in files:
        delete_stored_file(file)


def delete_testimony(testimony: Testimony, *, actor: User) -> None:
    delete_testimonies(Testimony.objects.filter(pk=testimony.pk), actor=actor)
