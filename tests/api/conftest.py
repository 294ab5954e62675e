"""A small archive for API tests, built once per module: every kind of testimony the leak
matrix needs, each with a word and a vocabulary entry that no other testimony has; and the
personas who call the API, by session and by token."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from archive.accounts.models import User
from archive.accounts.roles import Role
from archive.api.models import ApiToken
from archive.api.tokens import create_token, revoke_token
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from archive.testimonies.models import Collection, Narrator, Place, Subject, Testimony
from tests.conftest import client_for
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
    make_verified_consent,
    wav_bytes,
)

SECRETS = {
    "public": "quince",
    "researchers_only": "zephyrine",
    "staff_only": "quillwort",
    "draft": "marzipan",
    "in_review": "tamarind",
    "embargoed": "obsidian",
    "withdrawn": "kestrel",
    "erased": "pomegranate",
    "transcript_for_researchers": "lighthouse",
    "audio_for_researchers": "gramophone",
    "nameless": "sparrow",
}


@dataclass
class ApiArchive:
    testimonies: dict[str, Testimony]
    secrets: dict[str, str]
    # One place, subject and collection per kind, used by that testimony alone.
    places: dict[str, Place]
    subjects: dict[str, Subject]
    collections: dict[str, Collection]
    parent_place: Place


def _build() -> ApiArchive:
    parent_place = make_place(name="Syunik", kind="region")
    places: dict[str, Place] = {}
    subjects: dict[str, Subject] = {}
    collections: dict[str, Collection] = {}
    for kind in SECRETS:
        places[kind] = make_place(name=f"Place of {kind}", parent=parent_place)
        subjects[kind] = make_subject(label=f"Subject of {kind}")
        collections[kind] = make_collection(title=f"Collection of {kind}", slug=f"c-{kind}")

    def text(kind: str) -> str:
        return f"A testimony of the kind {kind.replace('_', ' ')}: {SECRETS[kind]}."

    def live(kind: str, **fields: Any) -> Testimony:
        fields.setdefault("title", f"Title of {kind}")
        return make_live_testimony(
            transcript=text(kind),
            places=[places[kind]],
            subjects=[subjects[kind]],
            collection=collections[kind],
            **fields,
        )

    testimonies: dict[str, Testimony] = {}
    testimonies["public"] = live(
        "public",
        narrator=make_narrator(
            given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        recorded_on=date(2023, 9, 26),
        recorded_precision="day",
        interviewer="Ani Interviewer",
        media=[{"content": wav_bytes(seconds=0.2), "name": "vera.wav", "caption": "Her voice"}],
    )
    testimonies["researchers_only"] = live("researchers_only", access_level="researchers")
    testimonies["staff_only"] = live("staff_only", access_level="staff")
    for kind in ("draft", "in_review"):
        draft = make_testimony(
            title=f"Title of {kind}", access_level="public", transcript=text(kind)
        )
        draft.places.set([places[kind]])
        make_verified_consent(narrator=draft.narrator, testimonies=[draft])
        testimonies[kind] = draft
    services.submit_for_review(testimonies["in_review"], actor=make_user(role=Role.CONTRIBUTOR))
    testimonies["embargoed"] = live("embargoed", consent={"embargo_until": date(2099, 1, 1)})
    withdrawn = live("withdrawn")
    services.withdraw(withdrawn, actor=make_user(role=Role.MODERATOR), reason="Family asked.")
    testimonies["withdrawn"] = withdrawn
    erased = live("erased")
    withdraw_consent(
        erased.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="erase"
    )
    testimonies["erased"] = erased
    testimonies["transcript_for_researchers"] = live(
        "transcript_for_researchers", consent={"allows_public_transcript": False}
    )
    testimonies["audio_for_researchers"] = live(
        "audio_for_researchers",
        consent={"allows_public_audio": False},
        media=[{"content": wav_bytes(seconds=0.2), "name": "secret.wav"}],
    )
    testimonies["nameless"] = live(
        "nameless",
        narrator=make_narrator(
            given_name="Gor", family_name="Sargsyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        consent={"allows_name_disclosure": False},
    )
    for testimony in testimonies.values():
        testimony.refresh_from_db()
    return ApiArchive(
        testimonies=testimonies,
        secrets=SECRETS,
        places=places,
        subjects=subjects,
        collections=collections,
        parent_place=parent_place,
    )


@pytest.fixture
def archive(db: None) -> ApiArchive:
    return _build()


@pytest.fixture
def generous_rate_limits(settings: Any) -> None:
    """Tests that make hundreds of requests from one address are not rate-limited."""
    settings.API_RATE_LIMIT_PER_IP = 100_000
    settings.API_RATE_LIMIT_PER_TOKEN = 100_000


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    """Every test starts with empty request counters (they live in the cache)."""
    cache.clear()
    yield
    cache.clear()


def approve_as_researcher(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="access_research_material"))
    return User.objects.get(pk=user.pk)  # a fresh object: permissions are cached


def end_research_approval(user: User) -> None:
    user.user_permissions.remove(Permission.objects.get(codename="access_research_material"))


@pytest.fixture
def approved_researcher(db: None) -> User:
    return approve_as_researcher(make_user(username="rita.approved"))


def token_client(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


# Every way of calling the API, and whether it sees what approved researchers see (True),
# what the public sees (False), or is refused (None).
PERSONAS: dict[str, bool | None] = {
    "anonymous": False,
    "researcher": False,
    "approved_researcher": True,
    "moderator": True,
    "token_of_researcher": False,
    "token_of_approved_researcher": True,
    "token_of_researcher_whose_approval_ended": False,
    "token_of_deactivated_researcher": None,
    "revoked_token": None,
    "expired_token": None,
}


@pytest.fixture
def client_of(request: pytest.FixtureRequest, anonymous: Client) -> Callable[[str], Client]:
    def get(persona: str) -> Client:
        if persona == "anonymous":
            return anonymous
        if persona in ("researcher", "approved_researcher", "moderator"):
            return client_for(request.getfixturevalue(persona))
        user = make_user()
        if persona != "token_of_researcher":
            user = approve_as_researcher(user)
        token, raw = create_token(actor=user, name=persona, valid_days=30)
        if persona == "token_of_researcher_whose_approval_ended":
            end_research_approval(user)
        elif persona == "token_of_deactivated_researcher":
            User.objects.filter(pk=user.pk).update(is_active=False)
        elif persona == "revoked_token":
            revoke_token(token, actor=user)
        elif persona == "expired_token":
            ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
        return token_client(raw)

    return get
