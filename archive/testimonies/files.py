"""Facts about an uploaded file, read in one streaming pass."""

import hashlib
from dataclasses import dataclass

import magic
from django.core.files import File

SNIFF_BYTES = 4096


@dataclass(frozen=True)
class FileFacts:
    size_bytes: int
    sha256: str
    mime_type: str


def inspect_file(file: File) -> FileFacts:
    """Size, SHA-256 and the MIME type sniffed from the content (not from the name).

    Reads in chunks so a long recording never sits in memory whole.
    """
    digest = hashlib.sha256()
    size = 0
    head = b""
    file.seek(0)
    for chunk in file.chunks():
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    mime_type = magic.from_buffer(head, mime=True) if head else "application/x-empty"
    return FileFacts(size_bytes=size, sha256=digest.hexdigest(), mime_type=mime_type)
