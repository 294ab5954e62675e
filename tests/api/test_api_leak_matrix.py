"""Nothing restricted reaches an API caller who may not see it: every endpoint against
every way of calling it (sessions and tokens, including tokens of researchers whose
approval ended, of deactivated accounts, revoked and expired) and every kind of testimony;
and OAI-PMH harvesters, who see what the public sees, against every kind.

Each test walks the whole matrix over one archive (building it per case would take
minutes) and reports every cell that failed."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from lxml import etree

from archive.accounts.roles import Role
from archive.publishing.services import withdraw
from tests.api.conftest import PERSONAS
from tests.api.test_oai import NS, error_code, harvest, identifier, the_record
from tests.factories import make_live_testimony, make_user
from tests.kinds import KINDS, REAL_NAMES, ArchiveOfEveryKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("generous_rate_limits")]

# Which kinds each audience may open (the rest are 404, or 410 once withdrawn).
SHOWN_TO_PUBLIC = {
    "public",
    "pseudonym",
    "full_name_without_consent",
    "transcript_for_researchers",
    "audio_for_researchers",
}
SHOWN_TO_RESEARCHERS = SHOWN_TO_PUBLIC | {"researchers_only"}
GONE = {"withdrawn", "erased"}
# Whose transcript (holding the kind's secret word) each audience may read.
READ_BY_PUBLIC = SHOWN_TO_PUBLIC - {"transcript_for_researchers"}
READ_BY_RESEARCHERS = SHOWN_TO_RESEARCHERS
CALLERS = sorted(p for p, sees in PERSONAS.items() if sees is not None)
REFUSED = sorted(p for p, sees in PERSONAS.items() if sees is None)


def shown(persona: str) -> set[str]:
    return SHOWN_TO_RESEARCHERS if PERSONAS[persona] else SHOWN_TO_PUBLIC


def read(persona: str) -> set[str]:
    return READ_BY_RESEARCHERS if PERSONAS[persona] else READ_BY_PUBLIC


def get(client: Client, url: str, **params: Any) -> tuple[int, Any]:
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response.status_code, json.loads(response.content)


def leaks(archive: ArchiveOfEveryKind, body: Any, allowed: set[str]) -> list[str]:
    text = json.dumps(body, ensure_ascii=False)
    words = [word for kind, word in archive.secrets.items() if kind not in allowed]
    return [word for word in [*words, *REAL_NAMES] if word in text]


def every_endpoint(archive: ArchiveOfEveryKind) -> list[str]:
    return [
        "/api/testimonies/",
        f"/api/testimonies/{archive.testimonies['public'].reference}",
        "/api/places/",
        f"/api/places/{archive.places['public'].pk}",
        "/api/subjects/",
        f"/api/subjects/{archive.subjects['public'].pk}",
        "/api/collections/",
        f"/api/collections/{archive.collections['public'].pk}",
    ]


def test_it_refuses_tokens_that_are_revoked_expired_or_of_a_deactivated_account_with_401(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    [public_file] = archive.testimonies["public"].media.all()
    for persona in REFUSED:
        client = client_of(persona)
        # The media view the API links to refuses them too, even for a public file.
        for url in [*every_endpoint(archive), f"/media/{public_file.pk}/"]:
            status, body = get(client, url)
            assert status == 401, (persona, url)
            assert body == {"message": "The API token is unknown, revoked or expired."}


def test_it_shows_a_testimony_only_to_callers_who_may_see_it(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    failures: list[tuple[Any, ...]] = []
    for persona in CALLERS:
        client = client_of(persona)
        for kind in KINDS:
            testimony = archive.testimonies[kind]
            status, body = get(client, f"/api/testimonies/{testimony.reference}")
            cell = (persona, kind, status)
            text = json.dumps(body, ensure_ascii=False)
            if kind in shown(persona):
                if status != 200 or body["reference"] != testimony.reference:
                    failures.append(cell)
                elif (archive.secrets[kind] in text) != (kind in read(persona)):
                    failures.append((*cell, "transcript"))
                elif body["citation"]["id"] != testimony.reference:
                    failures.append((*cell, "citation"))
            elif kind in GONE:
                if status != 410 or body != {
                    "message": "This testimony was withdrawn.",
                    "reference": testimony.reference,
                    "withdrawn_on": f"{testimony.withdrawn_at:%Y-%m-%d}",
                }:
                    failures.append(cell)
            elif status != 404 or body != {"message": "Not found."}:
                failures.append(cell)
            if found := leaks(archive, body, {kind}):
                failures.append((*cell, "leaks", found))
    assert failures == []


def test_it_tells_only_researchers_of_a_withdrawn_researchers_only_testimony(
    client_of: Callable[[str], Client],
) -> None:
    # The callers first: a researcher is told of it only if they could once see it.
    clients = {persona: client_of(persona) for persona in CALLERS}
    testimony = make_live_testimony(title="Once for researchers", access_level="researchers")
    withdraw(testimony, actor=make_user(role=Role.MODERATOR), reason="Taken down.")
    for persona in CALLERS:
        status, body = get(clients[persona], f"/api/testimonies/{testimony.reference}")
        if PERSONAS[persona]:
            assert (status, body["reference"]) == (410, testimony.reference), persona
        else:
            assert (status, body) == (404, {"message": "Not found."}), persona


def test_it_answers_an_unknown_reference_exactly_as_one_the_caller_may_not_see(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    for persona in CALLERS:
        client = client_of(persona)
        unknown = client.get("/api/testimonies/TA-1900-0001")
        for kind in ("staff_only", "draft", "in_review", "embargoed"):
            hidden = client.get(f"/api/testimonies/{archive.testimonies[kind].reference}")
            assert (hidden.status_code, hidden.content) == (404, unknown.content), (persona, kind)


def test_it_finds_a_secret_word_only_for_callers_who_may_read_it(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    failures: list[tuple[Any, ...]] = []
    for persona in CALLERS:
        client = client_of(persona)
        for kind in KINDS:
            word = archive.secrets[kind]
            status, body = get(client, "/api/testimonies/", q=word)
            references = [result["reference"] for result in body["results"]]
            if kind in read(persona):
                expected = [archive.testimonies[kind].reference]
                marked = {"text": word, "match": True} in body["results"][0]["snippet"]
                if (status, body["total"], references, marked) != (200, 1, expected, True):
                    failures.append((persona, kind, status, body["total"]))
            elif (status, body["total"], references) != (200, 0, []):
                failures.append((persona, kind, status, body["total"]))
            if found := leaks(archive, body, read(persona) & {kind}):
                failures.append((persona, kind, "leaks", found))
    assert failures == []


def test_it_lists_counts_and_facets_only_what_the_caller_may_see(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    for persona in CALLERS:
        status, body = get(client_of(persona), "/api/testimonies/")
        assert status == 200
        expected = {archive.testimonies[kind].reference for kind in shown(persona)}
        assert {result["reference"] for result in body["results"]} == expected, persona
        assert body["total"] == len(expected), persona
        facet = {value["value"]: value["count"] for value in body["facets"]["place_id"]}
        assert facet == {str(archive.places[kind].pk): 1 for kind in shown(persona)}, persona
        assert ("access" in body["facets"]) == bool(PERSONAS[persona]), persona
        assert leaks(archive, body, read(persona)) == [], persona


@pytest.mark.parametrize("vocabulary", ["places", "subjects", "collections"])
def test_it_lists_vocabulary_only_where_a_testimony_the_caller_may_see_uses_it(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client], vocabulary: str
) -> None:
    entries: dict[str, Any] = getattr(archive, vocabulary)
    for persona in CALLERS:
        client = client_of(persona)
        status, body = get(client, f"/api/{vocabulary}/")
        assert status == 200
        listed = {result["id"]: result["testimonies"] for result in body["results"]}
        expected = {entries[kind].pk: 1 for kind in shown(persona)}
        if vocabulary == "places":
            expected[archive.parent_place.pk] = 0  # the broader place of those shown
        assert listed == expected, persona
        assert body["total"] == len(expected)
        for kind, entry in entries.items():
            status, detail = get(client, f"/api/{vocabulary}/{entry.pk}")
            if kind in shown(persona):
                assert (status, detail["testimonies"]) == (200, 1), (persona, kind)
            else:
                assert (status, detail) == (404, {"message": "Not found."}), (persona, kind)


def test_it_links_only_the_media_the_caller_may_have(
    archive: ArchiveOfEveryKind, client_of: Callable[[str], Client]
) -> None:
    public = archive.testimonies["public"]
    [asset] = public.media.all()
    restricted = archive.testimonies["audio_for_researchers"]
    for persona in CALLERS:
        client = client_of(persona)
        _, body = get(client, f"/api/testimonies/{public.reference}")
        assert [(m["id"], m["url"]) for m in body["media"]] == [
            (asset.pk, f"http://testserver/media/{asset.pk}/")
        ]
        _, body = get(client, f"/api/testimonies/{restricted.reference}")
        expected = [a.pk for a in restricted.media.all()] if PERSONAS[persona] else []
        assert [m["id"] for m in body["media"]] == expected, persona
        # A link opens with the credentials that listed it (the token, for a script), and
        # a restricted file stays shut to whoever may not have it.
        for restricted_asset in restricted.media.all():
            response: Any = client.get(f"/media/{restricted_asset.pk}/")
            if response.streaming:  # read to the end, which closes the file
                b"".join(response.streaming_content)
            status = response.status_code
            expected_status = 200 if PERSONAS[persona] else 404
            assert status == expected_status, persona


def test_it_harvests_by_oai_pmh_only_what_the_public_may_see(
    archive: ArchiveOfEveryKind, anonymous: Client
) -> None:
    # What was public and is withdrawn is a deleted record; what never was is never named.
    for verb in ("ListIdentifiers", "ListRecords"):
        document = harvest(anonymous, verb=verb, metadataPrefix="oai_dc")
        headers = {
            str(header.findtext("oai:identifier", namespaces=NS)): header.get("status")
            for header in document.iterfind(".//oai:header", NS)
        }
        expected: dict[str, str | None] = {
            identifier(archive.testimonies[kind]): None for kind in SHOWN_TO_PUBLIC
        }
        expected |= {identifier(archive.testimonies[kind]): "deleted" for kind in GONE}
        assert headers == expected, verb
        text = etree.tostring(document, encoding="unicode")
        for kind in KINDS:
            if kind not in SHOWN_TO_PUBLIC | GONE:
                assert archive.testimonies[kind].reference not in text, (verb, kind)
            if kind not in READ_BY_PUBLIC:
                assert archive.secrets[kind] not in text, (verb, kind)
        for real_name in REAL_NAMES:
            assert real_name not in text, verb
    for kind in KINDS:
        document = harvest(
            anonymous,
            verb="GetRecord",
            identifier=identifier(archive.testimonies[kind]),
            metadataPrefix="oai_dc",
        )
        if kind in SHOWN_TO_PUBLIC | GONE:
            assert the_record(document) is not None, kind
        else:
            assert error_code(document) == "idDoesNotExist", kind
