"""OAI-PMH sets are collections; a harvester learns only of those holding something public.
A set with nothing harvestable in it and a set that does not exist get the same answer
(noRecordsMatch, which the protocol allows for a set with no items), after the same
queries, so set specs cannot be tried to learn which collections exist."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe import exceptions as scythe_errors
from oaipmh_scythe.iterator import OAIResponseIterator

from archive.publishing.services import withdraw
from archive.testimonies.models import AccessLevel, Testimony
from tests.api.test_oai import NS, error_code, harvest
from tests.factories import make_collection, make_live_testimony, make_testimony, make_user

VERBS = ["ListIdentifiers", "ListRecords"]
NO_SUCH_SET = "no-such-set"


def collections_with_nothing_public() -> list[str]:
    make_live_testimony(collection=make_collection(slug="exodus"))
    make_live_testimony(
        collection=make_collection(slug="for-researchers"), access_level=AccessLevel.RESEARCHERS
    )
    make_live_testimony(
        collection=make_collection(slug="for-staff"), access_level=AccessLevel.STAFF
    )
    make_testimony(collection=make_collection(slug="drafts"), access_level=AccessLevel.PUBLIC)
    make_collection(slug="empty")
    return ["for-researchers", "for-staff", "drafts", "empty"]


def without_response_date(body: bytes) -> bytes:
    return re.sub(rb"<responseDate>[^<]*</responseDate>", b"", body)


def answer(client: Client, verb: str, set_spec: str) -> tuple[bytes, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/oai/", {"verb": verb, "metadataPrefix": "oai_dc", "set": set_spec})
    body = without_response_date(response.content).replace(set_spec.encode(), NO_SUCH_SET.encode())
    queries = [
        re.sub(r"\b\d+\b", "<n>", query["sql"].replace(set_spec, NO_SUCH_SET))
        for query in captured.captured_queries
    ]
    return body, queries


@pytest.mark.django_db
@pytest.mark.parametrize("verb", VERBS)
def test_a_set_with_nothing_public_is_answered_as_a_set_that_does_not_exist(
    client: Client, verb: str
) -> None:
    hidden = collections_with_nothing_public()
    never = answer(client, verb, NO_SUCH_SET)
    assert error_code(etree.fromstring(never[0])) == "noRecordsMatch"
    for slug in hidden:
        assert answer(client, verb, slug) == never, slug
    public = harvest(client, verb=verb, metadataPrefix="oai_dc", set_="exodus")
    assert len(public.findall(".//oai:header", NS)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("verb", VERBS)
def test_a_withdrawn_testimony_filed_under_a_hidden_collection_does_not_make_it_answer(
    client: Client, verb: str
) -> None:
    # Once public, then withdrawn: harvesters are told it was deleted. Filed afterwards under
    # a collection with nothing public, it must not make that set answer differently from
    # one that does not exist, nor appear in it.
    gone = make_live_testimony(collection=make_collection(slug="exodus"))
    withdraw(gone, actor=make_user(is_superuser=True), reason="The narrator asked.")
    Testimony.objects.filter(pk=gone.pk).update(collection=make_collection(slug="staff-shelf"))
    never = answer(client, verb, NO_SUCH_SET)
    assert answer(client, verb, "staff-shelf") == never
    everything = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert everything.xpath("//oai:header/@status", namespaces=NS) == ["deleted"]


@pytest.mark.django_db
def test_it_lists_no_set_with_nothing_public_in_it(client: Client) -> None:
    hidden = collections_with_nothing_public()
    document = harvest(client, verb="ListSets")
    specs = document.xpath("//oai:setSpec/text()", namespaces=NS)
    assert specs == ["exodus"]
    assert not set(specs) & set(hidden)


@pytest.fixture
def scythe(live_server: Any) -> Iterator[Scythe]:
    with Scythe(f"{live_server.url}/oai/", iterator=OAIResponseIterator) as harvester:
        yield harvester


@pytest.mark.django_db(transaction=True)
def test_a_harvester_hears_the_same_of_an_empty_set_and_of_no_set(scythe: Scythe) -> None:
    hidden = collections_with_nothing_public()
    heard = []
    for slug in [NO_SUCH_SET, *hidden]:
        with pytest.raises(scythe_errors.NoRecordsMatch) as raised:
            list(scythe.list_identifiers(metadata_prefix="oai_dc", set_=slug))
        heard.append(str(raised.value))
    assert len(set(heard)) == 1
    assert list(scythe.list_identifiers(metadata_prefix="oai_dc", set_="exodus"))
