"""The staff admin, where curators work: lists, filters, search, and the testimony form."""

import hashlib
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.accounts.roles import Role
from archive.testimonies.models import AccessLevel, MediaAsset, Narrator, Testimony, Transcript
from tests.conftest import client_for
from tests.factories import (
    make_collection,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:testimonies_testimony_changelist")
ADD = reverse("admin:testimonies_testimony_add")


def make_catalogue(count: int) -> None:
    collection = make_collection()
    place = make_place()
    subject = make_subject()
    for number in range(count):
        narrator = make_narrator(
            given_name=f"Given{number}",
            family_name=f"Family{number}",
            attribution=Narrator.Attribution.FULL_NAME,
        )
        testimony = make_testimony(narrator=narrator, collection=collection)
        testimony.places.add(place)
        testimony.subjects.add(subject)
        Transcript.objects.create(testimony=testimony, language="ru", text="Перевод.")


def changelist_queries(client, **params: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST, {"all": "", **params})
    assert response.status_code == 200
    return len(queries)


def test_it_lists_testimonies_without_a_query_per_row(archivist):
    client = client_for(archivist)
    make_catalogue(5)
    few = changelist_queries(client)
    make_catalogue(195)
    many = changelist_queries(client)
    assert Testimony.objects.count() == 200
    assert many == few


def test_it_shows_what_curators_need_in_the_list(moderator):
    narrator = make_narrator(
        given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
    )
    testimony = make_testimony(
        narrator=narrator,
        title="I left everything behind",
        collection=make_collection(title="Exodus of September 2023"),
        language="en",
    )
    Transcript.objects.create(
        testimony=testimony, language="hy", text="Թարգմանություն", translator="T"
    )
    page = client_for(moderator).get(CHANGELIST).content.decode()
    # The narrator by number: a name from the identity only for archivists.
    assert "Petrosyan" not in page
    archivists_page = client_for(make_user(role=Role.ARCHIVIST)).get(CHANGELIST)
    assert "Vera Petrosyan" in archivists_page.content.decode()
    for expected in [
        testimony.reference,
        "I left everything behind",
        f"Narrator {narrator.pk}",
        "Draft",
        "Staff only",
        "en, hy",
        "Exodus of September 2023",
    ]:
        assert expected in page


def test_it_titles_the_admin_for_the_archive(moderator):
    page = client_for(moderator).get(reverse("admin:index")).content.decode()
    assert "Testimony Archive" in page
    assert "Django administration" not in page


def test_it_filters_by_status_access_language_collection_place_and_subject(archivist):
    client = client_for(archivist)
    goris = make_place(name="Goris")
    blockade = make_subject(label="Blockade")
    exodus = make_collection(title="Exodus")
    wanted = make_testimony(
        title="Wanted", language="hy", access_level=AccessLevel.RESEARCHERS, collection=exodus
    )
    wanted.places.add(goris)
    wanted.subjects.add(blockade)
    make_testimony(title="Other", language="en")
    filters: list[dict[str, str | int]] = [
        {"access_level__exact": "researchers"},
        {"language": "hy"},
        {"collection__id__exact": exodus.pk},
        {"places__id__exact": goris.pk},
        {"subjects__id__exact": blockade.pk},
    ]
    for params in filters:
        page = client.get(CHANGELIST, params).content.decode()
        assert "Wanted" in page, params
        assert "Other" not in page, params
    published = client.get(CHANGELIST, {"status__exact": "published"}).content.decode()
    assert "Wanted" not in published


def test_it_finds_testimonies_by_reference_title_and_public_narrator_name(contributor):
    client = client_for(contributor)
    pseudonymous = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Mariam K.",
    )
    testimony = make_testimony(narrator=pseudonymous, title="The last bus from Stepanakert")
    for query in [testimony.reference, "last bus", "Mariam"]:
        assert testimony.reference in client.get(CHANGELIST, {"q": query}).content.decode()


def test_it_does_not_let_a_contributor_match_a_real_name_to_a_pseudonym(contributor, archivist):
    pseudonymous = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Mariam K.",
    )
    testimony = make_testimony(narrator=pseudonymous)
    by_contributor = client_for(contributor).get(CHANGELIST, {"q": "Hakobyan"}).content.decode()
    assert testimony.reference not in by_contributor
    by_archivist = client_for(archivist).get(CHANGELIST, {"q": "Hakobyan"}).content.decode()
    assert testimony.reference in by_archivist


def form_data_for(narrator: Narrator, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "A night in the basement",
        "summary": "",
        "narrator": narrator.pk,
        "interviewer": "",
        "recorded_on": "2023-09-26",
        "recorded_precision": "day",
        "access_level": "public",
        "transcripts-TOTAL_FORMS": "2",
        "transcripts-INITIAL_FORMS": "0",
        "transcripts-0-language": "hy",
        "transcripts-0-is_original": "on",
        "transcripts-0-text": "Մենք գյուղից գնացինք։",
        "transcripts-1-language": "en",
        "transcripts-1-translator": "Lilit Grigoryan",
        "transcripts-1-text": "We left the village.",
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_it_gives_a_new_testimony_a_reference_and_its_author(contributor):
    narrator = make_narrator()
    response = client_for(contributor).post(ADD, form_data_for(narrator))
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    testimony = Testimony.objects.get()
    assert testimony.reference == "TA-2023-0001"
    assert testimony.created_by == contributor
    assert testimony.status == Testimony.Status.DRAFT
    assert testimony.recorded_on == date(2023, 9, 26)
    assert testimony.languages == ["hy", "en"]


def test_it_refuses_a_testimony_whose_transcripts_have_no_original(contributor):
    narrator = make_narrator()
    data = form_data_for(narrator, **{"transcripts-0-is_original": ""})
    del data["transcripts-0-is_original"]
    response = client_for(contributor).post(ADD, data)
    assert response.status_code == 200
    assert "Mark exactly one transcript as the original" in response.content.decode()
    assert not Testimony.objects.exists()


def test_it_does_not_let_a_contributor_set_the_status(contributor):
    narrator = make_narrator()
    client_for(contributor).post(ADD, form_data_for(narrator, status="published"))
    assert Testimony.objects.get().status == Testimony.Status.DRAFT


def test_it_stores_an_uploaded_recording_under_a_generated_name_with_its_checksum(contributor):
    narrator = make_narrator()
    wav = b"RIFF\x2c\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00" + bytes(64)
    upload = SimpleUploadedFile("Vera Petrosyan interview.wav", wav, content_type="audio/wav")
    data = form_data_for(
        narrator,
        **{
            "media-TOTAL_FORMS": "1",
            "media-0-kind": "audio",
            "media-0-file": upload,
            "media-0-access_level": "researchers",
            "media-0-caption": "",
        },
    )
    response = client_for(contributor).post(ADD, data)
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    assert asset.original_name == "Vera Petrosyan interview.wav"
    stored_name = str(asset.file.name)
    assert "Petrosyan" not in stored_name
    assert stored_name.endswith(".wav")
    assert asset.sha256 == hashlib.sha256(wav).hexdigest()
    assert asset.size_bytes == len(wav)
    assert asset.mime_type in {"audio/x-wav", "audio/wav"}
    with default_storage.open(stored_name) as stored:
        assert stored.read() == wav
