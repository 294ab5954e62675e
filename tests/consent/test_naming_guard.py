"""The pseudonym guard runs again whenever what must not be named may have widened (how the
narrator is named, their identity, their consent to name disclosure): a published text that
now names them leaves every public surface before the change's call returns."""

from typing import Any

import pytest
from django.urls import reverse

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.consent.models import ConsentRecord
from archive.lib.errors import WorkflowError
from archive.publishing import services
from archive.publishing.consent_changes import (
    record_consent,
    record_consent_edit,
    record_identity_edit,
    record_naming,
    verify_naming,
)
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony
from tests.conftest import client_for
from tests.consent.test_naming import public_surfaces
from tests.factories import FULL_CONSENT, make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

Attribution = Narrator.Attribution
SUMMARY = "Vera Terteryan, a 70-year-old retired teacher from Gyumri, on the winter of 1988."
TRANSCRIPT = "My name is Vera Terteryan. The school in Gyumri fell in the first minute."


def vera(**narrator_fields: Any) -> Testimony:
    narrator_fields.setdefault("attribution", Attribution.FULL_NAME)
    narrator = make_narrator(given_name="Vera", family_name="Terteryan", **narrator_fields)
    return make_live_testimony(
        narrator=narrator, title="The school in Gyumri", summary=SUMMARY, transcript=TRANSCRIPT
    )


def assert_offline_without_names(client, testimony: Testimony, *names: str) -> None:
    for name in names:
        shown = public_surfaces(client, testimony, name.lower())
        assert name not in shown
    # No search hit, no feed entry (the page and OAI-PMH may say it is gone).
    listings = [
        client.get(reverse("testimony_feed")),
        client.get(reverse("search"), {"q": names[0].lower()}),
        client.get("/api/testimonies/", {"q": names[0].lower()}),
    ]
    for response in listings:
        assert testimony.reference not in response.content.decode()
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.WITHDRAWN
    assert testimony.live_revision is None
    entry = AuditEntry.objects.get(action="publishing.pseudonym_guard_withdraw")
    assert entry.testimony_id == testimony.pk
    for name in names:
        assert name not in str(entry.data) and name not in entry.object_repr


def test_it_serves_the_name_before_any_change(client):
    # The premise of the tests below: the name is on every surface while it is consented.
    testimony = vera()
    shown = public_surfaces(client, testimony, "terteryan")
    assert shown.count("Terteryan") >= 5


def test_it_takes_the_text_offline_when_a_full_name_becomes_a_pseudonym(client):
    testimony = vera()
    narrator = testimony.narrator
    record_naming(
        narrator,
        actor=make_user(role=Role.ARCHIVIST),
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anna V.",
    )
    assert_offline_without_names(client, testimony, "Terteryan")
    verify_naming(narrator, actor=make_user(role=Role.ARCHIVIST))
    assert_offline_without_names(client, testimony, "Terteryan")


def test_it_returns_only_through_a_new_approval_past_the_guard(client, contributor, moderator):
    testimony = vera()
    record_naming(
        testimony.narrator,
        actor=make_user(role=Role.ARCHIVIST),
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anna V.",
    )
    review = services.republish(testimony, actor=make_user(role=Role.ARCHIVIST))
    with pytest.raises(WorkflowError, match="until an archivist has checked it"):
        services.approve(review, actor=moderator)
    assert "Terteryan" not in public_surfaces(client, testimony, "terteryan")


def test_it_takes_the_text_offline_when_a_given_name_and_initial_becomes_anonymous(client):
    narrator = make_narrator(
        given_name="Hasmik", family_name="Ghazaryan", attribution=Attribution.GIVEN_NAME_INITIAL
    )
    testimony = make_live_testimony(
        narrator=narrator,
        title="The road to Goris",
        summary="Hasmik remembers the road to Goris.",
        transcript="They called me Hasmik at school in Goris.",
    )
    assert "Hasmik" in public_surfaces(client, testimony, "hasmik")
    record_naming(narrator, actor=make_user(role=Role.ARCHIVIST), attribution="anonymous")
    assert_offline_without_names(client, testimony, "Hasmik")


def test_it_takes_the_text_offline_when_the_identity_gains_the_spelling_it_contains(
    client, archivist
):
    narrator = make_narrator(
        given_name="Vera",
        family_name="Terteryan",
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anna V.",
    )
    testimony = make_live_testimony(
        narrator=narrator,
        title="The school in Gyumri",
        summary="A retired teacher, née Авакян, on the winter of 1988.",
    )
    identity = NarratorIdentity.objects.get(narrator=narrator)
    identity.other_names = "Авакян"
    identity.save()
    record_identity_edit(narrator, actor=archivist, fields=["other_names"])
    assert_offline_without_names(client, testimony, "Авакян")


def test_it_takes_the_text_offline_when_an_identity_edited_in_the_admin_holds_its_name(client):
    narrator = make_narrator(
        given_name="Vera",
        family_name="Terteryan",
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anna V.",
    )
    testimony = make_live_testimony(
        narrator=narrator, title="The school", summary="A teacher, née Авакян, on 1988."
    )
    identity = NarratorIdentity.objects.get(narrator=narrator)
    response = client_for(make_user(role=Role.ARCHIVIST)).post(
        reverse("admin:testimonies_narratoridentity_change", args=[identity.pk]),
        {
            "narrator": narrator.pk,
            "given_name": "Vera",
            "family_name": "Terteryan",
            "name_in_original_script": "",
            "other_names": "Авакян",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert_offline_without_names(client, testimony, "Авакян")


def test_it_takes_the_text_offline_when_a_consent_record_withdraws_name_disclosure(client):
    testimony = vera()
    record_consent(
        actor=make_user(role=Role.ARCHIVIST),
        narrator=testimony.narrator,
        testimonies=[testimony],
        given_on="2026-11-01",
        method=ConsentRecord.Method.ELECTRONIC,
        supersedes=testimony.consent_records.get(),
        **{**FULL_CONSENT, "allows_name_disclosure": False},
    )
    assert_offline_without_names(client, testimony, "Terteryan")


def test_it_takes_the_text_offline_when_a_consent_edit_withdraws_name_disclosure(client):
    testimony = vera()
    record = testimony.consent_records.get()
    ConsentRecord.objects.filter(pk=record.pk).update(allows_name_disclosure=False)
    record.refresh_from_db()
    record_consent_edit(
        record, actor=make_user(role=Role.ARCHIVIST), fields=["allows_name_disclosure"]
    )
    assert_offline_without_names(client, testimony, "Terteryan")


def test_it_leaves_online_a_text_the_change_does_not_touch(client):
    testimony = vera()
    Testimony.objects.filter(pk=testimony.pk).update(summary="")
    record_naming(
        testimony.narrator,
        actor=make_user(role=Role.ARCHIVIST),
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anna V.",
    )
    testimony.refresh_from_db()
    # The transcript of the live revision still names her: offline. Another narrator's
    # testimony, with no name in its text, stays.
    assert testimony.status == Testimony.Status.WITHDRAWN
    other = make_live_testimony(
        narrator=make_narrator(
            given_name="Ani", family_name="Sahakyan", attribution="pseudonym", pseudonym="Lilit"
        ),
        title="Quiet",
    )
    record_naming(other.narrator, actor=make_user(role=Role.ARCHIVIST), attribution="anonymous")
    other.refresh_from_db()
    assert other.live_revision is not None
    assert not AuditEntry.objects.filter(
        action="publishing.pseudonym_guard_withdraw", testimony_id=other.pk
    ).exists()
