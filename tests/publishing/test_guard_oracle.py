"""The pseudonym guard's refusal is no oracle: where it found the real name (with one
candidate surname per paragraph, which candidate is the narrator's name) is told to
archivists only; contributors and moderators learn that an archivist must check the
revision. Every place a finding is shown: the approval's message (service, button, list
action), the workflow panel's history, the audit log's entries."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from archive.audit.models import AuditEntry
from archive.curation.admin.publishing import approve_selected
from archive.lib.errors import WorkflowError
from archive.publishing import services
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony
from tests.conftest import client_for
from tests.factories import make_narrator, make_testimony, make_verified_consent

pytestmark = pytest.mark.django_db

CANDIDATES = "\n\n".join(
    f"Our neighbour was called {name}." for name in ("Petrosyan", "Sargsyan", "Mirakyan")
)


def candidates_draft(contributor) -> Testimony:
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Lilit")
    NarratorIdentity.objects.create(narrator=narrator, given_name="Lusine", family_name="Mirakyan")
    testimony = make_testimony(narrator=narrator, transcript=CANDIDATES, access_level="public")
    make_verified_consent(narrator=narrator, testimonies=[testimony])
    services.submit_for_review(testimony, actor=contributor)
    return testimony


def locations_in(text: str) -> bool:
    return "paragraph" in text or "transcript" in text


def approve_through_the_service(testimony: Testimony, user) -> str:
    with pytest.raises(WorkflowError) as refused:
        services.approve(testimony.reviews.get(decision="pending"), actor=user)
    return refused.value.message


def approve_through_the_button(testimony: Testimony, user) -> str:
    url = reverse("admin:testimonies_testimony_workflow", args=[testimony.pk, "approve"])
    response = client_for(user).post(url, {}, follow=True)
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def approve_through_the_list_action(testimony: Testimony, user) -> str:
    url = reverse("admin:testimonies_testimony_changelist")
    response = client_for(user).post(
        url,
        {"action": approve_selected.__name__, "_selected_action": [testimony.pk]},
        follow=True,
    )
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize(
    "approve",
    [approve_through_the_service, approve_through_the_button, approve_through_the_list_action],
)
@pytest.mark.parametrize(("persona", "told_where"), [("moderator", False), ("archivist", True)])
def test_it_tells_only_an_archivist_where_the_name_is(
    request, contributor, approve, persona, told_where
):
    testimony = candidates_draft(contributor)
    message = approve(testimony, request.getfixturevalue(persona))
    assert "cannot be approved" in message or "real name appears" in message
    assert locations_in(message) is told_where
    if told_where:
        assert "paragraph 3" in message
    assert "Mirakyan" not in message
    assert Testimony.objects.get(pk=testimony.pk).live_revision is None
    # The refusal is audited: who tried, on which revision; not where the name is.
    entry = AuditEntry.objects.get(action="publishing.pseudonym_guard_refusal")
    assert entry.actor == request.getfixturevalue(persona)
    assert entry.revision == testimony.reviews.get().revision
    assert not locations_in(str(entry.data))


def test_a_contributor_cannot_approve_and_learns_nothing_of_the_guard(contributor):
    testimony = candidates_draft(contributor)
    message = approve_through_the_service(testimony, contributor)
    assert message == "You may not publish testimonies."
    assert not AuditEntry.objects.filter(action="publishing.pseudonym_guard_refusal").exists()


@pytest.mark.parametrize(
    ("persona", "told_where"), [("contributor", False), ("moderator", False), ("archivist", True)]
)
def test_the_history_of_an_override_shows_where_only_to_an_archivist(
    request, contributor, archivist, persona, told_where
):
    testimony = candidates_draft(contributor)
    services.approve(
        testimony.reviews.get(decision="pending"),
        actor=archivist,
        override_reason="Another family of that name; agreed with the narrator.",
    )
    user = request.getfixturevalue(persona)
    change = reverse("admin:testimonies_testimony_change", args=[testimony.pk])
    page = client_for(user).get(change).content.decode()
    assert "publishing.pseudonym_guard_override" in page
    assert ("paragraph 3" in page) is told_where
    entry = AuditEntry.objects.get(action="publishing.pseudonym_guard_override")
    detail = client_for(user).get(reverse("admin:audit_auditentry_change", args=[entry.pk]))
    if persona == "contributor":
        assert detail.status_code == 403
    else:
        assert detail.status_code == 200
        assert ("paragraph 3" in detail.content.decode()) is told_where


def test_a_moderator_offering_a_reason_is_refused_and_audited(contributor, moderator):
    testimony = candidates_draft(contributor)
    with pytest.raises(WorkflowError) as refused:
        services.approve(
            testimony.reviews.get(decision="pending"), actor=moderator, override_reason="Fine."
        )
    assert not locations_in(refused.value.message)
    entry = AuditEntry.objects.get(action="publishing.pseudonym_guard_refusal")
    assert entry.actor == moderator


@pytest.mark.parametrize(
    "lookup", ["data__locations__icontains", "data__contains", "data__locations", "data"]
)
def test_nobody_can_filter_the_log_by_what_its_entries_hold(
    contributor, archivist, moderator, lookup
):
    """The guard's locations are hidden from a moderator; a filter on them would tell,
    by which entries it lists, whether a candidate name is the real one."""
    testimony = candidates_draft(contributor)
    services.approve(
        testimony.reviews.get(decision="pending"),
        actor=archivist,
        override_reason="Another family of that name; agreed with the narrator.",
    )
    log = reverse("admin:audit_auditentry_changelist")
    for user in (moderator, archivist):
        response = client_for(user).get(log, {lookup: "Mirakyan"})
        assert response.status_code == 400, (user, response.status_code)
    assert client_for(moderator).get(log, {"action": "publishing.approve"}).status_code == 200
