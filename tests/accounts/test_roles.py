"""Who may open what in the staff admin."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from archive.accounts.roles import ROLE_PERMISSIONS, Role
from tests.conftest import client_for
from tests.factories import make_consent, make_narrator

pytestmark = pytest.mark.django_db


def test_it_creates_each_role_with_exactly_its_permissions():
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        granted = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert granted == set(names)


@pytest.fixture
def identity_urls() -> dict[str, str]:
    narrator = make_narrator(given_name="Anahit", family_name="Hakobyan")
    return {
        "list": reverse("admin:testimonies_narratoridentity_changelist"),
        "change": reverse("admin:testimonies_narratoridentity_change", args=[narrator.pk]),
    }


@pytest.mark.parametrize("persona", ["contributor", "moderator"])
def test_it_keeps_narrators_identities_from_contributors_and_moderators(
    request, persona, identity_urls
):
    client = client_for(request.getfixturevalue(persona))
    for url in identity_urls.values():
        response = client.get(url)
        assert response.status_code == 403
        assert b"Hakobyan" not in response.content


@pytest.mark.parametrize("persona", ["archivist", "superuser"])
def test_it_opens_narrators_identities_to_archivists(request, persona, identity_urls):
    client = client_for(request.getfixturevalue(persona))
    response = client.get(identity_urls["change"])
    assert response.status_code == 200
    assert b"Hakobyan" in response.content


def test_it_hides_the_identity_inline_on_the_narrator_page_from_a_contributor(contributor):
    narrator = make_narrator(
        given_name="Anahit", family_name="Hakobyan", pseudonym="Mariam", attribution="pseudonym"
    )
    url = reverse("admin:testimonies_narrator_change", args=[narrator.pk])
    response = client_for(contributor).get(url)
    assert response.status_code == 200
    assert b"Mariam" in response.content
    assert b"Hakobyan" not in response.content


@pytest.mark.parametrize(
    ("persona", "status"),
    [("contributor", 403), ("moderator", 403), ("archivist", 200), ("researcher", 302)],
)
def test_it_opens_consent_records_to_archivists_only(request, persona, status):
    record = make_consent(narrator=make_narrator())
    url = reverse("admin:consent_consentrecord_change", args=[record.pk])
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == status


def test_it_lets_a_contributor_draft_but_not_publish_or_delete(contributor):
    assert contributor.has_perm("testimonies.add_testimony")
    assert contributor.has_perm("testimonies.change_testimony")
    assert not contributor.has_perm("testimonies.publish_testimony")
    assert not contributor.has_perm("testimonies.delete_testimony")


def test_it_lets_a_moderator_review_and_publish(moderator):
    assert moderator.has_perm("testimonies.review_testimony")
    assert moderator.has_perm("testimonies.publish_testimony")
    assert not moderator.has_perm("consent.view_consentrecord")


def test_it_lets_nobody_without_a_role_into_the_admin(researcher):
    response = client_for(researcher).get(reverse("admin:index"))
    assert response.status_code == 302
    assert Role.ARCHIVIST.value not in {g.name for g in researcher.groups.all()}
