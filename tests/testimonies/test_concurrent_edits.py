"""Two members of staff edit the same testimony: the second save, made on the version the
first one replaced, is refused with a message and changes nothing, in the admin (the
testimony's page with its transcripts and media inline, and the transcript's and media
file's own pages) and in the service."""

import threading
from typing import Any

import lxml.html
import pytest
from django.contrib.auth.models import Permission
from django.db import connection, connections
from django.test import Client

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.curation.admin.testimonies import TestimonyAdmin
from archive.lib.errors import WorkflowError
from archive.publishing.services import STALE_EDIT_MESSAGE, StaleEdit, claim_edit
from archive.testimonies.models import MediaAsset, Testimony, Transcript
from tests.conftest import client_for
from tests.factories import make_media, make_testimony, make_user

pytestmark = pytest.mark.django_db


def change_url(testimony: Testimony) -> str:
    return f"/admin/testimonies/testimony/{testimony.pk}/change/"


def opened_form(client: Client, url: str) -> dict[str, Any]:
    """What the browser would send back from the change form as it was rendered."""
    page = client.get(url)
    assert page.status_code == 200
    document = lxml.html.fromstring(page.content)
    (form,) = [f for f in document.forms if f.get("id", "").endswith("_form")]
    data: dict[str, Any] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data


def save(client: Client, url: str, data: dict[str, Any], **changes: str):
    return client.post(url, {**data, **changes, "_continue": "1"})


@pytest.fixture
def testimony() -> Testimony:
    return make_testimony(title="Leaving Shushi", summary="A first summary.", transcript="Text.")


@pytest.fixture
def editors() -> tuple[Client, Client]:
    return (
        client_for(make_user(role=Role.CONTRIBUTOR, username="carine.first")),
        client_for(make_user(role=Role.CONTRIBUTOR, username="karen.second")),
    )


def test_the_second_of_two_editors_is_refused_and_the_first_ones_change_stays(testimony, editors):
    first, second = editors
    url = change_url(testimony)
    first_form, second_form = opened_form(first, url), opened_form(second, url)
    assert first_form["edited_version"] == ["1"]

    saved = save(first, url, first_form, title="Leaving Shushi in 2020")
    refused = save(second, url, second_form, summary="The second summary.")

    assert saved.status_code == 302
    assert refused.status_code == 200
    assert STALE_EDIT_MESSAGE in refused.content.decode()
    # Their edits are still on the page, to copy from.
    assert "The second summary." in refused.content.decode()
    testimony.refresh_from_db()
    assert testimony.title == "Leaving Shushi in 2020"
    assert testimony.summary == "A first summary."
    assert testimony.version == 2
    assert AuditEntry.objects.filter(action="testimonies.edit").count() == 1


def test_a_transcript_edited_inline_is_not_undone_by_a_stale_save(testimony, editors):
    first, second = editors
    url = change_url(testimony)
    first_form, second_form = opened_form(first, url), opened_form(second, url)

    save(first, url, first_form, **{"transcripts-0-text": "The corrected text."})
    refused = save(second, url, second_form, title="Another title")

    assert STALE_EDIT_MESSAGE in refused.content.decode()
    assert Transcript.objects.get(testimony=testimony).text == "The corrected text."
    assert Testimony.objects.get(pk=testimony.pk).title == "Leaving Shushi"


def test_an_edit_on_the_transcripts_own_page_makes_an_open_testimony_form_stale(testimony, editors):
    first, second = editors
    transcript = Transcript.objects.get(testimony=testimony)
    transcript_url = f"/admin/testimonies/transcript/{transcript.pk}/change/"
    testimony_form = opened_form(second, change_url(testimony))

    transcript_form = opened_form(first, transcript_url)
    assert save(first, transcript_url, transcript_form, text="Fixed.").status_code == 302
    refused = save(second, change_url(testimony), testimony_form, **{"transcripts-0-text": "Mine."})

    assert STALE_EDIT_MESSAGE in refused.content.decode()
    assert Transcript.objects.get(pk=transcript.pk).text == "Fixed."
    assert AuditEntry.objects.filter(action="testimonies.edit").count() == 1


