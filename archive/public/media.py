"""Serving private files: a testimony's media at /media/<asset id>/ and consent evidence at
/media/consent/<record id>/.

The disclosure policy decides who may have a file; anyone else gets the same 404 as for a
file that does not exist, so a refusal never confirms that there is something to refuse.
Opening anything that is not public is logged (archive/public/models.py, AccessRecord).
Local files stream with Range support (archive/lib/ranged.py), or go to nginx with
X-Accel-Redirect; files on S3 are a redirect to a presigned link that expires quickly.
"""

import logging
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from archive.accounts.access import accepts_api_tokens
from archive.accounts.audience import Audience, audience_of
from archive.consent.models import ConsentRecord
from archive.consent.policy import Disclosure, disclosed_content, disclosure_for, files_findable
from archive.lib.ranged import content_disposition, ranged_file_response
from archive.lib.storage import is_local, is_s3, presigned_url
from archive.public.access_log import record_access
from archive.public.models import AccessRecord
from archive.testimonies.models import MediaAsset
from archive.testimonies.uploads import FORMAT_BY_MIME, is_accepted_type, mime_type_of_stored_name

logger = logging.getLogger(__name__)

EVIDENCE_PERMISSION = "consent.view_consentrecord"


def _approved_media(asset: MediaAsset, audience: Audience, disclosure: Disclosure) -> bool:
    """Whether `audience` may have this file by the live revision: the policy lists it
    (consent for its kind, its access level then and now) and it is the very file that
    was approved (same checksum)."""
    content = disclosed_content(asset.testimony, audience, disclosure=disclosure)
    if content is None:
        return False
    return any(
        entry["id"] == asset.pk and entry.get("sha256") == asset.sha256
        for entry in content["media"]
    )


def servable_media(request: HttpRequest, asset_id: int) -> tuple[MediaAsset, bool]:
    """The media file this person may have, and whether it is restricted (not public);
    404 when there is none or they may not have it."""
    audience = audience_of(request.user)
    asset = get_object_or_404(
        MediaAsset.objects.select_related(
            "testimony__narrator__identity", "testimony__live_revision"
        )
        .prefetch_related("testimony__media", "testimony__consent_records")
        .filter(files_findable(audience))
        .exclude(file=""),
        pk=asset_id,
    )
    disclosure = disclosure_for(asset.testimony)
    if _approved_media(asset, Audience.PUBLIC, disclosure):
        return asset, False
    if audience >= Audience.STAFF or (
        audience > Audience.PUBLIC and _approved_media(asset, audience, disclosure)
    ):
        return asset, True
    raise Http404


def download_name(asset: MediaAsset, *, for_staff: bool) -> str:
    """The file name offered to the browser. Staff get the name it was uploaded under;
    everyone else a name made of the reference, because an uploaded name was never
    reviewed and may hold the real name of a narrator who chose a pseudonym."""
    if for_staff and asset.original_name:
        return asset.original_name
    known = FORMAT_BY_MIME.get(asset.mime_type)
    extension = known.extension if known else ""
    return f"{asset.testimony.reference}-{asset.kind}-{asset.pk}{extension}"


def serve_stored_file(
    request: HttpRequest,
    file: FieldFile,
    *,
    content_type: str,
    filename: str,
    restricted: bool,
    etag: str | None = None,
) -> HttpResponseBase:
    """Answer with a stored file the caller has decided this person may have."""
    # A type we would not accept on upload is never served as itself (a legacy file
    # sniffed as text/html must not run in the archive's origin).
    as_attachment = not is_accepted_type(content_type)
    if as_attachment:
        content_type = "application/octet-stream"
    disposition = content_disposition(filename, as_attachment=as_attachment)
    storage = file.storage
    response: HttpResponseBase
    if is_s3(storage):
        response = HttpResponseRedirect(
            presigned_url(
                file,
                content_type=content_type,
                content_disposition=disposition,
                seconds=settings.MEDIA_URL_SECONDS,
            )
        )
        # The link is a credential for a few minutes: no cache may keep it.
        response["Cache-Control"] = "no-store"
        return response
    if settings.MEDIA_X_ACCEL_PREFIX and is_local(storage):
        # nginx serves the bytes (with Range) from an `internal` location.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = (
            settings.MEDIA_X_ACCEL_PREFIX.rstrip("/") + "/" + quote(str(file.name))
        )
        response["Content-Disposition"] = disposition
        response["X-Content-Type-Options"] = "nosniff"
    else:
        try:
            size = storage.size(str(file.name))
            handle = storage.open(str(file.name), "rb")
        except FileNotFoundError:
            # check_fixity reports it too; the reader sees the same 404 as for no file.
            logger.error("Stored file missing: %s", file.name)
            raise Http404 from None
        response = ranged_file_response(
            request,
            handle,
            size=size,
            content_type=content_type,
            filename=filename,
            as_attachment=as_attachment,
            etag=etag,
        )
    # Access can be withdrawn at any moment: restricted files are never kept, public
    # ones are checked again before each use.
    response["Cache-Control"] = "private, no-store" if restricted else "no-cache"
    return response


@require_safe
@accepts_api_tokens  # the API links here: a script fetches with its token
def media_file(request: HttpRequest, asset_id: int) -> HttpResponseBase:
    asset, restricted = servable_media(request, asset_id)
    response = serve_stored_file(
        request,
        asset.file,
        content_type=asset.mime_type,
        filename=download_name(asset, for_staff=audience_of(request.user) >= Audience.STAFF),
        restricted=restricted,
        etag=f'"{asset.sha256}"' if asset.sha256 else None,
    )
    # Logged once the file is on its way (a HEAD sends none of it).
    if restricted and request.method == "GET":
        record_access(
            request, AccessRecord.Resource.MEDIA, testimony=asset.testimony, media_asset=asset
        )
    return response


@require_safe
def consent_evidence_file(request: HttpRequest, record_id: int) -> HttpResponseBase:
    """A consent's signed form or other proof: archivists only, acting as staff (with
    their second factor when it is required)."""
    if audience_of(request.user) < Audience.STAFF or not request.user.has_perm(EVIDENCE_PERMISSION):
        raise Http404
    record = get_object_or_404(ConsentRecord, pk=record_id)
    if not record.evidence:
        raise Http404
    content_type = mime_type_of_stored_name(str(record.evidence.name))
    known = FORMAT_BY_MIME.get(content_type)
    response = serve_stored_file(
        request,
        record.evidence,
        content_type=content_type,
        filename=f"consent-{record.pk}-evidence{known.extension if known else ''}",
        restricted=True,
    )
    if request.method == "GET":
        record_access(request, AccessRecord.Resource.CONSENT_EVIDENCE, consent_record=record)
    return response
