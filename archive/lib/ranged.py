"""Streaming a file with HTTP Range support (RFC 9110 §14), so that browsers can seek in a
long recording without the server ever holding the file in memory.

Django's FileResponse ignores Range headers; this helper answers them:

- no Range (or one we may ignore: another unit, bad syntax, a stale If-Range): 200 with the
  whole file and ``Accept-Ranges: bytes``;
- one satisfiable range: 206 Partial Content with ``Content-Range: bytes first-last/size``;
- no satisfiable range: 416 with ``Content-Range: bytes */size``;
- several satisfiable ranges: 200 with the whole file. RFC 9110 lets a server ignore Range;
  browsers' media players and PDF viewers ask for one range at a time, and refusing to build
  multipart/byteranges bodies closes the door to many-small-ranges amplification.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

CHUNK_SIZE = 64 * 1024
# ASCII digits only: re's \d (and int()) would take any script's digits.
RANGE_SPEC = re.compile(r"^([0-9]*)-([0-9]*)$")
# Any offset longer than this lies past the end of any file there can be.
BEYOND_ANY_FILE = 10**20


@dataclass(frozen=True)
class ByteRange:
    first: int
    last: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.last - self.first + 1


class SeekableFile(Protocol):
    def seek(self, offset: int, whence: int = ..., /) -> int: ...
    def read(self, size: int = ..., /) -> bytes: ...
    def close(self) -> None: ...


class Unsatisfiable:
    """A Range header none of whose ranges overlaps the file (answered with 416)."""


UNSATISFIABLE = Unsatisfiable()


def _offset(digits: str) -> int:
    """The number a run of ASCII digits spells, capped past any file's size: int() refuses
    more than 4,300 digits, and a client may send 5,000."""
    significant = digits.lstrip("0") or "0"
    return int(significant) if len(significant) <= 20 else BEYOND_ANY_FILE


def parse_range_header(header: str, size: int) -> list[ByteRange] | Unsatisfiable | None:
    """The satisfiable byte ranges of a Range header for a file of `size` bytes.

    None means the header is to be ignored (whole file); UNSATISFIABLE means a 416.
    """
    unit, _, range_set = header.partition("=")
    if unit.strip().lower() != "bytes" or not range_set.strip():
        return None
    ranges: list[ByteRange] = []
    for spec in range_set.split(","):
        match = RANGE_SPEC.match(spec.strip())
        if match is None:
            return None
        first_text, last_text = match.groups()
        if first_text:
            first = _offset(first_text)
            if last_text and _offset(last_text) < first:
                return None  # syntactically invalid: the whole header is ignored
            if first < size:
                last = _offset(last_text) if last_text else size - 1
                ranges.append(ByteRange(first, min(last, size - 1)))
        elif last_text:
            suffix = _offset(last_text)
            if suffix > 0 and size > 0:
                ranges.append(ByteRange(max(size - suffix, 0), size - 1))
        else:
            return None  # a lone "-"
    return ranges or UNSATISFIABLE


def ascii_fallback(filename: str) -> str:
    """A plain-ASCII version of a file name for clients that ignore filename*."""
    path = PurePosixPath(filename.replace("\\", "/")).name
    decomposed = unicodedata.normalize("NFKD", path).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", decomposed).strip(" ._")
    suffix = PurePosixPath(path).suffix
    if not cleaned.strip("_") or cleaned == suffix.lstrip("."):
        cleaned = f"file{suffix}" if re.fullmatch(r"\.[A-Za-z0-9]{1,5}", suffix) else "file"
    return cleaned


def content_disposition(filename: str, *, as_attachment: bool = False) -> str:
    """An RFC 6266 Content-Disposition: a quoted ASCII fallback, and the real name as
    UTF-8 in filename* (which every current browser prefers)."""
    kind = "attachment" if as_attachment else "inline"
    encoded = quote(filename, safe="")
    return f"{kind}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


class FileRange:
    """The bytes `first` to `first + length - 1` of a file, read chunk by chunk.

    An iterator object rather than a generator: StreamingHttpResponse calls close() on
    its content when the response is closed, and this close() shuts the file also when
    the client went away before the first chunk (a generator not yet started would skip
    its finally clause).
    """

    def __init__(self, file: SeekableFile, first: int, length: int, chunk_size: int) -> None:
        self.file = file
        self.remaining = length
        self.chunk_size = chunk_size
        file.seek(first)

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        chunk = self.file.read(min(self.chunk_size, self.remaining)) if self.remaining > 0 else b""
        if not chunk:
            # The end, or a file that shrank under us (the client sees a short body).
            self.close()
            raise StopIteration
        self.remaining -= len(chunk)
        return chunk

    def close(self) -> None:
        self.file.close()


def _if_range_matches(request: HttpRequest, etag: str | None) -> bool:
    """RFC 9110 §13.1.5: a Range is honoured only while the client's copy is current. We
    send no Last-Modified, so only our own strong ETag can match."""
    condition = request.headers.get("If-Range")
    if condition is None:
        return True
    return etag is not None and condition.strip() == etag


def ranged_file_response(
    request: HttpRequest,
    file: SeekableFile,
    *,
    size: int,
    content_type: str,
    filename: str,
    as_attachment: bool = False,
    etag: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> HttpResponseBase:
    """Answer a GET or HEAD for an open, seekable binary file of `size` bytes.

    The response owns the file and closes it. `etag`, when given, must be a strong entity
    tag in quotes (the file's SHA-256 serves well).
    """
    header = request.headers.get("Range")
    ranges = None
    if header and _if_range_matches(request, etag):
        ranges = parse_range_header(header, size)

    if isinstance(ranges, Unsatisfiable):
        file.close()
        response: HttpResponseBase = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response

    if ranges is not None and len(ranges) == 1:
        selected, status = ranges[0], 206
    else:
        selected, status = ByteRange(0, size - 1), 200

    if request.method == "HEAD":
        file.close()
        response = HttpResponse(status=status)
    else:
        response = StreamingHttpResponse(
            FileRange(file, selected.first, max(selected.length, 0), chunk_size), status=status
        )
    response["Content-Length"] = str(max(selected.length, 0))
    if status == 206:
        response["Content-Range"] = f"bytes {selected.first}-{selected.last}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Content-Type"] = content_type
    response["Content-Disposition"] = content_disposition(filename, as_attachment=as_attachment)
    response["X-Content-Type-Options"] = "nosniff"
    if etag is not None:
        response["ETag"] = etag
    return response
