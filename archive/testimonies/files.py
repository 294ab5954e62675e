"""Facts about an uploaded file, read from its content in streaming passes."""

import hashlib
import logging
import wave
from dataclasses import dataclass
from decimal import Decimal

import magic
import mutagen
from django.core.files import File

SNIFF_BYTES = 4096
WAV_TYPES = frozenset({"audio/x-wav", "audio/wav", "audio/vnd.wave"})

logger = logging.getLogger(__name__)


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


def read_duration(file: File, mime_type: str) -> Decimal | None:
    """The playing time of a recording in seconds (to the millisecond), or None when it
    cannot be read. The wave module reads a WAV header; mutagen the other formats it knows
    (MP3, Ogg, Opus, FLAC, MP4/M4A). Both seek and read headers only."""
    seconds: float | None = None
    try:
        if mime_type in WAV_TYPES:
            seconds = _wav_seconds(file)
        if seconds is None:
            file.seek(0)
            recording = mutagen.File(file)
            length = getattr(getattr(recording, "info", None), "length", None)
            seconds = float(length) if length else None
    except Exception as error:
        # A duration is a convenience: a file we cannot measure is still a valid upload.
        logger.info("Could not read the duration of a %s file: %r", mime_type, error)
        seconds = None
    finally:
        file.seek(0)
    if seconds is None or seconds <= 0:
        return None
    return Decimal(seconds).quantize(Decimal("0.001"))


def _wav_seconds(file: File) -> float | None:
    file.seek(0)
    try:
        with wave.open(file) as recording:
            rate = recording.getframerate()
            return recording.getnframes() / rate if rate else None
    except (wave.Error, EOFError):
        return None  # e.g. a float or compressed WAV: mutagen may still read it
