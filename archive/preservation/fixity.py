"""Fixity: do the stored files still hold the bytes whose SHA-256 was taken on upload?

Each check re-reads a file from the storage as a stream, compares its checksum and records
the finding on the MediaAsset (fixity_status, fixity_checked_at). Checking again only
refreshes those two fields, so the check is safe to repeat from cron.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from archive.lib.storage import iter_stored_chunks
from archive.testimonies.models import MediaAsset

Fixity = MediaAsset.Fixity


@dataclass(frozen=True)
class FixityResult:
    asset_id: int
    reference: str
    storage_name: str
    status: Fixity
    found_sha256: str = ""
    expected_sha256: str = ""

    def describe(self) -> str:
        """One line for an operator. Storage names are generated; the uploaded name (which
        may hold a narrator's real name) is never printed."""
        where = f"media #{self.asset_id} of {self.reference} ({self.storage_name})"
        if self.status == Fixity.MISSING:
            return f"MISSING {where}: not in the storage"
        if self.status == Fixity.CHANGED:
            return (
                f"CHANGED {where}: SHA-256 is now {self.found_sha256}, "
                f"recorded {self.expected_sha256}"
            )
        return f"OK {where}"


@dataclass(frozen=True)
class FixityReport:
    results: list[FixityResult] = field(default_factory=list)
    # Files with no checksum on record cannot be verified: a problem in itself.
    unverifiable: list[int] = field(default_factory=list)

    def count(self, status: Fixity) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def problems(self) -> list[FixityResult]:
        return [result for result in self.results if result.status != Fixity.OK]

    @property
    def failed(self) -> bool:
        return bool(self.problems or self.unverifiable)


def check_asset(asset: MediaAsset) -> FixityResult:
    """Re-read one file, compare its SHA-256 with the recorded one, record the finding."""
    digest = hashlib.sha256()
    try:
        for chunk in iter_stored_chunks(asset.file):
            digest.update(chunk)
    except FileNotFoundError:
        status, found = Fixity.MISSING, ""
    else:
        found = digest.hexdigest()
        status = Fixity.OK if found == asset.sha256 else Fixity.CHANGED
    # An UPDATE of these two fields only: the check never rewrites what curators edit.
    MediaAsset.objects.filter(pk=asset.pk).update(
        fixity_status=status, fixity_checked_at=timezone.now()
    )
    return FixityResult(
        asset_id=asset.pk,
        reference=asset.testimony.reference,
        storage_name=str(asset.file.name),
        status=status,
        found_sha256=found,
        expected_sha256=asset.sha256,
    )


def assets_to_check(*, sample: int | None = None) -> QuerySet[MediaAsset]:
    """Every stored media file with a checksum, or a random sample of `sample` of them."""
    assets = (
        MediaAsset.objects.exclude(file="")
        .exclude(sha256="")
        .select_related("testimony")
        .only("pk", "file", "sha256", "testimony__reference")
    )
    if sample is not None:
        return assets.order_by("?")[:sample]
    return assets.order_by("pk")


def check_fixity(*, sample: int | None = None) -> FixityReport:
    """Check every file (or a random sample) and report what is missing or changed."""
    assets: Iterable[MediaAsset] = assets_to_check(sample=sample).iterator(chunk_size=200)
    results = [check_asset(asset) for asset in assets]
    unverifiable = list(
        MediaAsset.objects.exclude(file="").filter(sha256="").values_list("pk", flat=True)
    )
    return FixityReport(results=results, unverifiable=unverifiable)
