"""Media on S3 (django-storages), against a real S3 HTTP endpoint: moto's server on
127.0.0.1, started once for the session. Moto accepts tampered signatures, so nothing here
tests signature checks; it does refuse unsigned requests to private objects."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from moto.server import ThreadedMotoServer

from archive.lib.storage import delete_stored_file, s3_storage_settings
from archive.preservation.fixity import check_fixity
from archive.public.models import AccessRecord
from archive.publishing.consent_changes import withdraw_consent
from archive.testimonies.models import AccessLevel, MediaAsset
from tests.conftest import client_for
from tests.factories import make_live_testimony, make_narrator, wav_bytes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
RECORDING = wav_bytes(seconds=0.25, seed=21)
CREDENTIALS: dict[str, Any] = {
    "region": "us-east-1",
    "access_key": "testing",
    "secret_key": "testing",
}


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass(frozen=True)
class Bucket:
    name: str
    endpoint: str
    client: Any

    def versions(self, key: str) -> list[str]:
        listing = self.client.list_object_versions(Bucket=self.name, Prefix=key)
        entries = [*listing.get("Versions", []), *listing.get("DeleteMarkers", [])]
        return [entry["VersionId"] for entry in entries if entry["Key"] == key]


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Bucket:
    """A fresh versioned bucket, and the archive's S3 settings pointing at it."""
    name = f"archive-{uuid.uuid4().hex[:16]}"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage_settings(bucket=name, endpoint_url=s3_endpoint, **CREDENTIALS),
    }
    # The storage's own client: the same configuration production uses.
    client = default_storage.connection.meta.client  # type: ignore[attr-defined]
    client.create_bucket(Bucket=name)
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return Bucket(name=name, endpoint=s3_endpoint, client=client)


def live_asset(access_level: str = AccessLevel.PUBLIC) -> MediaAsset:
    media = {"content": RECORDING, "name": "interview.wav", "access_level": access_level}
    return make_live_testimony(media=[media]).media.get()


