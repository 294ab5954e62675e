"""How a narrator asked to be named is consent: archivists record it, a second archivist
verifies it, and the name the public sees is the one frozen in the approved revision, on
every surface (page, API, OAI-PMH, feed, search, citation)."""

import pytest
from django.urls import reverse

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.lib.errors import WorkflowError
from archive.publishing import services
from archive.publishing.consent_changes import record_identity_edit, record_naming, verify_naming
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony
from tests.conftest import client_for
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

Attribution = Narrator.Attribution


def hasmik_g() -> Testimony:
    narrator = make_narrator(
        given_name="Hasmik",
        family_name="Ghazaryan",
        attribution=Attribution.GIVEN_NAME_INITIAL,
    )
    return make_live_testimony(narrator=narrator, title="The road to Goris")


def public_surfaces(client, testimony: Testimony, query: str, *, all_shown: bool = False) -> str:
    """The page, the API, OAI-PMH's GetRecord and ListRecords, the feed and searches for
    `query`, as one text (each answered, and with `all_shown` each a 200)."""
    reference = testimony.reference
    responses = [
        client.get(reverse("testimony", args=[reference])),
        client.get(f"/api/testimonies/{reference}"),
        client.get(
            "/oai/",
            {
                "verb": "GetRecord",
                "identifier": f"oai:testimony-archive:{reference}",
                "metadataPrefix": "oai_dc",
            },
        ),
        client.get("/oai/", {"verb": "ListRecords", "metadataPrefix": "oai_dc"}),
        client.get(reverse("testimony_feed")),
        client.get(reverse("search"), {"q": query}),
        client.get("/api/testimonies/", {"q": query}),
    ]
    for response in responses:
        status = response.status_code
        assert status == 200 if all_shown else status < 500, response.request
    return "\n".join(response.content.decode() for response in responses)


def everything_public_says(client, testimony: Testimony) -> str:
    return public_surfaces(client, testimony, "Goris", all_shown=True)


def test_it_keeps_the_approved_name_until_a_change_is_verified_and_approved(
    client, contributor, moderator
):
    testimony = hasmik_g()
    narrator = testimony.narrator
    shown = everything_public_says(client, testimony)
    assert shown.count("Hasmik G.") >= 5
    assert "Ghazaryan" not in shown
    found = client.get(reverse("search"), {"q": "narrator:Hasmik"}).content.decode()
    assert testimony.reference in found

    # A contributor cannot change how a narrator is named.
    with pytest.raises(WorkflowError, match="Only an archivist"):
        record_naming(narrator, actor=contributor, attribution=Attribution.FULL_NAME)

    first, second = make_user(role=Role.ARCHIVIST), make_user(role=Role.ARCHIVIST)
    record_naming(narrator, actor=first, attribution=Attribution.FULL_NAME)
    # Narrowing at once: neither the old nor the new name, until verified and approved.
    shown = everything_public_says(client, testimony)
    assert "Ghazaryan" not in shown
    assert "Hasmik G." not in shown
    assert f"Narrator {narrator.pk}" in shown
    # Nor can the old or new name find it: the documents were rewritten at once.
    for words in ("Ghazaryan", "narrator:Hasmik", "Hasmik"):
        found = client.get(reverse("search"), {"q": words}).content.decode()
        assert testimony.reference not in found, words
    testimony.refresh_from_db()
    assert testimony.status == Testimony.Status.DRAFT  # published, changes pending
    assert testimony.live_revision is not None
    entry = AuditEntry.objects.get(action="consent.record_naming")
    assert entry.actor == first
    assert entry.data["attribution"] == "full_name"
    assert "Ghazaryan" not in str(entry.data) + entry.object_repr

    # The one who recorded it cannot verify it; another archivist can.
    with pytest.raises(WorkflowError, match="another archivist"):
        verify_naming(narrator, actor=first)
    verify_naming(narrator, actor=second)
    # Verified but not yet approved: the live revision froze "Hasmik G.", which no longer
    # is the narrator's choice.
    assert "Ghazaryan" not in everything_public_says(client, testimony)

    review = services.submit_for_review(testimony, actor=contributor)
    services.approve(review, actor=moderator)
    shown = everything_public_says(client, testimony)
    assert "Hasmik Ghazaryan" in shown
    assert "Hasmik G." not in shown


def test_it_shows_no_new_name_approved_before_it_was_verified(client, contributor, moderator):
    testimony = hasmik_g()
    narrator = testimony.narrator
    record_naming(narrator, actor=make_user(role=Role.ARCHIVIST), attribution="full_name")
    services.approve(services.submit_for_review(testimony, actor=contributor), actor=moderator)
    assert "Ghazaryan" not in everything_public_says(client, testimony)
    verify_naming(narrator, actor=make_user(role=Role.ARCHIVIST))
    assert "Hasmik Ghazaryan" in everything_public_says(client, testimony)


