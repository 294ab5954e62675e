"""What the archive accepts as a file (archive/testimonies/uploads.py), in the admin and for
importers: the type is read from the content, each kind has its formats and a size limit,
and a refused file leaves nothing in the storage."""

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.consent.models import ConsentRecord
from archive.testimonies.models import MediaAsset, Narrator
from archive.testimonies.uploads import EVIDENCE, check_upload, mime_type_of_stored_name
from tests.conftest import client_for
from tests.factories import make_media, make_narrator, make_testimony, wav_bytes

pytestmark = pytest.mark.django_db

ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00" + bytes(200)
HTML = b"<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script>"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02" + bytes(20)

TESTIMONY_ADD = reverse("admin:testimonies_testimony_add")
CONSENT_ADD = reverse("admin:consent_consentrecord_add")


def upload(content: bytes, name: str) -> SimpleUploadedFile:
    # The browser's declared type is a lie on purpose: it must count for nothing.
    return SimpleUploadedFile(name, content, content_type="audio/mpeg")


def stored_files(location: Path) -> list[Path]:
    return [path for path in location.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (ELF, "interview.mp3", "The content of this file is application/x-executable"),
        (HTML, "interview.mp3", "The content of this file is text/html"),
        (PNG, "interview.wav", "The content of this file is image/png"),
        (b"", "interview.wav", "The file is empty."),
    ],
    ids=["renamed executable", "html named mp3", "image as audio", "empty"],
)
def test_it_refuses_audio_whose_content_is_not_audio(content, name, message):
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(content, name), purpose=MediaAsset.Kind.AUDIO)
    assert message in refusal.value.messages[0]
    if content:
        assert "not accepted as an audio file" in refusal.value.messages[0]
        assert "MP3, Ogg or Opus, WAV, FLAC or M4A" in refusal.value.messages[0]


def test_it_refuses_a_file_over_the_limit_of_its_kind(settings):
    settings.MEDIA_UPLOAD_MAX_BYTES = {**settings.MEDIA_UPLOAD_MAX_BYTES, "audio": 2**20}
    content = wav_bytes(seconds=70)  # about 1.07 MB
    with pytest.raises(ValidationError, match=r"This file is 1\.1 MB; an audio file may be at"):
        check_upload(upload(content, "long.wav"), purpose=MediaAsset.Kind.AUDIO)
    small = wav_bytes(seconds=60)  # about 0.92 MB: under the limit
    assert check_upload(upload(small, "a.wav"), purpose=MediaAsset.Kind.AUDIO).size_bytes


def test_it_accepts_a_wav_with_its_checksum_size_type_and_duration():
    content = wav_bytes(seconds=2.5, rate=8000)
    file = upload(content, "Vera Petrosyan interview.mp3")
    facts = check_upload(file, purpose=MediaAsset.Kind.AUDIO)
    assert facts.sha256 == hashlib.sha256(content).hexdigest()
    assert facts.size_bytes == len(content)
    assert facts.mime_type == "audio/x-wav"
    assert facts.duration_seconds == Decimal("2.500")
    assert facts.original_name == "Vera Petrosyan interview.mp3"
    # Stored under the extension of what it is, with the sniffed type for S3's metadata.
    assert file.name == "upload.wav"
    assert file.content_type == "audio/x-wav"


def test_it_accepts_a_pdf_or_a_scan_as_consent_evidence_but_not_a_recording():
    assert check_upload(upload(PDF, "form.pdf"), purpose=EVIDENCE).mime_type == "application/pdf"
    assert check_upload(upload(PNG, "scan.png"), purpose=EVIDENCE).mime_type == "image/png"
    with pytest.raises(ValidationError, match="not accepted as consent evidence"):
        check_upload(upload(wav_bytes(), "form.pdf"), purpose=EVIDENCE)


def test_it_knows_a_stored_files_type_by_the_extension_it_chose():
    assert mime_type_of_stored_name("consentrecord/2025/01/abc.pdf") == "application/pdf"
    assert mime_type_of_stored_name("consentrecord/2025/01/abc.exe") == "application/octet-stream"


