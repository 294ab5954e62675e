"""Answers made for one person (a signed-in reader, an API token) say `Cache-Control:
private, no-store`, so no proxy, CDN or shared computer keeps them for the next person;
anonymous public pages stay cacheable."""

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.cache import patch_cache_control

from archive.api.tokens import create_token
from archive.lib.cache_headers import PrivateAnswersMiddleware
from tests.conftest import client_for
from tests.factories import make_live_testimony

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_counters() -> None:
    cache.clear()


def directives(response: Any) -> set[str]:
    return {word.strip() for word in response.get("Cache-Control", "").split(",") if word.strip()}


def assert_private(response: Any) -> None:
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
    assert "public" not in directives(response)


def test_a_researchers_only_page_is_kept_from_shared_caches(approved_researcher):
    testimony = make_live_testimony(access_level="researchers")

    assert_private(
        client_for(approved_researcher).get(reverse("testimony", args=[testimony.reference]))
    )


def test_a_staff_only_page_is_kept_from_shared_caches(archivist):
    testimony = make_live_testimony(access_level="staff")

    assert_private(client_for(archivist).get(reverse("testimony", args=[testimony.reference])))


def test_the_profile_and_the_token_page_are_kept_from_shared_caches(researcher):
    client = client_for(researcher)

    assert_private(client.get(reverse("accounts:profile")))
    assert_private(client.get(reverse("api_tokens")))


def test_a_public_page_shown_to_a_signed_in_reader_is_kept_from_shared_caches(researcher):
    # It names the reader in its header.
    testimony = make_live_testimony()

    assert_private(client_for(researcher).get(reverse("testimony", args=[testimony.reference])))


def test_api_answers_for_a_session_or_a_token_are_kept_from_shared_caches(researcher):
    testimony = make_live_testimony()
    _token, raw = create_token(actor=researcher, name="scripts", valid_days=30)
    by_token = Client(headers={"Authorization": f"Bearer {raw}"})

    for client in (client_for(researcher), by_token):
        assert_private(client.get("/api/testimonies/"))
        assert_private(client.get(f"/api/testimonies/{testimony.reference}"))


def test_anonymous_public_pages_stay_cacheable(anonymous):
    testimony = make_live_testimony()

    for url in (reverse("home"), reverse("testimony", args=[testimony.reference]), "/api/places/"):
        response = anonymous.get(url)
        assert response.status_code == 200
        assert not {"private", "no-store"} & directives(response), url


def test_it_keeps_a_stricter_word_and_drops_public(rf, researcher):
    def view(request: Any) -> Any:
        from django.http import HttpResponse

        request.session["seen"] = True  # the view read the session
        response = HttpResponse("for you")
        patch_cache_control(response, public=True, max_age=600)
        return response

    request = rf.get("/")
    request.session = client_for(researcher).session
    request.user = researcher

    response = PrivateAnswersMiddleware(view)(request)

    assert {"private", "no-store", "max-age=600"} == directives(response)
