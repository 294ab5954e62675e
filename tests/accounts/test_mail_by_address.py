"""Forms that mail an address someone typed (a password reset, the confirmation link
again) do the same work in the request whether or not an account has the address: they
hand it to a task, which looks it up and sends. Their timing told registered addresses
apart (bench/mail_by_address.py measures it)."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.tasks import default_task_backend
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.accounts.tasks import resend_email_confirmation, send_password_reset
from tests.factories import make_user

pytestmark = pytest.mark.django_db

UNKNOWN = "nobody.here@example.org"


@pytest.fixture
def enqueued_only(settings: Any) -> Iterator[list[Any]]:
    """Tasks are kept, not run: what the request itself does."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    settings.FORM_RATE_LIMIT = 100
    results: list[Any] = default_task_backend.results  # type: ignore[attr-defined]
    yield results


def work_of(client: Client, url: str, email: str, results: list[Any]) -> tuple[Any, ...]:
    """The answer, the queries (with the address and every number left out) and the tasks
    enqueued (with the address left out) of one POST."""
    results.clear()
    mail.outbox.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"email": email})
    queries = [
        re.sub(r"\b\d+\b", "<n>", query["sql"].replace(email, "<address>"))
        for query in captured.captured_queries
    ]
    tasks = [
        (result.task.name, [str(arg).replace(email, "<address>") for arg in result.args])
        for result in results
    ]
    sent = len(mail.outbox)
    return response.status_code, response.get("Location"), response.content, queries, tasks, sent


@pytest.mark.parametrize(
    ("url", "task", "account"),
    [
        ("accounts:password_reset", send_password_reset, {}),
        (
            "accounts:resend_confirmation",
            resend_email_confirmation,
            {"awaiting_email_confirmation": True, "is_active": False},
        ),
    ],
)
def test_it_does_the_same_work_for_an_address_with_an_account_as_for_one_without(
    enqueued_only: list[Any], url: str, task: Any, account: dict[str, Any]
) -> None:
    registered = make_user(email="Lilit.Known@example.org", **account).email
    client = Client()
    path = reverse(url)
    work_of(client, path, UNKNOWN, enqueued_only)  # the session and counters settle first

    known = work_of(client, path, registered, enqueued_only)
    unknown = work_of(client, path, UNKNOWN, enqueued_only)

    assert known == unknown
    assert known[5] == 0  # nothing rendered or sent in the request
    assert known[4] == [(task.name, ["<address>", "en"])]
    assert not any("accounts_user" in query for query in known[3])
