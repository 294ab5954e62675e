"""Creating and deleting testimonies and media files: a new testimony gets its reference,
and a deletion takes the stored bytes with the record and is audited."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from archive.audit.models import AuditEntry
from archive.lib.errors import WorkflowError
from archive.testimonies.models import MediaAsset, Testimony
from archive.testimonies.services import (
    create_testimony,
    delete_media_asset,
    delete_testimonies,
    delete_testimony,
)
from tests.conftest import client_for
from tests.factories import make_media, make_narrator, make_testimony, make_user

pytestmark = pytest.mark.django_db


def test_it_deletes_a_media_file_from_the_storage_with_its_record(contributor):
    asset = make_media(testimony=make_testimony())
    name = str(asset.file.name)
    assert default_storage.exists(name)
    delete_media_asset(asset, actor=contributor)
    assert not default_storage.exists(name)
    assert not MediaAsset.objects.filter(pk=asset.pk).exists()
    entry = AuditEntry.objects.get(action="testimonies.delete_media")
    assert (entry.actor, entry.testimony_id) == (contributor, asset.testimony_id)


def test_it_lets_only_those_who_may_delete_media_delete_it():
    asset = make_media(testimony=make_testimony())
    with pytest.raises(WorkflowError, match="You may not delete media files."):
        delete_media_asset(asset, actor=make_user())
    assert default_storage.exists(str(asset.file.name))


def test_it_deletes_the_file_when_a_media_file_is_deleted_in_the_admin(contributor):
    asset = make_media(testimony=make_testimony())
    name = str(asset.file.name)
    url = reverse("admin:testimonies_mediaasset_delete", args=[asset.pk])
    response = client_for(contributor).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not MediaAsset.objects.exists()
    assert not default_storage.exists(name)


def test_it_deletes_the_files_of_media_deleted_in_bulk_in_the_admin(contributor):
    testimony = make_testimony()
    assets = [make_media(testimony=testimony, name=f"{n}.wav") for n in range(2)]
    names = [str(asset.file.name) for asset in assets]
    response = client_for(contributor).post(
        reverse("admin:testimonies_mediaasset_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in assets], "post": "yes"},
    )
    assert response.status_code == 302
    assert not any(default_storage.exists(name) for name in names)


def test_it_deletes_the_file_of_a_media_file_removed_from_a_testimony_page(contributor):
    testimony = make_testimony(title="A night in the basement", access_level="staff")
    asset = make_media(testimony=testimony)
    name = str(asset.file.name)
    transcript = testimony.transcripts.get()
    data = {
        "title": testimony.title,
        "narrator": testimony.narrator_id,
        "access_level": "staff",
        "transcripts-TOTAL_FORMS": "1",
        "transcripts-INITIAL_FORMS": "1",
        "transcripts-0-id": transcript.pk,
        "transcripts-0-testimony": testimony.pk,
        "transcripts-0-language": "en",
        "transcripts-0-is_original": "on",
        "transcripts-0-text": transcript.text,
        "media-TOTAL_FORMS": "1",
        "media-INITIAL_FORMS": "1",
        "media-0-id": asset.pk,
        "media-0-testimony": testimony.pk,
        "media-0-kind": "audio",
        "media-0-access_level": "public",
        "media-0-DELETE": "on",
        "edited_version": testimony.version,
    }
    url = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
    response = client_for(contributor).post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert not MediaAsset.objects.exists()
    assert not default_storage.exists(name)


def test_it_deletes_the_files_of_a_testimony_deleted_in_the_admin(archivist):
    testimony = make_testimony()
    name = str(make_media(testimony=testimony).file.name)
    url = reverse("admin:testimonies_testimony_delete", args=[testimony.pk])
    response = client_for(archivist).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Testimony.objects.exists()
    assert not default_storage.exists(name)


def test_it_creates_a_testimony_under_the_next_reference_of_its_year(contributor):
    def new_testimony() -> Testimony:
        return Testimony(
            title="A winter in the cellar",
            narrator=make_narrator(),
            recorded_on=date(1994, 2, 1),
            recorded_precision=Testimony.DatePrecision.DAY,
        )

    first = create_testimony(new_testimony(), actor=contributor)
    testimony = create_testimony(new_testimony(), actor=contributor)

    testimony.refresh_from_db()
    assert (first.reference, testimony.reference) == ("TA-1994-0001", "TA-1994-0002")
    assert testimony.created_by == contributor
    entry = AuditEntry.objects.filter(action="testimonies.create").latest("pk")
    assert (entry.actor, entry.testimony_id) == (contributor, testimony.pk)


def test_it_lets_only_those_who_may_add_testimonies_create_one():
    testimony = Testimony(title="A winter in the cellar", narrator=make_narrator())

    with pytest.raises(WorkflowError, match="You may not add testimonies."):
        create_testimony(testimony, actor=make_user())

    assert not Testimony.objects.exists()


def test_it_deletes_a_testimony_with_its_files_and_audits_it(archivist):
    testimony = make_testimony()
    asset = make_media(testimony=testimony)
    name = str(asset.file.name)

    delete_testimony(testimony, actor=archivist)

    assert not Testimony.objects.exists()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.get(action="testimonies.delete")
    assert (entry.actor, entry.testimony_id, entry.object_repr) == (
        archivist,
        testimony.pk,
        testimony.reference,
    )
    assert entry.data == {"media": [asset.sha256]}


def test_it_lets_only_those_who_may_delete_testimonies_delete_them(contributor):
    testimony = make_testimony()
    name = str(make_media(testimony=testimony).file.name)

    with pytest.raises(WorkflowError, match="You may not delete testimonies."):
        delete_testimonies(Testimony.objects.all(), actor=contributor)

    assert Testimony.objects.exists()
    assert default_storage.exists(name)
    assert not AuditEntry.objects.filter(action="testimonies.delete").exists()


def test_it_audits_each_testimony_deleted_in_bulk_in_the_admin(archivist):
    testimonies = [make_testimony() for _ in range(2)]
    media = [make_media(testimony=testimony) for testimony in testimonies]
    names = [str(asset.file.name) for asset in media]

    response = client_for(archivist).post(
        reverse("admin:testimonies_testimony_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [testimony.pk for testimony in testimonies],
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not Testimony.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
    deleted = AuditEntry.objects.filter(action="testimonies.delete")
    assert sorted(deleted.values_list("testimony_id", flat=True)) == [t.pk for t in testimonies]
    # Each entry names the checksums of its own testimony's files, not the others'.
    assert {entry.testimony_id: entry.data["media"] for entry in deleted} == {
        asset.testimony_id: [asset.sha256] for asset in media
    }