def new_testimony_form(narrator: Narrator, **media: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "A night in the basement",
        "narrator": narrator.pk,
        "recorded_on": "2023-09-26",
        "recorded_precision": "day",
        "access_level": "public",
        "transcripts-TOTAL_FORMS": "1",
        "transcripts-INITIAL_FORMS": "0",
        "transcripts-0-language": "hy",
        "transcripts-0-is_original": "on",
        "transcripts-0-text": "Մենք գյուղից գնացինք։",
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "0",
        "media-0-kind": "audio",
        "media-0-access_level": "researchers",
    }
    data.update({f"media-0-{name}": value for name, value in media.items()})
    return data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (ELF, "application/x-executable, which is not accepted as an audio file"),
        (HTML, "text/html, which is not accepted as an audio file"),
        (b"", "The submitted file is empty."),
    ],
    ids=["renamed executable", "html named mp3", "empty"],
)
def test_it_refuses_a_bad_upload_in_the_admin_and_stores_nothing(
    contributor, private_storage, content, message
):
    data = new_testimony_form(make_narrator(), file=upload(content, "interview.mp3"))
    response = client_for(contributor).post(TESTIMONY_ADD, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MediaAsset.objects.exists()
    assert stored_files(private_storage) == []


def test_it_refuses_an_oversized_upload_in_the_admin_and_stores_nothing(
    contributor, private_storage, settings
):
    settings.MEDIA_UPLOAD_MAX_BYTES = {**settings.MEDIA_UPLOAD_MAX_BYTES, "audio": 1000}
    data = new_testimony_form(make_narrator(), file=upload(wav_bytes(), "interview.wav"))
    response = client_for(contributor).post(TESTIMONY_ADD, data)
    assert "an audio file may be at most 0.0 MB" in response.content.decode()
    assert stored_files(private_storage) == []


def test_it_stores_an_accepted_recording_under_the_extension_of_its_content(
    contributor, private_storage
):
    content = wav_bytes(seconds=1.25)
    data = new_testimony_form(
        make_narrator(), file=upload(content, "Vera Petrosyan.mp3"), duration_seconds="99"
    )
    response = client_for(contributor).post(TESTIMONY_ADD, data)
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    assert asset.original_name == "Vera Petrosyan.mp3"
    assert str(asset.file.name).endswith(".wav")
    assert "Petrosyan" not in str(asset.file.name)
    assert asset.mime_type == "audio/x-wav"
    assert asset.duration_seconds == Decimal("1.250")  # measured, not the typed 99
    assert asset.sha256 == hashlib.sha256(content).hexdigest()
    assert [path.read_bytes() for path in stored_files(private_storage)] == [content]


def test_it_does_not_let_a_stored_file_be_swapped(contributor):
    asset = make_media(testimony=make_testimony(), content=wav_bytes(seed=1), name="a.wav")
    before = (asset.file.name, asset.sha256)
    url = reverse("admin:testimonies_mediaasset_change", args=[asset.pk])
    page = client_for(contributor).get(url).content.decode()
    assert reverse("media_file", args=[asset.pk]) in page
    response = client_for(contributor).post(
        url,
        {
            "testimony": asset.testimony_id,
            "kind": "audio",
            "access_level": "public",
            "file": upload(wav_bytes(seed=2), "b.wav"),
            "edited_version": asset.testimony.version,
        },
    )
    assert response.status_code == 302
    asset.refresh_from_db()
    assert (asset.file.name, asset.sha256) == before


def test_it_refuses_to_file_a_stored_recording_as_an_image(contributor):
    asset = make_media(testimony=make_testimony(), content=wav_bytes(), name="a.wav")
    url = reverse("admin:testimonies_mediaasset_change", args=[asset.pk])
    response = client_for(contributor).post(
        url,
        {
            "testimony": asset.testimony_id,
            "kind": "image",
            "access_level": "public",
            "edited_version": asset.testimony.version,
        },
    )
    assert "The stored file is audio/x-wav, which is not accepted as an image." in (
        response.content.decode()
    )
    assert MediaAsset.objects.get(pk=asset.pk).kind == "audio"


def new_consent_form(narrator: Narrator, testimony_id: int, evidence: SimpleUploadedFile) -> dict:
    return {
        "narrator": narrator.pk,
        "testimonies": [testimony_id],
        "given_on": "2023-09-26",
        "method": "signed_form",
        "evidence": evidence,
        "allows_archiving": "on",
    }


def test_it_refuses_consent_evidence_that_is_not_a_pdf_or_a_scan(archivist, private_storage):
    testimony = make_testimony()
    data = new_consent_form(testimony.narrator, testimony.pk, upload(ELF, "signed form.pdf"))
    response = client_for(archivist).post(CONSENT_ADD, data)
    assert response.status_code == 200
    assert "not accepted as consent evidence" in response.content.decode()
    assert not ConsentRecord.objects.exists()
    assert stored_files(private_storage) == []


def test_it_stores_consent_evidence_under_a_generated_name(archivist, private_storage):
    testimony = make_testimony()
    data = new_consent_form(testimony.narrator, testimony.pk, upload(PDF, "Petrosyan form.pdf"))
    response = client_for(archivist).post(CONSENT_ADD, data)
    assert response.status_code == 302
    record = ConsentRecord.objects.get()
    assert str(record.evidence.name).endswith(".pdf")
    assert "Petrosyan" not in str(record.evidence.name)
    assert [path.read_bytes() for path in stored_files(private_storage)] == [PDF]
