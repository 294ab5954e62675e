"""Personal tokens: made on the token page and shown once, stored hashed, refused with a
JSON 401 once revoked or expired; rate limits; JSON errors; the docs page."""

import hashlib
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from archive.accounts.models import User
from archive.api.models import ApiToken
from tests.api.conftest import token_client
from tests.conftest import client_for
from tests.html import document, text
from tests.kinds import ArchiveOfEveryKind

pytestmark = pytest.mark.django_db
TOKENS = reverse("api_tokens")


def new_token(response: Any) -> str:
    """The token the page shows once, just made."""
    raw = text(document(response), "//*[@id='new-token']")
    assert raw is not None
    assert re.fullmatch(r"ta_[\w-]+", raw), raw
    return raw


def test_it_shows_a_new_token_once_and_stores_only_its_hash(researcher: User) -> None:
    client = client_for(researcher)
    response = client.post(TOKENS, {"action": "create", "name": "thesis", "valid_for": "30"})
    raw = new_token(response)
    token = ApiToken.objects.get(user=researcher)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert raw not in client.get(TOKENS).content.decode()
    assert token.prefix in client.get(TOKENS).content.decode()
    assert token_client(raw).get("/api/testimonies/").status_code == 200


def test_it_refuses_a_revoked_token_with_a_json_401(researcher: User) -> None:
    client = client_for(researcher)
    page = client.post(TOKENS, {"action": "create", "name": "scripts", "valid_for": ""})
    raw = new_token(page)
    token = ApiToken.objects.get(user=researcher)
    client.post(TOKENS, {"action": "revoke", "token": token.pk})
    response = token_client(raw).get("/api/testimonies/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(response.content) == {
        "message": "The API token is unknown, revoked or expired."
    }


def test_it_lets_nobody_revoke_someone_elses_token(researcher: User, moderator: User) -> None:
    client_for(researcher).post(TOKENS, {"action": "create", "name": "mine", "valid_for": "30"})
    token = ApiToken.objects.get(user=researcher)
    response = client_for(moderator).post(TOKENS, {"action": "revoke", "token": token.pk})
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_it_asks_an_anonymous_visitor_to_log_in_for_the_token_page(anonymous: Client) -> None:
    assert anonymous.get(TOKENS).status_code == 302


def test_it_answers_429_with_retry_after_past_the_limit_per_address(
    anonymous: Client, settings: Any
) -> None:
    settings.API_RATE_LIMIT_PER_IP = 3
    statuses = [anonymous.get("/api/collections/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = anonymous.get("/api/collections/")
    assert json.loads(response.content)["message"].startswith("Too many requests")
    assert 1 <= int(response["Retry-After"]) <= 60


def test_it_counts_a_token_apart_from_its_address(researcher: User, settings: Any) -> None:
    from archive.api.tokens import create_token

    settings.API_RATE_LIMIT_PER_IP = 1
    settings.API_RATE_LIMIT_PER_TOKEN = 2
    _, raw = create_token(actor=researcher, name="limits", valid_days=None)
    Client().get("/api/collections/")
    client = token_client(raw)
    statuses = [client.get("/api/collections/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert "Retry-After" in client.get("/api/collections/")


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/testimonies/?page=0", 422),
        ("/api/testimonies/?recorded_from=2024-01-02&recorded_to=2024-01-01", 422),
        ('/api/testimonies/?q="unclosed', 422),
        ("/api/places/abc", 404),
        ("/api/nowhere/at/all", 404),
    ],
)
def test_it_answers_errors_in_json_with_a_message(anonymous: Client, url: str, status: int) -> None:
    response = anonymous.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["message"]


def test_it_serves_the_docs_with_nothing_from_another_host(anonymous: Client) -> None:
    response = anonymous.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "js/api-docs.js" in html
    elsewhere = re.findall(r"https?://[^\s\"'<>]+", html)
    assert all(url.startswith("http://testserver/") for url in elsewhere), elsewhere
    assert "<script>" not in html  # no inline script under the Content Security Policy
    assert anonymous.get("/api/openapi.json").status_code == 200


@pytest.mark.parametrize("vocabulary", ["places", "subjects", "collections"])
def test_it_pages_a_vocabulary_in_order_and_keeps_a_page_past_the_end_on_the_last(
    archive: ArchiveOfEveryKind, anonymous: Client, monkeypatch: pytest.MonkeyPatch, vocabulary: str
) -> None:
    everything = json.loads(anonymous.get(f"/api/{vocabulary}/").content)
    ids = [entry["id"] for entry in everything["results"]]
    assert len(ids) >= 2
    monkeypatch.setattr("archive.api.api.VOCABULARY_PAGE_SIZE", 1)
    pages = [json.loads(anonymous.get(f"/api/{vocabulary}/", {"page": n}).content) for n in (1, 2)]
    assert [body["page"] for body in pages] == [1, 2]
    assert {body["pages"] for body in pages} == {len(ids)}
    assert [body["results"][0]["id"] for body in pages] == ids[:2]
    past = json.loads(anonymous.get(f"/api/{vocabulary}/", {"page": 999}).content)
    assert (past["page"], past["results"][0]["id"]) == (len(ids), ids[-1])
