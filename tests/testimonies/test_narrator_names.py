"""Real names stay with archivists: nothing a contributor or moderator can open in the admin
(lists, autocomplete, the narrator's and the testimony's pages, the workflow panel, search)
or on the site prints a name from a narrator's identity that is not public."""

import pytest
from django.urls import reverse

from archive.accounts.roles import Role
from archive.publishing.consent_changes import record_naming
from archive.testimonies.models import Narrator, NarratorIdentity
from tests.conftest import client_for
from tests.factories import make_live_testimony, make_narrator, make_user

pytestmark = pytest.mark.django_db

SECRET = "Hakobyan"


@pytest.fixture
def turned_to_full_name():
    """A pseudonymous narrator's published testimony, after an archivist recorded that they
    now wish to be named in full (not yet verified, nor approved)."""
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Anahit P.")
    NarratorIdentity.objects.create(
        narrator=narrator,
        given_name="Anahit",
        family_name=SECRET,
        name_in_original_script="Անահիտ Հակոբյան",
    )
    testimony = make_live_testimony(narrator=narrator, title="The last bus")
    record_naming(
        narrator, actor=make_user(role=Role.ARCHIVIST), attribution=Narrator.Attribution.FULL_NAME
    )
    return testimony


def admin_pages(testimony) -> list[str]:
    narrator = testimony.narrator
    return [
        reverse("admin:testimonies_narrator_changelist"),
        reverse("admin:testimonies_narrator_change", args=[narrator.pk]),
        reverse("admin:testimonies_testimony_changelist"),
        reverse("admin:testimonies_testimony_change", args=[testimony.pk]),
        reverse("admin:autocomplete")
        + "?app_label=testimonies&model_name=testimony&field_name=narrator&term=",
        reverse("admin:autocomplete")
        + "?app_label=testimonies&model_name=testimony&field_name=narrator&term=Anahit",
        reverse("admin:audit_auditentry_changelist"),
        reverse("testimony", args=[testimony.reference]),
    ]


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.MODERATOR])
def test_it_prints_no_real_name_to_contributors_and_moderators(turned_to_full_name, role):
    client = client_for(make_user(role=role))
    for url in admin_pages(turned_to_full_name):
        response = client.get(url)
        if response.status_code == 403:  # the audit log, for contributors
            continue
        assert response.status_code == 200, url
        page = response.content.decode()
        assert SECRET not in page, url
        assert "Հակոբյան" not in page, url


def test_it_shows_archivists_the_name_and_the_change_waiting_for_them(turned_to_full_name):
    client = client_for(make_user(role=Role.ARCHIVIST))
    narrators = client.get(reverse("admin:testimonies_narrator_changelist")).content.decode()
    assert "Anahit Hakobyan" in narrators
    panel = client.get(
        reverse("admin:testimonies_testimony_change", args=[turned_to_full_name.pk])
    ).content.decode()
    assert "full name: Anahit Hakobyan" in panel  # in the diff against the live revision


@pytest.mark.parametrize("role", [Role.CONTRIBUTOR, Role.MODERATOR])
def test_it_is_no_oracle_on_real_names_for_contributors_and_moderators(turned_to_full_name, role):
    client = client_for(make_user(role=role))
    found = client.get(reverse("admin:testimonies_narrator_changelist"), {"q": SECRET})
    assert "0 narrators" in found.content.decode() or "0 results" in found.content.decode()
    suggested = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "testimonies",
            "model_name": "testimony",
            "field_name": "narrator",
            "term": SECRET,
        },
    )
    assert suggested.json()["results"] == []
    archivist = client_for(make_user(role=Role.ARCHIVIST))
    found = archivist.get(reverse("admin:testimonies_narrator_changelist"), {"q": SECRET})
    assert "1 narrator" in found.content.decode()


def test_it_does_not_show_staff_a_name_the_narrator_did_not_consent_to_disclose(contributor):
    narrator = make_narrator(
        given_name="Lusine", family_name="Sargsyan", attribution=Narrator.Attribution.FULL_NAME
    )
    testimony = make_live_testimony(narrator=narrator, consent={"allows_name_disclosure": False})
    page = client_for(contributor).get(reverse("testimony", args=[testimony.reference]))
    assert page.status_code == 200
    assert "Sargsyan" not in page.content.decode()
    assert f"Narrator {narrator.pk}" in page.content.decode()


def test_it_never_names_the_identity_in_a_narrators_str():
    narrator = make_narrator(
        given_name="Lusine", family_name="Sargsyan", attribution=Narrator.Attribution.FULL_NAME
    )
    assert str(narrator) == f"Narrator {narrator.pk}"
    pseudonymous = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="L. S.")
    assert str(pseudonymous) == f"L. S. (Narrator {pseudonymous.pk})"
