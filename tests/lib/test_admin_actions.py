"""The buttons on admin change pages: validate, run the step, say what happened, go back."""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse

from archive.lib.admin_actions import run_object_action
from archive.lib.errors import WorkflowError
from tests.factories import make_user

pytestmark = pytest.mark.django_db


class NoteForm(forms.Form):
    note = forms.CharField()


def post(data: dict[str, str]) -> HttpRequest:
    request = RequestFactory().post("/", data)
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(request)]


def run(request: HttpRequest, step, **options):
    user = make_user()
    user_admin = admin.site.get_model_admin(get_user_model())
    response = run_object_action(user_admin, request, user, step, **options)
    assert response.url == reverse("admin:accounts_user_change", args=[user.pk])
    return response


def test_it_runs_the_step_with_the_form_data_and_says_it_succeeded():
    request = post({"note": "Checked."})

    run(request, lambda data: f"Done: {data['note']}", form_class=NoteForm)

    assert said(request) == [("success", "Done: Checked.")]


def test_it_turns_a_refusal_into_an_error_message():
    request = post({})

    def refuse(data):
        raise WorkflowError("Not now.")

    run(request, refuse)

    assert said(request) == [("error", "Not now.")]


def test_it_runs_nothing_for_an_invalid_form_and_says_why():
    request = post({})
    ran: list[dict[str, str]] = []

    run(request, ran.append, form_class=NoteForm, invalid_message="Write a note.")

    assert ran == []
    assert said(request) == [("error", "Write a note.")]


def test_it_only_goes_back_on_a_get():
    request = RequestFactory().get("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    ran: list[dict[str, str]] = []

    run(request, ran.append)

    assert ran == []
    assert said(request) == []