def test_it_hides_the_name_at_once_when_the_identity_is_renamed(client, archivist):
    testimony = hasmik_g()
    identity = NarratorIdentity.objects.get(narrator=testimony.narrator)
    identity.family_name = "Gasparyan"
    identity.given_name = "Hasmig"
    identity.save()
    record_identity_edit(testimony.narrator, actor=archivist, fields=["given_name", "family_name"])
    shown = everything_public_says(client, testimony)
    assert "Hasmik G." not in shown
    assert "Hasmig" not in shown
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.DRAFT


def test_it_hides_the_name_at_once_when_the_testimony_changes_narrator(client, contributor):
    testimony = hasmik_g()
    other = make_narrator(
        given_name="Lusine", family_name="Sargsyan", attribution=Attribution.FULL_NAME
    )
    response = client_for(contributor).post(
        reverse("admin:testimonies_testimony_change", args=[testimony.pk]),
        {**change_form_data(testimony), "narrator": other.pk},
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    shown = everything_public_says(client, testimony)
    assert "Sargsyan" not in shown
    assert "Hasmik G." not in shown
    testimony.refresh_from_db()
    assert testimony.narrator == other
    assert testimony.status == Testimony.Status.DRAFT


def change_form_data(testimony: Testimony) -> dict[str, object]:
    transcript = testimony.transcripts.get()
    return {
        "title": testimony.title,
        "summary": testimony.summary,
        "narrator": testimony.narrator_id,
        "interviewer": "",
        "recorded_precision": "",
        "access_level": testimony.access_level,
        "content_notes": "",
        "source": "",
        "rights_statement": "",
        "external_id": "",
        "transcripts-TOTAL_FORMS": "1",
        "transcripts-INITIAL_FORMS": "1",
        "transcripts-0-id": transcript.pk,
        "transcripts-0-testimony": testimony.pk,
        "transcripts-0-language": transcript.language,
        "transcripts-0-is_original": "on",
        "transcripts-0-text": transcript.text,
        "media-TOTAL_FORMS": "0",
        "media-INITIAL_FORMS": "0",
        # The version the form was opened at: a stale save is refused.
        "edited_version": Testimony.objects.get(pk=testimony.pk).version,
    }


def test_it_lets_contributors_and_moderators_only_read_how_a_narrator_is_named(
    contributor, moderator
):
    narrator = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anahit P.",
    )
    url = reverse("admin:testimonies_narrator_change", args=[narrator.pk])
    for user in (contributor, moderator):
        response = client_for(user).post(
            url, {"attribution": "full_name", "pseudonym": "", "occupation": "teacher"}
        )
        assert response.status_code == 302
        narrator.refresh_from_db()
        assert narrator.attribution == Attribution.PSEUDONYM
        assert narrator.pseudonym == "Anahit P."
        assert narrator.occupation == "teacher"


def test_it_records_an_archivists_change_in_the_admin_through_the_service(archivist):
    narrator = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Attribution.PSEUDONYM,
        pseudonym="Anahit P.",
    )
    response = client_for(archivist).post(
        reverse("admin:testimonies_narrator_change", args=[narrator.pk]),
        {
            "attribution": "full_name",
            "pseudonym": "",
            "identity-TOTAL_FORMS": "1",
            "identity-INITIAL_FORMS": "1",
            "identity-0-narrator": narrator.pk,
            "identity-0-given_name": "Anahit",
            "identity-0-family_name": "Hakobyan",
        },
    )
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    narrator.refresh_from_db()
    assert narrator.attribution == Attribution.FULL_NAME
    assert narrator.naming_recorded_by == archivist
    assert not narrator.naming_verified
    assert AuditEntry.objects.filter(action="consent.record_naming").count() == 1


def test_it_verifies_in_the_admin_only_the_naming_the_verifier_looked_at():
    first, second = make_user(role=Role.ARCHIVIST), make_user(role=Role.ARCHIVIST)
    narrator = make_narrator(attribution=Attribution.PSEUDONYM, pseudonym="Anahit P.")
    record_naming(narrator, actor=first, attribution=Attribution.PSEUDONYM, pseudonym="A. P.")
    client = client_for(second)
    url = reverse("admin:testimonies_narrator_change", args=[narrator.pk])
    seen = client.get(url).context["naming_panel"]
    assert seen["can_verify"]
    assert not client_for(first).get(url).context["naming_panel"]["can_verify"]
    # Meanwhile the first archivist records something else.
    record_naming(narrator, actor=first, attribution=Attribution.PSEUDONYM, pseudonym="Hakob")
    verify = reverse("admin:testimonies_narrator_verify_naming", args=[narrator.pk])
    client.post(verify, {"recorded_at": seen["recorded_at"]})
    narrator.refresh_from_db()
    assert not narrator.naming_verified
    now_seen = client.get(url).context["naming_panel"]
    client.post(verify, {"recorded_at": now_seen["recorded_at"]})
    narrator.refresh_from_db()
    assert narrator.naming_verified
    assert narrator.naming_verified_by == second
