"""Changes to the catalogue's files that must reach the storage too."""

from django.db import transaction

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.lib.errors import WorkflowError
from archive.lib.storage import delete_stored_file
from archive.testimonies.models import MediaAsset


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
