"""Forgotten passwords: a link by e-mail sets a new one."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new passphrase 7"


def test_it_resets_a_password_through_the_mailed_link(researcher, anonymous, mailoutbox):
    response = anonymous.post(reverse("accounts:password_reset"), {"email": researcher.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    (message,) = mailoutbox
    assert message.to == [researcher.email]
    match = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)
    assert match, message.body
    path = match.group(1)

    form = anonymous.get(path, follow=True)  # Django swaps the token for a session marker
    assert form.status_code == 200
    assert b"Choose a new password" in form.content
    done = anonymous.post(
        form.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert done["Location"] == reverse("accounts:password_reset_complete")
    researcher.refresh_from_db()
    assert researcher.check_password(NEW_PASSWORD)
    assert not researcher.check_password(TEST_PASSWORD)
    # The link is spent.
    assert b"This link does not work" in Client().get(path, follow=True).content


def test_it_says_the_same_for_an_unknown_address_and_sends_nothing(anonymous, mailoutbox):
    response = anonymous.post(reverse("accounts:password_reset"), {"email": "no@example.org"})

    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []
