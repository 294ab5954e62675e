"""Signing up, confirming the e-mail address, logging in and out, the profile page.

Choice: an unconfirmed account cannot log in at all (it is inactive until its owner opens
the link), and so cannot request access either."""

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from archive.accounts.models import User
from archive.audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"


def sign_up(client: Client, **overrides: str) -> Any:
    data = {
        "username": "lilit.researcher",
        "email": "lilit@example.org",
        "first_name": "Lilit",
        "last_name": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }
    return client.post(reverse("accounts:sign_up"), data)


def log_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def confirmation_path(message: Any) -> str:
    match = re.search(r"https?://[^/\s]+(/accounts/confirm/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_sign_up_creates_an_inactive_account_and_mails_a_confirmation_link(
    anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(anonymous)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_up_done")
    user = User.objects.get(username="lilit.researcher")
    assert (user.is_active, user.awaiting_email_confirmation) == (False, True)
    assert user.check_password(PASSWORD)
    (message,) = mailoutbox
    assert message.to == ["lilit@example.org"]
    assert "Confirm" in message.subject
    assert confirmation_path(message)
    assert AuditEntry.objects.for_object(user).get().action == "accounts.sign_up"


def test_an_unconfirmed_account_cannot_log_in_and_is_told_why(
    anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)

    response = log_in(anonymous, "lilit.researcher", PASSWORD)

    assert response.status_code == 200
    assert b"Confirm your e-mail address first" in response.content
    assert "_auth_user_id" not in anonymous.session
    # A wrong password gets the usual answer, which says nothing about the account.
    response = log_in(anonymous, "lilit.researcher", "not the password at all")
    assert b"Confirm your e-mail address first" not in response.content
    assert b"correct username and password" in response.content


def test_an_unconfirmed_account_cannot_request_access(
    anonymous, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)

    response = anonymous.get(reverse("accounts:request_access"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_link_confirms_the_address_only_when_the_button_is_pressed(
    anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)
    path = confirmation_path(mailoutbox[0])

    page = anonymous.get(path)  # what a mail scanner does
    assert page.status_code == 200
    assert b"lilit@example.org" in page.content
    assert not User.objects.get(username="lilit.researcher").is_active

    response = anonymous.post(path)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    user = User.objects.get(username="lilit.researcher")
    assert (user.is_active, user.awaiting_email_confirmation) == (True, False)
    assert anonymous.session["_auth_user_id"] == str(user.pk)
    assert "accounts.confirm_email" in AuditEntry.objects.for_object(user).values_list(
        "action", flat=True
    )
    # The link works once.
    assert Client().get(path).status_code == 400
    # And the account logs in with its password from now on.
    fresh = Client()
    assert log_in(fresh, "lilit.researcher", PASSWORD).status_code == 302
    assert fresh.get(reverse("accounts:profile")).status_code == 200


def test_a_tampered_link_confirms_nothing(
    anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)
    path = confirmation_path(mailoutbox[0])
    tampered = path[:-3] + ("a" if path[-3] != "a" else "b") + path[-2:]

    assert anonymous.post(tampered).status_code == 400
    assert not User.objects.get(username="lilit.researcher").is_active


def test_the_link_cannot_reactivate_an_account_staff_deactivated(
    researcher, anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    from archive.accounts.emails import confirmation_link

    User.objects.filter(pk=researcher.pk).update(is_active=False)
    researcher.refresh_from_db()
    path = re.sub(r"^https?://[^/]+", "", confirmation_link(researcher))

    anonymous.post(path)

    assert not User.objects.get(pk=researcher.pk).is_active


def test_the_link_can_be_sent_again_without_telling_who_has_an_account(
    anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        known = anonymous.post(
            reverse("accounts:resend_confirmation"), {"email": "LILIT@example.org"}, follow=True
        )
        unknown = anonymous.post(
            reverse("accounts:resend_confirmation"), {"email": "nobody@example.org"}, follow=True
        )

    assert [message.to for message in mailoutbox] == [["lilit@example.org"]]
    assert known.content.count(b"If an account") == unknown.content.count(b"If an account") == 1


def test_sign_up_answers_a_taken_address_as_a_new_one_and_tells_its_owner(
    researcher, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = sign_up(Client(), username="someone.else", email=researcher.email.upper())
    with django_capture_on_commit_callbacks(execute=True):
        fresh = sign_up(Client(), username="lilit.researcher", email="lilit@example.org")

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    assert taken.content == fresh.content
    assert not User.objects.filter(username="someone.else").exists()
    to_owner, to_newcomer = mailoutbox
    assert to_owner.to == [researcher.email]
    assert "Someone tried to sign up with your address" in to_owner.subject
    assert reverse("accounts:password_reset") in to_owner.body
    assert "/accounts/confirm/" not in to_owner.body
    assert to_newcomer.to == ["lilit@example.org"] and confirmation_path(to_newcomer)
    assert AuditEntry.objects.for_object(researcher).get().action == (
        "accounts.sign_up_existing_address"
    )


def test_signing_up_again_before_confirming_sends_the_first_accounts_link_again(
    anonymous, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(anonymous)
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(
            Client(), username="lilit.again", password1=PASSWORD + "!", password2=PASSWORD + "!"
        )

    _first, second = mailoutbox
    assert second.to == ["lilit@example.org"]
    # The link opens the first account; the second sign-up changed nothing of it.
    assert Client().get(confirmation_path(second)).status_code == 200
    assert User.objects.get(username="lilit.researcher").check_password(PASSWORD)
    assert not User.objects.filter(username="lilit.again").exists()


@pytest.mark.parametrize("name", ["ruben@example.org", "RUBEN@example.org", "ruben＠example.org"])
def test_sign_up_refuses_an_e_mail_address_as_user_name_whether_or_not_it_is_taken(name):
    # Taken names are told (so their owner can choose another), which would tell of an
    # address used as one: an address is never a name here.
    make_user(username="ruben@example.org", email="other@example.org")

    taken = sign_up(Client(), username=name, email="new@example.org")
    fresh = sign_up(Client(), username="nobody@example.org", email="new@example.org")

    assert taken.status_code == fresh.status_code == 200
    assert b"already exists" not in taken.content
    assert b"not an e-mail address" in taken.content
    assert same_form(taken.content, name) == same_form(fresh.content, "nobody@example.org")
    assert not User.objects.filter(email="new@example.org").exists()


def same_form(content: bytes, name: str) -> str:
    """The page, without the name typed into it and the form's own token."""
    text = content.decode().replace(name, "").replace(name.replace("＠", "@"), "")
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def test_sign_up_refuses_a_weak_password(anonymous):
    response = sign_up(anonymous, email="new@example.org", password1="short", password2="short")
    assert b"too short" in response.content
    assert not User.objects.filter(username="lilit.researcher").exists()
    assert len(mail.outbox) == 0


def test_logging_out_ends_the_session(researcher):
    client = Client()
    assert log_in(client, researcher.username, TEST_PASSWORD).status_code == 302

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_the_profile_shows_the_account_and_saves_its_name(researcher):
    client = client_for(researcher)

    page = client.get(reverse("accounts:profile"))
    assert page.status_code == 200
    assert researcher.email.encode() in page.content
    assert reverse("accounts:request_access").encode() in page.content
    assert reverse("api_tokens").encode() in page.content

    client.post(reverse("accounts:profile"), {"first_name": "Ruben", "last_name": "Sargsyan"})

    researcher.refresh_from_db()
    assert (researcher.first_name, researcher.last_name) == ("Ruben", "Sargsyan")


def test_the_profile_needs_a_login(anonymous):
    response = anonymous.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_researcher_requests_access_through_the_form(
    researcher, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(researcher)
    form = client.get(reverse("accounts:request_access"))
    assert reverse("accounts:terms").encode() in form.content
    assert client.get(reverse("accounts:terms")).status_code == 200

    without_terms = client.post(
        reverse("accounts:request_access"),
        {"affiliation": "AUA", "purpose": "Oral history of Goris."},
    )
    assert b"Accept the terms of use" in without_terms.content
    assert not researcher.access_requests.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:request_access"),
            {"affiliation": "AUA", "purpose": "Oral history of Goris.", "accept_terms": "on"},
            follow=True,
        )

    access_request = researcher.access_requests.get()
    assert access_request.affiliation == "AUA"
    assert b"waiting for a decision" in response.content
    assert any(message.to == [researcher.email] for message in mailoutbox)
    # A second request waits for the first.
    again = client.get(reverse("accounts:request_access"), follow=True)
    assert again.redirect_chain[-1][0] == reverse("accounts:profile")
