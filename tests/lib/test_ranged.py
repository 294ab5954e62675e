"""Streaming a file with HTTP Range support (archive/lib/ranged.py)."""

import io
import random
from collections.abc import Iterator
from typing import cast

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from archive.lib.ranged import (
    UNSATISFIABLE,
    ByteRange,
    ascii_fallback,
    content_disposition,
    parse_range_header,
    ranged_file_response,
)

CONTENT = random.Random(6).randbytes(1000)
SIZE = len(CONTENT)


class TrackedFile(io.BytesIO):
    """A file that remembers being closed, as the response must close what it streams."""

    was_closed = False

    def close(self) -> None:
        self.was_closed = True
        super().close()


def respond(range_header: str | None = None, *, method: str = "get", **headers: str):
    request = getattr(RequestFactory(), method)(
        "/media/1/", headers={**({"Range": range_header} if range_header else {}), **headers}
    )
    file = TrackedFile(CONTENT)
    response = ranged_file_response(
        request,
        file,
        size=SIZE,
        content_type="audio/x-wav",
        filename="recording.wav",
        etag='"abc"',
        chunk_size=64,
    )
    if isinstance(response, StreamingHttpResponse):
        return response, response.getvalue(), file
    assert isinstance(response, HttpResponse)
    return response, response.content, file


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=400-599", 400, 599),
        ("bytes=-100", 900, 999),
        ("bytes=100-", 100, 999),
        ("bytes=990-5000", 990, 999),
        ("bytes=-5000", 0, 999),
        ("BYTES = 5-5", 5, 5),
    ],
)
def test_it_answers_one_range_with_exactly_those_bytes(header, first, last):
    response, body, file = respond(header)
    assert response.status_code == 206
    assert body == CONTENT[first : last + 1]
    assert response["Content-Range"] == f"bytes {first}-{last}/{SIZE}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "audio/x-wav"
    assert file.was_closed


def test_it_answers_without_range_with_the_whole_file_and_says_ranges_are_accepted():
    response, body, file = respond()
    assert response.status_code == 200
    assert body == CONTENT
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(SIZE)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == '"abc"'
    assert "Content-Range" not in response
    assert file.was_closed


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_it_refuses_a_range_beyond_the_end_with_416(header):
    response, body, file = respond(header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert body == b""
    assert file.was_closed


def test_it_answers_several_ranges_with_the_whole_file():
    # Documented choice: no multipart/byteranges; RFC 9110 lets a server ignore Range.
    response, body, _ = respond("bytes=0-9,20-29,-5")
    assert response.status_code == 200
    assert body == CONTENT
    assert "Content-Range" not in response


def test_it_serves_the_one_satisfiable_range_among_unsatisfiable_ones():
    response, body, _ = respond("bytes=0-9,5000-6000")
    assert response.status_code == 206
    assert body == CONTENT[:10]


@pytest.mark.parametrize(
    "header", ["items=0-9", "bytes=9-0", "bytes=abc", "bytes=-", "bytes=", "bytes=1-2-3"]
)
def test_it_ignores_a_range_it_cannot_read_and_sends_the_whole_file(header):
    response, body, _ = respond(header)
    assert response.status_code == 200
    assert body == CONTENT


def test_it_honours_if_range_only_while_the_entity_tag_matches():
    response, body, _ = respond("bytes=0-9", **{"If-Range": '"abc"'})
    assert (response.status_code, body) == (206, CONTENT[:10])
    response, body, _ = respond("bytes=0-9", **{"If-Range": '"changed"'})
    assert (response.status_code, body) == (200, CONTENT)


def test_it_answers_head_with_the_headers_of_a_get_and_no_body():
    response, body, file = respond("bytes=0-99", method="head")
    assert response.status_code == 206
    assert response["Content-Length"] == "100"
    assert response["Content-Range"] == f"bytes 0-99/{SIZE}"
    assert body == b""
    assert file.was_closed


@pytest.mark.django_db  # closing a response signals request_finished, which checks connections
def test_it_closes_the_file_when_the_client_goes_away_halfway():
    request = RequestFactory().get("/media/1/")
    file = TrackedFile(CONTENT)
    response = ranged_file_response(
        request, file, size=SIZE, content_type="audio/x-wav", filename="a.wav", chunk_size=64
    )
    assert isinstance(response, StreamingHttpResponse)
    stream = iter(cast(Iterator[bytes], response.streaming_content))
    assert next(stream) == CONTENT[:64]
    response.close()  # what the WSGI server does when the client disconnects
    assert file.was_closed


@pytest.mark.django_db
def test_it_closes_the_file_of_a_response_never_read():
    file = TrackedFile(CONTENT)
    response = ranged_file_response(
        RequestFactory().get("/"), file, size=SIZE, content_type="audio/x-wav", filename="a.wav"
    )
    response.close()
    assert file.was_closed


def test_it_parses_ranges_as_rfc_9110_says():
    assert parse_range_header("bytes=0-0", 10) == [ByteRange(0, 0)]
    assert parse_range_header("bytes=0-1, 4-", 10) == [ByteRange(0, 1), ByteRange(4, 9)]
    assert parse_range_header("bytes=10-", 10) is UNSATISFIABLE
    assert parse_range_header("bytes=-1", 0) is UNSATISFIABLE
    assert parse_range_header("bytes=3-1", 10) is None


def test_it_names_the_file_for_every_browser_in_rfc_6266_form():
    header = content_disposition("Վերա Պետրոսյան, 2023.wav")
    assert header.startswith('inline; filename="')
    assert "filename*=UTF-8''%D5%8E%D5%A5%D6%80%D5%A1%20" in header
    assert header.endswith("2023.wav")
    assert content_disposition("a.pdf", as_attachment=True).startswith("attachment;")


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("Vera interview.wav", "Vera interview.wav"),
        ("Վերա.wav", "file.wav"),
        ("Café à Goris.pdf", "Cafe a Goris.pdf"),
        ('say "hi"\r\n.pdf', "say _hi_.pdf"),
        ("../../etc/passwd", "passwd"),
        ("ձայն", "file"),
    ],
)
def test_it_gives_an_ascii_fallback_name_that_cannot_break_the_header(name, fallback):
    assert ascii_fallback(name) == fallback


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # 5,000 digits: past int()'s limit, and past the end of any file.
        ("bytes=0-" + "9" * 5000, [ByteRange(0, SIZE - 1)]),
        ("bytes=" + "9" * 5000 + "-", UNSATISFIABLE),
        ("bytes=-" + "9" * 5000, [ByteRange(0, SIZE - 1)]),
        ("bytes=" + "0" * 5000 + "10-" + "0" * 5000 + "19", [ByteRange(10, 19)]),
        ("bytes=" + "9" * 5000 + "-5", None),
        # Digits of other scripts are not digits here.
        ("bytes=٣-٤", None),
        ("bytes=²-", None),
    ],
)
def test_it_reads_any_number_of_digits_and_only_ascii_ones(header, expected):
    assert parse_range_header(header, SIZE) == expected