def test_a_stale_save_of_a_media_file_is_refused(testimony, editors):
    first, second = editors
    asset = make_media(testimony=testimony)
    media_url = f"/admin/testimonies/mediaasset/{asset.pk}/change/"
    stale = opened_form(second, media_url)

    save(first, change_url(testimony), opened_form(first, change_url(testimony)), title="New")
    refused = save(second, media_url, stale, caption="A caption")

    assert STALE_EDIT_MESSAGE in refused.content.decode()
    assert MediaAsset.objects.get(pk=asset.pk).caption == ""


def test_a_save_racing_past_the_forms_check_is_refused_by_the_service_and_rolled_back(
    testimony, editors, monkeypatch
):
    """The other save commits after this request loaded the testimony (so the form's own
    check passes) and before it claims the version: the conditional UPDATE refuses it."""
    first, _ = editors
    url = change_url(testimony)
    form = opened_form(first, url)
    load = TestimonyAdmin.get_object

    def load_then_someone_saves(self, request, object_id, from_field=None):
        found = load(self, request, object_id, from_field)
        Testimony.objects.filter(pk=testimony.pk).update(version=2, summary="Theirs.")
        return found

    monkeypatch.setattr(TestimonyAdmin, "get_object", load_then_someone_saves)
    refused = first.post(url, {**form, "title": "Mine"}, follow=True)

    assert STALE_EDIT_MESSAGE in [str(m) for m in refused.context["messages"]]
    testimony.refresh_from_db()
    # The whole request was rolled back, the other save's change with it (it was made
    # inside this request's transaction here); the title was not saved.
    assert testimony.title == "Leaving Shushi"
    assert AuditEntry.objects.filter(action="testimonies.edit").count() == 0


def test_a_normal_save_works_and_raises_the_version_each_time(testimony, editors):
    first, _ = editors
    url = change_url(testimony)

    save(first, url, opened_form(first, url), title="Once")
    save(first, url, opened_form(first, url), title="Twice")

    testimony.refresh_from_db()
    assert (testimony.title, testimony.version) == ("Twice", 3)


def test_the_service_refuses_a_stale_version_and_changes_nothing(testimony):
    editor = make_user(role=Role.CONTRIBUTOR)
    claim_edit(testimony, actor=editor, version=1)
    assert testimony.version == 2

    with pytest.raises(StaleEdit, match="Someone else saved this testimony"):
        claim_edit(Testimony.objects.get(pk=testimony.pk), actor=editor, version=1)
    with pytest.raises(StaleEdit):
        claim_edit(testimony, actor=editor, version=None)

    assert Testimony.objects.get(pk=testimony.pk).version == 2


def test_the_service_refuses_an_editor_without_the_permission(testimony):
    with pytest.raises(WorkflowError, match="You may not edit"):
        claim_edit(testimony, actor=make_user(username="ruben.reader"), version=1)

    assert Testimony.objects.get(pk=testimony.pk).version == 1


@pytest.mark.django_db(transaction=True)
def test_of_two_simultaneous_claims_of_one_version_exactly_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; CI runs the suite on PostgreSQL too")
    testimony = make_testimony()
    editors = [make_user(role=Role.CONTRIBUTOR) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def edit_as(editor, title: str) -> None:
        try:
            start.wait()
            from django.db import transaction

            with transaction.atomic():
                mine = Testimony.objects.get(pk=testimony.pk)
                claim_edit(mine, actor=editor, version=1)
                mine.title = title
                mine.save()
            outcomes.append(title)
        except StaleEdit as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=edit_as, args=(editor, f"Title {n}"))
        for n, editor in enumerate(editors)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert STALE_EDIT_MESSAGE in outcomes and len(outcomes) == 2
    (winner,) = [outcome for outcome in outcomes if outcome != STALE_EDIT_MESSAGE]
    saved = Testimony.objects.get(pk=testimony.pk)
    assert (saved.title, saved.version) == (winner, 2)


def test_staff_who_may_only_view_see_each_change_page_read_only(testimony):
    viewer = make_user(username="vahe.viewer", is_staff=True)
    for codename in ["view_testimony", "view_transcript", "view_mediaasset"]:
        viewer.user_permissions.add(Permission.objects.get(codename=codename))
    client = client_for(viewer)
    asset = make_media(testimony=testimony)
    transcript = Transcript.objects.get(testimony=testimony)

    for url in [
        change_url(testimony),
        f"/admin/testimonies/transcript/{transcript.pk}/change/",
        f"/admin/testimonies/mediaasset/{asset.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
