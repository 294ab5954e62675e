"""Recording, verifying and withdrawing consent, each scope end to end."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from archive.accounts.audience import Audience
from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.consent.models import ConsentRecord
from archive.consent.policy import disclosed_content
from archive.lib.errors import WorkflowError
from archive.publishing.consent_changes import (
    TOMBSTONE_TITLE,
    delete_consent_records,
    record_consent,
    verify_consent,
    withdraw_consent,
)
from archive.publishing.models import Revision
from archive.testimonies.models import (
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Testimony,
    Transcript,
)
from tests.factories import make_live_testimony, make_media, make_narrator, make_user

pytestmark = pytest.mark.django_db


def visible(user, testimony: Testimony) -> bool:
    return Testimony.objects.visible_to(user).filter(pk=testimony.pk).exists()


def test_it_records_consent_that_counts_only_once_verified_by_someone_else(archivist):
    narrator = make_narrator()
    record = record_consent(
        actor=archivist,
        narrator=narrator,
        testimonies=[],
        given_on=date(2023, 9, 26),
        method=ConsentRecord.Method.ELECTRONIC,
        allows_archiving=True,
    )
    assert not record.is_verified
    with pytest.raises(WorkflowError, match="another archivist must verify it"):
        verify_consent(record, actor=archivist)
    second = make_user(role=Role.ARCHIVIST)
    verify_consent(record, actor=second)
    record.refresh_from_db()
    assert record.verified_by == second
    assert AuditEntry.objects.filter(action="consent.verify", actor=second).exists()
    with pytest.raises(WorkflowError, match="already verified"):
        verify_consent(record, actor=make_user(role=Role.ARCHIVIST))


@pytest.mark.parametrize("persona", ["contributor", "moderator"])
def test_it_lets_only_archivists_handle_consent(request, persona, archivist):
    actor = request.getfixturevalue(persona)
    narrator = make_narrator()
    with pytest.raises(WorkflowError, match="You may not record consent."):
        record_consent(
            actor=actor,
            narrator=narrator,
            testimonies=[],
            given_on=date(2023, 1, 1),
            method="electronic",
        )
    record = record_consent(
        actor=archivist,
        narrator=narrator,
        testimonies=[],
        given_on=date(2023, 1, 1),
        method="electronic",
    )
    with pytest.raises(WorkflowError, match="Only an archivist may verify consent."):
        verify_consent(record, actor=actor)
    with pytest.raises(WorkflowError, match="Only an archivist may record a withdrawal."):
        withdraw_consent(record, actor=actor, scope="unpublish")


def test_it_refuses_an_incomplete_consent_with_a_clear_message(archivist):
    with pytest.raises(Exception, match="Consent for a minor names the guardian"):
        record_consent(
            actor=archivist,
            narrator=make_narrator(),
            testimonies=[],
            given_on=date(2023, 1, 1),
            method="electronic",
            narrator_is_minor=True,
        )
    assert not ConsentRecord.objects.exists()


def test_it_takes_an_unpublished_testimony_off_public_surfaces_but_not_from_researchers(
    archivist, approved_researcher
):
    testimony = make_live_testimony()
    assert visible(AnonymousUser(), testimony)
    withdraw_consent(testimony.consent_records.get(), actor=archivist, scope="unpublish")
    testimony.refresh_from_db()
    assert not visible(AnonymousUser(), testimony)
    assert disclosed_content(testimony, Audience.PUBLIC) is None
    assert visible(approved_researcher, testimony)
    assert visible(archivist, testimony)


def test_it_restricts_a_testimony_to_staff(archivist, approved_researcher):
    testimony = make_live_testimony()
    withdraw_consent(testimony.consent_records.get(), actor=archivist, scope="restrict")
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.WITHDRAWN
    assert not visible(AnonymousUser(), testimony)
    assert not visible(approved_researcher, testimony)
    assert visible(archivist, testimony)
    assert [e.action for e in AuditEntry.objects.filter(testimony_id=testimony.pk)][:1] == [
        "publishing.withdraw"
    ]


def test_it_erases_texts_files_and_identity_and_leaves_a_tombstone(archivist, private_storage):
    narrator = make_narrator(
        attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Anahit P.", occupation="nurse"
    )
    NarratorIdentity.objects.create(narrator=narrator, given_name="Anahit", family_name="Hakobyan")
    testimony = make_live_testimony(
        narrator=narrator,
        title="The night the shelling began",
        transcript="A sentence only this testimony holds: pomegranate lanterns.",
    )
    asset = make_media(testimony=testimony)
    stored_file = str(asset.file.name)
    record = testimony.consent_records.get()
    record.evidence.save("signed form.pdf", ContentFile(b"%PDF-1.4 signed by Anahit Hakobyan"))
    evidence_file = str(record.evidence.name)
    assert default_storage.exists(stored_file)
    assert default_storage.exists(evidence_file)

    withdraw_consent(record, actor=archivist, scope="erase", note="Asked by phone.")

    tombstone = Testimony.objects.get(pk=testimony.pk)
    assert tombstone.reference == testimony.reference
    assert tombstone.title == TOMBSTONE_TITLE
    assert tombstone.erased_at is not None
    assert tombstone.status == Testimony.Status.WITHDRAWN
    assert not Transcript.objects.filter(testimony=tombstone).exists()
    assert not MediaAsset.objects.filter(testimony=tombstone).exists()
    assert not Revision.objects.filter(testimony=tombstone).exists()
    assert not default_storage.exists(stored_file)
    assert not default_storage.exists(evidence_file)
    assert not NarratorIdentity.objects.filter(narrator=narrator).exists()
    narrator.refresh_from_db()
    assert (narrator.attribution, narrator.pseudonym, narrator.occupation) == ("anonymous", "", "")
    assert not visible(archivist, tombstone)
    # Nothing of the text or the name is left in the database, the log included.
    for model in (Testimony, Transcript, Revision, AuditEntry, NarratorIdentity, Narrator):
        for row in model.objects.values():
            assert "pomegranate" not in str(row)
            assert "Hakobyan" not in str(row)
            assert "shelling" not in str(row)
    assert AuditEntry.objects.filter(action="consent.erase_testimony").exists()


def test_it_refuses_a_withdrawal_that_goes_no_further_than_the_last(archivist):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    withdraw_consent(record, actor=archivist, scope="restrict")
    for scope in ("unpublish", "restrict"):
        with pytest.raises(WorkflowError, match="already withdrawn"):
            withdraw_consent(record, actor=archivist, scope=scope)
    record.refresh_from_db()
    assert record.withdrawal_scope == "restrict"


def test_it_erases_what_a_narrator_first_only_unpublished(archivist):
    testimony = make_live_testimony(transcript="Apricots on the pomegranate tree.")
    record = testimony.consent_records.get()
    withdraw_consent(record, actor=archivist, scope="unpublish", note="first step")
    first = ConsentRecord.objects.get(pk=record.pk).withdrawn_at
    withdraw_consent(record, actor=archivist, scope="erase")
    testimony.refresh_from_db()
    assert testimony.erased_at is not None
    assert not Transcript.objects.filter(testimony=testimony).exists()
    record.refresh_from_db()
    assert (record.withdrawal_scope, record.withdrawn_at) == ("erase", first)
    steps = AuditEntry.objects.for_object(record).filter(action="consent.withdraw")
    assert [entry.data["scope"] for entry in steps.order_by("pk")] == ["unpublish", "erase"]
    with pytest.raises(WorkflowError, match="already withdrawn"):
        withdraw_consent(record, actor=archivist, scope="erase")


def test_it_leaves_no_file_of_an_erased_testimony_in_the_storage(archivist, private_storage):
    testimony = make_live_testimony(media=[{"name": "a.wav"}, {"name": "b.wav"}])
    make_media(testimony=testimony, name="added later.wav")
    record = testimony.consent_records.get()
    record.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 signed"))
    assert len([path for path in private_storage.rglob("*") if path.is_file()]) == 4

    withdraw_consent(record, actor=archivist, scope="erase")

    assert [path for path in private_storage.rglob("*") if path.is_file()] == []
    assert ConsentRecord.objects.get(pk=record.pk).evidence.name == ""


def test_it_deletes_a_consent_record_with_its_evidence_and_audits_it(archivist, private_storage):
    testimony = make_live_testimony()
    record = testimony.consent_records.get()
    record.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 signed"))

    delete_consent_records(ConsentRecord.objects.filter(pk=record.pk), actor=archivist)

    assert not ConsentRecord.objects.exists()
    assert [path for path in private_storage.rglob("*") if path.is_file()] == []
    entry = AuditEntry.objects.get(action="consent.delete")
    assert (entry.actor, entry.object_id, entry.data) == (
        archivist,
        str(record.pk),
        {"testimonies": [testimony.pk]},
    )


def test_it_lets_only_those_who_may_delete_consent_records_delete_them(contributor):
    record = make_live_testimony().consent_records.get()
    record.evidence.save("form.pdf", ContentFile(b"%PDF-1.4 signed"))

    with pytest.raises(WorkflowError, match="You may not delete consent records."):
        delete_consent_records(ConsentRecord.objects.all(), actor=contributor)

    assert ConsentRecord.objects.exists()
    assert default_storage.exists(str(record.evidence.name))
    assert not AuditEntry.objects.filter(action="consent.delete").exists()
