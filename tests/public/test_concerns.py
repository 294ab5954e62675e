"""A narrator's request for removal or correction, and the archivists' queue of them."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from archive.accounts.models import User
from archive.audit.models import AuditEntry
from archive.public.models import Concern
from archive.public.services import mark_concerns_handled
from tests.conftest import client_for
from tests.factories import make_live_testimony, make_testimony, make_user

pytestmark = pytest.mark.django_db

VALID = {"kind": "correction", "message": "My village is misspelt.", "name": "M.", "contact": ""}


@pytest.fixture
def concern_handler(db: None) -> User:
    user = make_user(username="ani.handler", is_staff=True)
    for codename in ("view_concern", "change_concern", "handle_concern"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return User.objects.get(pk=user.pk)


def concern_url(testimony) -> str:
    return reverse("concern", args=[testimony.reference])


def test_it_links_the_form_from_the_testimony_page(anonymous):
    testimony = make_live_testimony()
    page = anonymous.get(reverse("testimony", args=[testimony.reference])).content.decode()
    assert f'href="{concern_url(testimony)}"' in page
    form = anonymous.get(concern_url(testimony)).content.decode()
    assert 'name="message"' in form
    assert '<div class="honeypot" aria-hidden="true">' in form


def test_it_queues_a_valid_request_for_the_archivists(anonymous):
    testimony = make_live_testimony()
    response = anonymous.post(concern_url(testimony), VALID)
    assert response.status_code == 302
    assert response["Location"] == reverse("concern_sent", args=[testimony.reference])
    concern = Concern.objects.get()
    assert (concern.testimony, concern.reference, concern.kind) == (
        testimony,
        testimony.reference,
        "correction",
    )
    assert concern.message == "My village is misspelt."
    assert concern.status == Concern.Status.OPEN
    entry = AuditEntry.objects.get(action="public.concern.submit")
    assert "misspelt" not in str(entry.data)


def test_it_says_what_is_wrong_and_keeps_nothing(anonymous):
    testimony = make_live_testimony()
    response = anonymous.post(concern_url(testimony), {**VALID, "message": "x" * 4001})
    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    response = anonymous.post(concern_url(testimony), {"message": "No kind chosen"})
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_it_thanks_a_robot_that_fills_the_honeypot_and_drops_its_message(anonymous):
    testimony = make_live_testimony()
    response = anonymous.post(concern_url(testimony), {**VALID, "website": "http://spam"})
    assert response.status_code == 302
    assert not Concern.objects.exists()


def test_it_takes_a_request_about_a_withdrawn_testimony(anonymous, moderator):
    from archive.publishing.services import withdraw

    testimony = make_live_testimony()
    withdraw(testimony, actor=moderator, reason="The family asked.")
    assert anonymous.post(concern_url(testimony), VALID).status_code == 302
    assert Concern.objects.get().testimony == testimony


def test_it_hides_the_form_of_a_testimony_the_reader_may_not_see(anonymous):
    draft = make_testimony()
    assert anonymous.get(concern_url(draft)).status_code == 404
    assert anonymous.post(concern_url(draft), VALID).status_code == 404
    assert not Concern.objects.exists()


def test_it_lets_a_permitted_archivist_mark_concerns_handled_in_the_admin(concern_handler):
    testimony = make_live_testimony()
    client = client_for(concern_handler)
    client.post(concern_url(testimony), VALID)
    concern = Concern.objects.get()
    changelist = reverse("admin:public_concern_changelist")
    listing = client.get(changelist, {"status__exact": "open"})
    assert listing.status_code == 200
    assert testimony.reference in listing.content.decode()
    response = client.post(
        changelist, {"action": "mark_handled", "_selected_action": [concern.pk]}, follow=True
    )
    assert "1 concern(s) marked handled." in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.HANDLED
    assert concern.handled_by == concern_handler
    assert concern.handled_at is not None
    entry = AuditEntry.objects.get(action="public.concern.handle")
    assert entry.actor == concern_handler
    assert entry.testimony == testimony
    # Handled once: doing it again changes nothing and writes nothing.
    assert mark_concerns_handled([concern], actor=concern_handler) == 0
    assert AuditEntry.objects.filter(action="public.concern.handle").count() == 1


def test_it_refuses_to_let_someone_without_the_permission_handle_concerns(anonymous):
    testimony = make_live_testimony()
    anonymous.post(concern_url(testimony), VALID)
    with pytest.raises(PermissionDenied):
        mark_concerns_handled(Concern.objects.all(), actor=make_user(is_staff=True))
    assert Concern.objects.get().status == Concern.Status.OPEN


def test_it_keeps_the_queue_away_from_staff_without_the_permission(moderator):
    response = client_for(moderator).get(reverse("admin:public_concern_changelist"))
    assert response.status_code == 403
