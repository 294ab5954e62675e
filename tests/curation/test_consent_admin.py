"""Consent in the admin: verifying, withdrawing, and edits that need verifying again."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from archive.accounts.roles import Role
from archive.consent.models import ConsentRecord
from archive.testimonies.models import Testimony
from tests.conftest import client_for
from tests.factories import make_consent, make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db


def change_url(record: ConsentRecord) -> str:
    return reverse("admin:consent_consentrecord_change", args=[record.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_offers_verification_to_another_archivist_only(archivist):
    record = make_consent(narrator=make_narrator(), recorded_by=archivist)
    own = client_for(archivist).get(change_url(record)).content.decode()
    assert "Verify this consent" not in own
    other = make_user(role=Role.ARCHIVIST)
    page = client_for(other).get(change_url(record)).content.decode()
    assert "Verify this consent" in page
    response = client_for(other).post(
        reverse("admin:consent_consentrecord_verify", args=[record.pk]), follow=True
    )
    assert "The consent is verified and now counts." in messages_of(response)
    assert ConsentRecord.objects.get(pk=record.pk).verified_by == other


def test_it_records_a_withdrawal_with_its_scope(archivist):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    response = client_for(archivist).post(
        reverse("admin:consent_consentrecord_withdraw", args=[record.pk]),
        {"scope": "restrict", "note": "Letter of 3 May."},
        follow=True,
    )
    assert "The withdrawal (Restrict (staff only)) took effect on 1 testimony." in messages_of(
        response
    )
    assert not Testimony.objects.visible_to(AnonymousUser()).filter(pk=testimony.pk).exists()
    assert ConsentRecord.objects.get(pk=record.pk).withdrawal_note == "Letter of 3 May."


def test_it_refuses_a_withdrawal_without_a_valid_scope(archivist):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    response = client_for(archivist).post(
        reverse("admin:consent_consentrecord_withdraw", args=[record.pk]),
        {"scope": "forget"},
        follow=True,
    )
    assert "Choose what the withdrawal does" in messages_of(response)[0]
    assert not ConsentRecord.objects.get(pk=record.pk).is_withdrawn


def test_it_asks_for_a_new_verification_when_the_terms_are_edited(archivist):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    client = client_for(archivist)
    form = client.get(change_url(record)).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(
        {
            "narrator": record.narrator_id,
            "testimonies": [testimony.pk],
            "given_on": "2023-09-26",
            "method": "electronic",
            "allows_public_audio": "",
        }
    )
    for flag in ("supersedes", "oral_consent_recording", "evidence", "allows_public_audio"):
        data.pop(flag, None)
    response = client.post(change_url(record), data, follow=True)
    assert "another archivist must verify it again" in " ".join(messages_of(response))
    record.refresh_from_db()
    assert not record.is_verified
    assert not record.allows_public_audio
    # Unverified, it now restricts: nothing is granted until someone verifies it.
    assert not Testimony.objects.visible_to(AnonymousUser()).filter(pk=testimony.pk).exists()


def test_it_keeps_the_verification_for_a_new_review_date(archivist):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    from archive.publishing.consent_changes import record_consent_edit

    record.review_on = date(2030, 1, 1)
    record.save()
    record_consent_edit(record, actor=archivist, fields=["review_on"])
    assert ConsentRecord.objects.get(pk=record.pk).is_verified


def test_it_deletes_the_evidence_file_with_its_consent_record(archivist, private_storage):
    record = make_consent(narrator=make_narrator())
    record.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 signed"))
    url = reverse("admin:consent_consentrecord_delete", args=[record.pk])
    response = client_for(archivist).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not ConsentRecord.objects.exists()
    assert [path for path in private_storage.rglob("*") if path.is_file()] == []


def test_it_deletes_replaced_evidence_from_the_storage(archivist, private_storage):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    record.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 first scan"))
    client = client_for(archivist)
    form = client.get(change_url(record)).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v not in (None, False, "")}
    for flag in ("supersedes", "oral_consent_recording"):
        data.pop(flag, None)
    data.update(
        {
            "narrator": record.narrator_id,
            "testimonies": [testimony.pk],
            "given_on": "2023-09-26",
            "method": "signed_form",
            "evidence": SimpleUploadedFile("rescan.pdf", b"%PDF-1.4 second scan"),
        }
    )
    response = client.post(change_url(record), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    stored = [path.read_bytes() for path in private_storage.rglob("*") if path.is_file()]
    assert stored == [b"%PDF-1.4 second scan"]


def test_a_stale_save_of_a_consent_record_is_refused_and_cannot_grant_again(archivist):
    """One archivist takes the public audio away; another, who opened the record before,
    saves an unrelated change: refused, so the scope stays taken away."""
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    other = make_user(role=Role.ARCHIVIST, username="arev.archivist")
    first, second = client_for(archivist), client_for(other)

    def opened(client):
        form = client.get(change_url(record)).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v not in (None, False, "")}
        for name in ("supersedes", "oral_consent_recording", "evidence"):
            data.pop(name, None)
        data.update({"narrator": record.narrator_id, "testimonies": [testimony.pk]})
        return data

    first_form, second_form = opened(first), opened(second)
    assert first_form["edited_version"] == 1
    first_form.pop("allows_public_audio")
    assert first.post(change_url(record), first_form).status_code == 302

    refused = second.post(change_url(record), {**second_form, "form_version": "v2"})

    assert refused.status_code == 200
    assert "Someone else saved this consent record since you opened it" in (
        refused.content.decode()
    )
    record.refresh_from_db()
    assert not record.allows_public_audio
    assert record.form_version != "v2"
    assert record.version == 2


def test_the_consent_service_refuses_a_stale_version(archivist):
    from archive.lib.errors import WorkflowError
    from archive.publishing.consent_changes import claim_consent_edit

    record = make_consent(narrator=make_narrator())
    claim_consent_edit(record, actor=archivist, version=1)

    with pytest.raises(WorkflowError, match="Someone else saved this consent record"):
        claim_consent_edit(ConsentRecord.objects.get(pk=record.pk), actor=archivist, version=1)
    assert ConsentRecord.objects.get(pk=record.pk).version == 2