def http_get(url: str, **headers: str) -> tuple[int, Message, bytes]:
    """A plain HTTP GET, as a browser following the redirect would make it."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (moto on 127.0.0.1)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_it_stores_an_upload_private_encrypted_and_typed_by_its_content(bucket, contributor):
    narrator = make_narrator()
    data = {
        "title": "A night in the basement",
        "narrator": narrator.pk,
        "access_level": "staff",
        "transcripts-TOTAL_FORMS": "0",
        "transcripts-INITIAL_FORMS": "0",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-0-kind": "audio",
        "media-0-access_level": "staff",
        "media-0-file": SimpleUploadedFile("interview.mp3", RECORDING, content_type="audio/mpeg"),
    }
    response = client_for(contributor).post(reverse("admin:testimonies_testimony_add"), data)
    assert response.status_code == 302
    key = str(MediaAsset.objects.get().file.name)
    head = bucket.client.head_object(Bucket=bucket.name, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "audio/x-wav"  # sniffed, not the browser's audio/mpeg
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]  # the owner only
    status, _, _ = http_get(f"{bucket.endpoint}/{bucket.name}/{key}")
    assert status == 403


def test_it_never_overwrites_a_stored_object(bucket):
    first = default_storage.save("mediaasset/same.wav", ContentFile(b"first"))
    second = default_storage.save("mediaasset/same.wav", ContentFile(b"second"))
    assert first != second
    with default_storage.open(first) as stored:
        assert stored.read() == b"first"


def test_it_redirects_to_a_short_lived_presigned_link_that_serves_the_file(bucket, settings):
    settings.MEDIA_URL_SECONDS = 120
    asset = live_asset()
    response = Client().get(reverse("media_file", args=[asset.pk]))
    assert response.status_code == 302
    assert response["Cache-Control"] == "no-store"
    link = response["Location"]
    query = parse_qs(urlsplit(link).query)
    assert query["X-Amz-Expires"] == ["120"]
    assert query["response-content-type"] == ["audio/x-wav"]
    name = f"{asset.testimony.reference}-audio-{asset.pk}.wav"
    assert query["response-content-disposition"] == [
        f"inline; filename=\"{name}\"; filename*=UTF-8''{name}"
    ]

    status, headers, body = http_get(link)
    assert (status, body) == (200, RECORDING)
    assert headers["Content-Type"] == "audio/x-wav"
    assert name in headers["Content-Disposition"]

    status, headers, body = http_get(link, Range="bytes=100-199")
    assert (status, body) == (206, RECORDING[100:200])
    assert headers["Content-Range"] == f"bytes 100-199/{len(RECORDING)}"


def test_it_hands_out_links_to_restricted_files_only_as_the_policy_allows(bucket, moderator):
    asset = live_asset(AccessLevel.STAFF)
    assert Client().get(reverse("media_file", args=[asset.pk])).status_code == 404
    response = client_for(moderator).get(reverse("media_file", args=[asset.pk]))
    assert response.status_code == 302
    assert http_get(response["Location"])[2] == RECORDING
    assert AccessRecord.objects.get().user == moderator


def test_it_deletes_every_version_of_a_file_and_nothing_else(bucket):
    asset = live_asset()
    key = str(asset.file.name)
    neighbour = key + ".bak"  # shares the key as a prefix: must survive
    bucket.client.put_object(Bucket=bucket.name, Key=neighbour, Body=b"keep")
    bucket.client.put_object(Bucket=bucket.name, Key=key, Body=b"a second version")
    bucket.client.delete_object(Bucket=bucket.name, Key=key)  # a delete marker
    assert len(bucket.versions(key)) == 3

    delete_stored_file(asset.file)

    assert bucket.versions(key) == []
    assert len(bucket.versions(neighbour)) == 1
    assert asset.file.name is None


def test_it_erases_every_version_of_media_and_evidence(bucket, archivist):
    asset = live_asset()
    record = asset.testimony.consent_records.get()
    record.evidence.save("upload.pdf", ContentFile(b"%PDF-1.4 signed"))
    keys = [str(asset.file.name), str(record.evidence.name)]
    bucket.client.put_object(Bucket=bucket.name, Key=keys[0], Body=b"an older take")

    withdraw_consent(record, actor=archivist, scope="erase")

    assert [bucket.versions(key) for key in keys] == [[], []]


def test_it_checks_fixity_of_objects_in_the_bucket(bucket):
    intact, changed, missing = (live_asset() for _ in range(3))
    bucket.client.put_object(Bucket=bucket.name, Key=str(changed.file.name), Body=b"altered")
    delete_stored_file(MediaAsset.objects.get(pk=missing.pk).file)

    report = check_fixity()

    statuses = {result.asset_id: result.status for result in report.results}
    assert statuses == {intact.pk: "ok", changed.pk: "changed", missing.pk: "missing"}


def test_it_builds_the_s3_storage_from_environment_variables(bucket):
    script = (
        "from django.core.files.base import ContentFile;"
        "from django.core.files.storage import default_storage as s;"
        "name = s.save('probe/a.txt', ContentFile(b'hello'));"
        "print(type(s._wrapped).__name__, s.file_overwrite, s.default_acl, s.querystring_expire,"
        " s.object_parameters, s.client_config.s3, s.client_config.request_checksum_calculation,"
        " s.open(name).read())"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "AWS_"))}
    env = {
        **clean,
        "ARCHIVE_S3_BUCKET": bucket.name,
        "ARCHIVE_S3_ENDPOINT_URL": bucket.endpoint,
        "ARCHIVE_S3_REGION": "us-east-1",
        "ARCHIVE_S3_ACCESS_KEY_ID": "testing",
        "ARCHIVE_S3_SECRET_ACCESS_KEY": "testing",
        "ARCHIVE_MEDIA_URL_SECONDS": "60",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(" ", 4)[:4] == ["S3Storage", "False", "None", "60"]
    assert "{'ServerSideEncryption': 'AES256'}" in result.stdout
    assert "{'addressing_style': 'path'}" in result.stdout
    assert "when_required" in result.stdout
    assert result.stdout.strip().endswith("b'hello'")
