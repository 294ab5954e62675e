"""Serving private files (archive/public/media.py): who may have which file, the access
log, and streaming with Range from local storage."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.public.models import AccessRecord
from archive.publishing.services import withdraw
from archive.testimonies.models import AccessLevel, MediaAsset
from tests.conftest import client_for
from tests.factories import (
    make_live_testimony,
    make_media,
    make_testimony,
    make_user,
    make_verified_consent,
    wav_bytes,
)

pytestmark = pytest.mark.django_db

RECORDING = wav_bytes(seconds=0.5, seed=12)  # 8,044 bytes
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
UPLOADED_NAME = "Վերա Պետրոսյան interview.wav"


def media_url(asset: MediaAsset) -> str:
    return reverse("media_file", args=[asset.pk])


def live_asset(access_level: str = AccessLevel.PUBLIC, **testimony: object) -> MediaAsset:
    media = {"content": RECORDING, "name": UPLOADED_NAME, "access_level": access_level}
    return make_live_testimony(media=[media], **testimony).media.get()  # type: ignore[arg-type]


def public_asset() -> MediaAsset:
    return live_asset()


def researchers_asset() -> MediaAsset:
    return live_asset(AccessLevel.RESEARCHERS)


def staff_asset() -> MediaAsset:
    return live_asset(AccessLevel.STAFF)


def withdrawn_asset() -> MediaAsset:
    asset = live_asset()
    withdraw(asset.testimony, actor=make_user(role=Role.MODERATOR), reason="Narrator's request")
    return asset


SCENARIOS: dict[str, Callable[[], MediaAsset]] = {
    "public": public_asset,
    "researchers only": researchers_asset,
    "staff only": staff_asset,
    "withdrawn testimony": withdrawn_asset,
}

PERSONAS = [
    "anonymous",
    "researcher",
    "approved_researcher",
    "contributor",
    "moderator",
    "archivist",
]
#                          anon  res.  appr. contr. mod.  arch.
ALLOWED = {
    "public": (True, True, True, True, True, True),
    "researchers only": (False, False, True, True, True, True),
    "staff only": (False, False, False, True, True, True),
    "withdrawn testimony": (False, False, False, True, True, True),
    "consent evidence": (False, False, False, False, False, True),
}


def persona_client(request: pytest.FixtureRequest, persona: str) -> tuple[Client, User | None]:
    if persona == "anonymous":
        return Client(), None
    user = request.getfixturevalue(persona)
    return client_for(user), user


def fetch(client: Client, url: str, **headers: str) -> Any:
    """GET, reading a streamed body to its end (which closes the stored file) into .body."""
    response: Any = client.get(url, headers=headers)
    response.body = b"".join(response.streaming_content) if response.streaming else response.content
    return response


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_it_serves_a_media_file_only_to_whom_the_policy_allows_and_logs_restricted_ones(
    request, persona, scenario
):
    asset = SCENARIOS[scenario]()
    client, user = persona_client(request, persona)
    response = fetch(client, media_url(asset))
    allowed = ALLOWED[scenario][PERSONAS.index(persona)]
    if not allowed:
        assert response.status_code == 404
        assert RECORDING not in response.content
        assert not AccessRecord.objects.exists()
        return
    assert response.status_code == 200
    assert response.body == RECORDING
    if scenario == "public":
        assert not AccessRecord.objects.exists()
        return
    record = AccessRecord.objects.get()
    assert record.resource == AccessRecord.Resource.MEDIA
    assert (record.user, record.media_asset, record.testimony) == (user, asset, asset.testimony)
    assert record.ip_address == "127.0.0.1"
    assert record.at is not None


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_serves_consent_evidence_to_archivists_only_and_logs_it(request, persona):
    testimony = make_testimony()
    record = make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    record.evidence.save("upload.pdf", ContentFile(PDF))
    client, user = persona_client(request, persona)
    response = fetch(client, reverse("consent_evidence_file", args=[record.pk]))
    if not ALLOWED["consent evidence"][PERSONAS.index(persona)]:
        assert response.status_code == 404
        assert not AccessRecord.objects.exists()
        return
    assert response.status_code == 200
    assert response.body == PDF
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="consent-{record.pk}-evidence.pdf"' in response["Content-Disposition"]
    logged = AccessRecord.objects.get()
    assert (logged.user, logged.consent_record_id, logged.resource) == (
        user,
        record.pk,
        AccessRecord.Resource.CONSENT_EVIDENCE,
    )


def test_it_answers_404_for_evidence_that_does_not_exist(archivist):
    record = make_verified_consent(narrator=make_testimony().narrator, testimonies=[])
    client = client_for(archivist)
    assert client.get(reverse("consent_evidence_file", args=[record.pk])).status_code == 404
    assert client.get(reverse("consent_evidence_file", args=[record.pk + 99])).status_code == 404


@pytest.mark.parametrize(
    ("header", "status", "expected"),
    [
        ("bytes=0-99", 206, RECORDING[:100]),
        ("bytes=4000-4999", 206, RECORDING[4000:5000]),
        ("bytes=-100", 206, RECORDING[-100:]),
        ("bytes=100-", 206, RECORDING[100:]),
        (f"bytes={len(RECORDING)}-", 416, b""),
        ("bytes=0-9,100-109", 200, RECORDING),
        (None, 200, RECORDING),
    ],
    ids=["first bytes", "middle", "suffix", "open-ended", "out of range", "several", "none"],
)
def test_it_streams_ranges_of_a_local_file_byte_for_byte(header, status, expected):
    asset = public_asset()
    headers = {"Range": header} if header else {}
    response = fetch(Client(), media_url(asset), **headers)
    assert response.status_code == status
    assert response.body == expected
    assert response["Accept-Ranges"] == "bytes"
    size = len(RECORDING)
    if status == 206:
        first = size - len(expected) if header == "bytes=-100" else int(header[6:].split("-")[0])
        assert response["Content-Range"] == f"bytes {first}-{first + len(expected) - 1}/{size}"
        assert response["Content-Length"] == str(len(expected))
    elif status == 416:
        assert response["Content-Range"] == f"bytes */{size}"
    else:
        assert response["Content-Length"] == str(size)
        assert response.streaming  # never read into memory whole


def test_it_sends_the_sniffed_type_and_a_reviewed_name_to_the_public():
    asset = public_asset()
    response = fetch(Client(), media_url(asset))
    assert response["Content-Type"] == "audio/x-wav"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{asset.sha256}"'
    assert response["Cache-Control"] == "no-cache"
    # The uploaded name was never reviewed and may name a pseudonymous narrator.
    name = f"{asset.testimony.reference}-audio-{asset.pk}.wav"
    assert (
        response["Content-Disposition"] == f"inline; filename=\"{name}\"; filename*=UTF-8''{name}"
    )
    assert "%D5%8E" not in response["Content-Disposition"]


def test_it_gives_staff_the_uploaded_name_and_keeps_restricted_files_out_of_caches(moderator):
    asset = staff_asset()
    response = fetch(client_for(moderator), media_url(asset))
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="')
    assert "filename*=UTF-8''%D5%8E%D5%A5%D6%80%D5%A1%20" in disposition
    assert disposition.endswith("interview.wav")
    assert response["Cache-Control"] == "private, no-store"


def test_it_keeps_a_file_added_after_approval_from_the_public_until_it_is_approved(moderator):
    asset = public_asset()
    later = make_media(testimony=asset.testimony, content=wav_bytes(seed=3), name="b.wav")
    assert Client().get(media_url(later)).status_code == 404
    assert fetch(client_for(moderator), media_url(later)).status_code == 200


def test_it_stops_serving_a_file_restricted_after_approval_at_once():
    asset = public_asset()
    MediaAsset.objects.filter(pk=asset.pk).update(access_level=AccessLevel.STAFF)
    assert Client().get(media_url(asset)).status_code == 404


def test_it_serves_the_public_only_the_file_that_was_approved():
    asset = public_asset()
    MediaAsset.objects.filter(pk=asset.pk).update(sha256="0" * 64)
    assert Client().get(media_url(asset)).status_code == 404


def test_it_answers_404_when_the_stored_file_is_gone_and_logs_no_access(moderator, caplog):
    asset = staff_asset()
    asset.file.storage.delete(str(asset.file.name))
    assert client_for(moderator).get(media_url(asset)).status_code == 404
    assert "Stored file missing" in caplog.text
    assert not AccessRecord.objects.exists()


def test_it_never_serves_a_type_it_would_not_accept_as_itself(moderator):
    html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
    asset = make_media(testimony=make_testimony(), content=html, name="legacy.html")
    assert asset.mime_type == "text/html"
    response = fetch(client_for(moderator), media_url(asset))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.body == html


def test_it_hands_local_files_to_nginx_when_configured(settings, moderator):
    settings.MEDIA_X_ACCEL_PREFIX = "/protected-media/"
    asset = staff_asset()
    response = client_for(moderator).get(media_url(asset))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{asset.file.name}"
    assert response["Content-Type"] == "audio/x-wav"
    assert "interview.wav" in response["Content-Disposition"]
    assert response.content == b""
    assert AccessRecord.objects.count() == 1


def test_it_answers_head_without_a_body_or_a_log_entry(moderator):
    asset = staff_asset()
    response = client_for(moderator).head(media_url(asset))
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(RECORDING))
    assert response.content == b""
    assert not AccessRecord.objects.exists()


def test_it_accepts_only_reading(moderator):
    asset = staff_asset()
    assert client_for(moderator).post(media_url(asset)).status_code == 405


def test_it_answers_404_for_a_file_that_does_not_exist():
    assert Client().get(reverse("media_file", args=[987654])).status_code == 404


def test_it_shows_the_access_log_to_archivists_read_only(archivist, contributor, moderator):
    asset = staff_asset()
    fetch(client_for(moderator), media_url(asset))
    changelist = reverse("admin:public_accessrecord_changelist")
    page = client_for(archivist).get(changelist)
    assert page.status_code == 200
    assert asset.testimony.reference in page.content.decode()
    assert moderator.username in page.content.decode()
    record = AccessRecord.objects.get()
    change = reverse("admin:public_accessrecord_change", args=[record.pk])
    assert client_for(archivist).post(change, {"ip_address": "10.0.0.1"}).status_code == 403
    assert client_for(archivist).get(reverse("admin:public_accessrecord_add")).status_code == 403
    assert client_for(contributor).get(changelist).status_code == 403


def test_it_logs_one_visit_once_however_often_the_player_seeks(moderator):
    asset = staff_asset()
    client = client_for(moderator)
    for header in ("bytes=0-", "bytes=4000-", "bytes=100-199"):
        assert fetch(client, media_url(asset), Range=header).status_code == 206
    assert AccessRecord.objects.count() == 1
    AccessRecord.objects.update(at=timezone.now() - timedelta(minutes=6))
    fetch(client, media_url(asset))
    assert AccessRecord.objects.count() == 2
    fetch(client_for(make_user(role=Role.ARCHIVIST)), media_url(asset))
    assert AccessRecord.objects.count() == 3
