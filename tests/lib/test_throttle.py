"""The forms anyone may send without an account answer 429 past a few sendings from one
client in a short while, and keep counting each client apart."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from archive.public.models import Concern
from tests.factories import make_live_testimony

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture(autouse=True)
def limit(settings: Any) -> None:
    settings.FORM_RATE_LIMIT = LIMIT
    settings.FORM_RATE_WINDOW_SECONDS = 600


def forms() -> dict[str, tuple[str, dict[str, str]]]:
    testimony = make_live_testimony()
    return {
        "concern": (
            reverse("concern", args=[testimony.reference]),
            {"kind": "correction", "message": "My village is misspelt."},
        ),
        "password reset": (reverse("accounts:password_reset"), {"email": "a@example.org"}),
        "new confirmation link": (
            reverse("accounts:resend_confirmation"),
            {"email": "a@example.org"},
        ),
        "sign-up": (
            reverse("accounts:sign_up"),
            {"username": "x", "email": "x@example.org", "password1": "a", "password2": "b"},
        ),
    }


@pytest.mark.parametrize("form", ["concern", "password reset", "new confirmation link", "sign-up"])
def test_it_pauses_a_form_sent_too_often_from_one_address(form):
    url, data = forms()[form]
    client = Client(REMOTE_ADDR="203.0.113.5")

    answers = [client.post(url, data).status_code for _ in range(LIMIT)]
    refused = client.post(url, data)

    assert 429 not in answers
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 600
    assert b"Too many attempts" in refused.content
    assert re.search(rb"Try again in \d+ minutes?\.", refused.content)
    # The page itself still opens, and other clients are not held back.
    assert client.get(url).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.9").post(url, data).status_code != 429


def test_a_paused_form_keeps_nothing_of_what_was_sent():
    url, data = forms()["concern"]
    client = Client(REMOTE_ADDR="203.0.113.5")
    for _ in range(LIMIT + 3):
        client.post(url, data)

    assert Concern.objects.count() == LIMIT


def test_it_counts_an_ipv6_client_by_its_network():
    url, data = forms()["password reset"]
    for host in range(LIMIT):
        Client(REMOTE_ADDR=f"2001:db8:1:2::{host + 1}").post(url, data)

    assert Client(REMOTE_ADDR="2001:db8:1:2::ffff").post(url, data).status_code == 429
    assert Client(REMOTE_ADDR="2001:db8:1:3::1").post(url, data).status_code != 429
