"""django-axes: after N failed logins the username is locked from that address."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


@pytest.fixture(autouse=True)
def failure_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def log_in(client: Client, username: str, password: str, ip: str = "203.0.113.5"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_it_locks_the_account_from_that_address_after_the_limit(researcher, failure_limit):
    client = Client()
    for _ in range(failure_limit - 1):
        response = log_in(client, researcher.username, "wrong password")
        assert response.status_code == 200  # the form again, with its error

    locked = log_in(client, researcher.username, "wrong password")

    assert locked.status_code == 429
    assert b"Too many failed logins" in locked.content
    assert reverse("accounts:password_reset").encode() in locked.content
    assert b"1 hour" in locked.content
    # Even the right password is refused now.
    right = log_in(client, researcher.username, TEST_PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_holds_only_for_that_username_and_address(researcher, contributor, failure_limit):
    for _ in range(failure_limit):
        log_in(Client(), researcher.username, "wrong password")

    from_elsewhere = log_in(Client(), researcher.username, TEST_PASSWORD, ip="198.51.100.9")
    other_account = log_in(Client(), contributor.username, TEST_PASSWORD)

    assert from_elsewhere.status_code == 302
    assert other_account.status_code == 302


def test_a_successful_login_clears_earlier_failures(researcher, failure_limit):
    client = Client()
    for _ in range(failure_limit - 1):
        log_in(client, researcher.username, "wrong password")
    assert log_in(client, researcher.username, TEST_PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))

    for _ in range(failure_limit - 1):
        assert log_in(client, researcher.username, "wrong password").status_code == 200
