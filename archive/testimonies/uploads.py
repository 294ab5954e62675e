"""What the archive accepts as a file, decided in one place for the admin and importers.

A file's type is what libmagic reads in its content; its name decides nothing. Each kind
of media, and consent evidence, has an allow-list of formats and a size limit
(settings.MEDIA_UPLOAD_MAX_BYTES). A refused file never reaches the storage: the checks
run on the upload before anything is saved.
"""

from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile

from archive.testimonies.files import inspect_file, read_duration
from archive.testimonies.models import MediaAsset


@dataclass(frozen=True)
class Format:
    label: str
    extension: str
    # As libmagic reports them; older and newer libmagic releases name some differently.
    mime_types: tuple[str, ...]


MP3 = Format("MP3", ".mp3", ("audio/mpeg",))
OGG = Format("Ogg or Opus", ".ogg", ("audio/ogg", "audio/opus"))
WAV = Format("WAV", ".wav", ("audio/x-wav", "audio/wav", "audio/vnd.wave"))
FLAC = Format("FLAC", ".flac", ("audio/flac", "audio/x-flac"))
M4A = Format("M4A", ".m4a", ("audio/x-m4a", "audio/mp4"))
MP4 = Format("MP4", ".mp4", ("video/mp4",))
WEBM = Format("WebM", ".webm", ("video/webm",))
JPEG = Format("JPEG", ".jpg", ("image/jpeg",))
PNG = Format("PNG", ".png", ("image/png",))
WEBP = Format("WebP", ".webp", ("image/webp",))
TIFF = Format("TIFF", ".tif", ("image/tiff",))
PDF = Format("PDF", ".pdf", ("application/pdf",))

EVIDENCE = "evidence"
ACCEPTED: dict[str, tuple[Format, ...]] = {
    MediaAsset.Kind.AUDIO: (MP3, OGG, WAV, FLAC, M4A),
    MediaAsset.Kind.VIDEO: (MP4, WEBM),
    MediaAsset.Kind.IMAGE: (JPEG, PNG, WEBP, TIFF),
    MediaAsset.Kind.DOCUMENT: (PDF,),
    # The signed form or other proof of consent: a scan or a PDF.
    EVIDENCE: (PDF, JPEG, PNG, WEBP, TIFF),
}
PURPOSE_NOUNS = {
    MediaAsset.Kind.AUDIO: "an audio file",
    MediaAsset.Kind.VIDEO: "a video",
    MediaAsset.Kind.IMAGE: "an image",
    MediaAsset.Kind.DOCUMENT: "a document",
    EVIDENCE: "consent evidence",
}
TIMED_KINDS = frozenset({MediaAsset.Kind.AUDIO, MediaAsset.Kind.VIDEO})
FORMAT_BY_MIME = {
    mime: fmt for formats in ACCEPTED.values() for fmt in formats for mime in fmt.mime_types
}


@dataclass(frozen=True)
class UploadFacts:
    """What was read from an accepted file."""

    original_name: str
    size_bytes: int
    sha256: str
    mime_type: str
    duration_seconds: Decimal | None

    @property
    def extension(self) -> str:
        return FORMAT_BY_MIME[self.mime_type].extension


def accepted_mime_types(purpose: str) -> frozenset[str]:
    return frozenset(mime for fmt in ACCEPTED[purpose] for mime in fmt.mime_types)


def is_accepted_type(mime_type: str) -> bool:
    """Whether a MIME type is one the archive accepts for anything (and so may be served
    under its own type)."""
    return mime_type in FORMAT_BY_MIME


def mime_type_of_stored_name(name: str) -> str:
    """The type of a stored file from its generated name, whose extension check_upload
    chose from the content; application/octet-stream for anything else."""
    suffix = PurePath(name).suffix.lower()
    for fmt in FORMAT_BY_MIME.values():
        if fmt.extension == suffix:
            return fmt.mime_types[0]
    return "application/octet-stream"


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _list(labels: list[str]) -> str:
    return ", ".join(labels[:-1]) + " or " + labels[-1] if len(labels) > 1 else labels[0]


def check_upload(file: File, *, purpose: str) -> UploadFacts:
    """Accept or refuse an uploaded file for `purpose` (a MediaAsset kind, or "evidence").

    Reads the file in one streaming pass for its size, SHA-256 and sniffed type, then the
    header of a recording for its duration. Raises ValidationError with a message for the
    person who uploaded it. On success the upload is renamed (its original name is kept in
    the facts) to the extension of its real
    type, so the generated storage name (private_upload_to) never trusts the uploader's
    name, and an UploadedFile's declared type is replaced by the sniffed one (S3 stores it).
    """
    noun = PURPOSE_NOUNS[purpose]
    limit = settings.MEDIA_UPLOAD_MAX_BYTES[purpose]
    # The declared size first: refuse an oversized upload without reading it.
    if (file.size or 0) > limit:
        raise ValidationError(
            f"This file is {_megabytes(file.size)}; {noun} may be at most {_megabytes(limit)}.",
            code="too_large",
        )
    facts = inspect_file(file)
    if facts.size_bytes == 0:
        raise ValidationError("The file is empty.", code="empty")
    if facts.size_bytes > limit:
        raise ValidationError(
            f"This file is {_megabytes(facts.size_bytes)}; {noun} may be at most "
            f"{_megabytes(limit)}.",
            code="too_large",
        )
    if facts.mime_type not in accepted_mime_types(purpose):
        labels = [fmt.label for fmt in ACCEPTED[purpose]]
        raise ValidationError(
            f"The content of this file is {facts.mime_type}, which is not accepted as {noun} "
            f"(accepted: {_list(labels)}). The type is read from the content, not from the "
            "file's name.",
            code="type",
        )
    duration = read_duration(file, facts.mime_type) if purpose in TIMED_KINDS else None
    accepted = UploadFacts(
        original_name=PurePath(file.name or "").name[:255],
        size_bytes=facts.size_bytes,
        sha256=facts.sha256,
        mime_type=facts.mime_type,
        duration_seconds=duration,
    )
    file.name = f"upload{accepted.extension}"
    if isinstance(file, UploadedFile):
        file.content_type = facts.mime_type
    return accepted


def describe_media(asset: MediaAsset, facts: UploadFacts) -> None:
    """Copy an accepted file's facts onto its MediaAsset (before it is saved)."""
    asset.original_name = facts.original_name
    asset.size_bytes = facts.size_bytes
    asset.sha256 = facts.sha256
    asset.mime_type = facts.mime_type
    if facts.duration_seconds is not None:
        asset.duration_seconds = facts.duration_seconds
