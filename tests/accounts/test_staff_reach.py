"""A staff session without its second factor, and any API token, reach no further than a
plain account: every surface answers them exactly as it answers a signed-in user who is
not staff. A staff member who confirmed a code keeps staff reach."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.accounts.audience import Audience, audience_of
from archive.accounts.models import AccessRequest, User
from archive.api.tokens import TokenError, create_token
from archive.consent.models import ConsentRecord
from archive.public.models import AccessRecord
from archive.testimonies.models import MediaAsset, Testimony
from tests.accounts.test_two_factor import current_code
from tests.conftest import client_for
from tests.factories import make_live_testimony, make_media, wav_bytes
from tests.html import document, results_count, text

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
STAFF_WORD = "quillwort"
RESEARCH_WORD = "zephyrine"


@dataclass
class Material:
    staff_only: Testimony
    researchers_only: Testimony
    staff_file: MediaAsset
    evidence: ConsentRecord


@pytest.fixture
def material(db: None) -> Material:
    staff_only = make_live_testimony(
        title="Kept for staff", access_level="staff", transcript=f"A word: {STAFF_WORD}."
    )
    researchers_only = make_live_testimony(
        title="Kept for researchers",
        access_level="researchers",
        transcript=f"A word: {RESEARCH_WORD}.",
    )
    public = make_live_testimony(title="Open to all")
    staff_file = make_media(
        testimony=public, content=wav_bytes(seconds=0.2), access_level="staff", name="x.wav"
    )
    evidence = public.consent_records.get()
    evidence.evidence.save("form.pdf", ContentFile(PDF))
    return Material(staff_only, researchers_only, staff_file, evidence)


@pytest.fixture(autouse=True)
def required(settings: Any) -> None:
    settings.STAFF_REQUIRE_TWO_FACTOR = True
    cache.clear()  # the API's rate counters


def verified_client(user: User) -> Client:
    """A session that confirmed a code from the user's authenticator, as staff do."""
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = client_for(user)
    response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert response.status_code == 302
    return client


def read(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def fetched(client: Client, url: str, **headers: str) -> tuple[int, bytes]:
    """The status and the file's bytes (read to the end, which closes the file); a refusal
    is the site's 404 page, which names whoever is signed in."""
    response = client.get(url, headers=headers)
    body = read(response)
    return response.status_code, body if response.status_code == 200 else b""


def search_count(client: Client, word: str) -> int:
    return results_count(document(client.get(reverse("search"), {"q": word})))


def api_total(client: Client, word: str, **headers: str) -> int:
    response = client.get("/api/testimonies/", {"q": word}, headers=headers)
    assert response.status_code == 200
    return int(response.json()["total"])


# Every surface, as (what it answers) for a client: status codes and counts.
SURFACES: dict[str, Callable[[Client, Material], Any]] = {
    "staff-only page": lambda c, m: (
        c.get(reverse("testimony", args=[m.staff_only.reference])).status_code
    ),
    "researchers-only page": lambda c, m: (
        c.get(reverse("testimony", args=[m.researchers_only.reference])).status_code
    ),
    "restricted file": lambda c, m: fetched(c, reverse("media_file", args=[m.staff_file.pk])),
    "consent evidence": lambda c, m: fetched(
        c, reverse("consent_evidence_file", args=[m.evidence.pk])
    ),
    "search count": lambda c, m: (search_count(c, STAFF_WORD), search_count(c, RESEARCH_WORD)),
    "api detail": lambda c, m: (
        c.get(f"/api/testimonies/{m.researchers_only.reference}").status_code
    ),
    "api list": lambda c, m: api_total(c, RESEARCH_WORD),
}


@pytest.mark.parametrize("surface", list(SURFACES))
def test_it_answers_an_unverified_archivist_as_it_answers_a_plain_user(
    material, archivist, researcher, surface
):
    plain = SURFACES[surface](client_for(researcher), material)
    unverified = SURFACES[surface](client_for(archivist), material)
    verified = SURFACES[surface](verified_client(archivist), material)

    assert unverified == plain
    # The surface does tell staff apart once the code is confirmed.
    assert verified != plain


@pytest.mark.parametrize("surface", list(SURFACES))
def test_it_answers_an_unverified_superuser_as_it_answers_a_plain_user(
    material, superuser, researcher, surface
):
    plain = SURFACES[surface](client_for(researcher), material)

    assert SURFACES[surface](client_for(superuser), material) == plain


def test_an_unverified_staff_session_keeps_a_researchers_approved_access(material, archivist):
    AccessRequest.objects.create(
        user=archivist,
        affiliation="University",
        purpose="Research",
        status=AccessRequest.Status.APPROVED,
        terms_accepted_at=material.staff_only.created_at,
    )

    assert audience_of(User.objects.get(pk=archivist.pk)) == Audience.RESEARCHERS


def test_it_files_nothing_for_an_unverified_staff_member_in_the_access_log(material, archivist):
    client_for(archivist).get(reverse("consent_evidence_file", args=[material.evidence.pk]))

    assert not AccessRecord.objects.exists()


def test_an_unverified_staff_session_cannot_create_an_api_token(archivist):
    response = client_for(archivist).post(
        reverse("api_tokens"), {"action": "create", "name": "scripts", "valid_for": "30"}
    )

    assert response.status_code == 200
    assert b"ta_" not in response.content
    assert not archivist.api_tokens.exists()


def test_a_verified_staff_session_may_create_a_token(archivist):
    response = verified_client(archivist).post(
        reverse("api_tokens"), {"action": "create", "name": "scripts", "valid_for": "30"}
    )

    assert (text(document(response), "//*[@id='new-token']") or "").startswith("ta_")
    # The page says what the token will reach: what the account reaches as a plain one.
    assert b"Your account sees what the public sees; so do your tokens." in response.content


@pytest.mark.parametrize("two_factor", [True, False])
def test_a_staff_members_token_never_carries_staff_reach(
    material, archivist, researcher, settings, two_factor
):
    settings.STAFF_REQUIRE_TWO_FACTOR = False  # to make the token at all without a device
    _token, raw = create_token(actor=archivist, name="scripts", valid_days=30)
    settings.STAFF_REQUIRE_TWO_FACTOR = two_factor
    bearer = {"Authorization": f"Bearer {raw}"}
    anonymous = Client()
    plain = client_for(researcher)

    detail_url = f"/api/testimonies/{material.researchers_only.reference}"
    detail = anonymous.get(detail_url, headers=bearer)
    file_url = reverse("media_file", args=[material.staff_file.pk])

    assert detail.status_code == 404
    assert fetched(anonymous, file_url, **bearer) == fetched(plain, file_url)
    assert fetched(anonymous, file_url, **bearer)[0] == 404
    assert api_total(anonymous, RESEARCH_WORD, **bearer) == api_total(plain, RESEARCH_WORD)
    # Even riding along a verified staff session, the token acts as the token.
    session = verified_client(archivist)
    assert session.get(detail_url, headers=bearer).status_code == 404


def test_create_token_refuses_an_unverified_staff_actor(archivist):
    with pytest.raises(TokenError):
        create_token(actor=archivist, name="scripts", valid_days=30)


def test_without_the_setting_staff_keep_their_reach_by_password(material, archivist, settings):
    settings.STAFF_REQUIRE_TWO_FACTOR = False
    client = client_for(archivist)

    assert client.get(reverse("testimony", args=[material.staff_only.reference])).status_code == 200
    evidence = fetched(client, reverse("consent_evidence_file", args=[material.evidence.pk]))
    assert evidence == (200, PDF)
