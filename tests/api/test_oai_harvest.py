"""OAI-PMH harvested as an aggregator would: oaipmh-scythe, a real harvester, over HTTP
against the live server, following resumption tokens to the end of each list. Every page it
receives is validated against the OAI-PMH and oai_dc schemas."""

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from lxml import etree
from oaipmh_scythe import Scythe
from oaipmh_scythe import exceptions as scythe_errors
from oaipmh_scythe.config import HTTPConfig
from oaipmh_scythe.iterator import OAIResponseIterator
from oaipmh_scythe.models import Header, Record

from archive.accounts.audience import Audience
from archive.api import oai
from archive.consent.policy import disclosure_for
from archive.demo.seed import load_demo_archive
from archive.publishing.services import withdraw
from archive.testimonies.models import AccessLevel, Narrator, Testimony
from tests.api.test_oai import NS, oai_schema
from tests.factories import make_live_testimony, make_narrator, make_testimony, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def admin_address(settings: Any) -> None:
    settings.OAI_ADMIN_EMAIL = "archive@testimony-archive.example.org"


@pytest.fixture
def scythe(live_server: Any) -> Iterator[Scythe]:
    with Scythe(f"{live_server.url}/oai/", iterator=OAIResponseIterator) as harvester:
        yield harvester


def harvest_records(scythe: Scythe, **arguments: Any) -> tuple[list[Record], int]:
    """Every record of a full ListRecords, and how many responses it took; each response
    is checked against the schema first."""
    schema = oai_schema()
    records: list[Record] = []
    pages = 0
    for response in scythe.list_records(metadata_prefix="oai_dc", **arguments):
        document = etree.fromstring(response.raw.encode())
        assert schema.validate(document), schema.error_log
        records += [Record(element) for element in document.iterfind(".//oai:record", NS)]
        pages += 1
    return records, pages


def reference_of(record: Record) -> str:
    return str(record.header.identifier).rpartition(":")[2]


def oai_id(testimony: Testimony) -> str:
    return f"oai:testimony-archive:{testimony.reference}"


def test_a_harvester_gets_every_public_testimony_once_and_a_withdrawn_one_as_deleted(
    scythe, monkeypatch
):
    monkeypatch.setattr(oai, "PAGE_SIZE", 3)
    public = [make_live_testimony() for _ in range(7)]
    pseudonymous = make_live_testimony(
        narrator=make_narrator(
            given_name="Lilit", attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Nune"
        )
    )
    withdrawn = make_live_testimony()
    withdraw(withdrawn, actor=make_user(is_superuser=True), reason="The narrator asked.")
    draft = make_testimony(access_level=AccessLevel.PUBLIC)
    researchers = make_live_testimony(access_level=AccessLevel.RESEARCHERS)

    records, pages = harvest_records(scythe)

    assert pages == 3  # nine records, three a page
    counts = Counter(record.header.identifier for record in records)
    assert set(counts.values()) == {1}
    live = {r.header.identifier: r for r in records if not r.deleted}
    deleted = {r.header.identifier for r in records if r.deleted}
    assert set(live) == {oai_id(t) for t in [*public, pseudonymous]}
    assert deleted == {oai_id(withdrawn)}
    assert oai_id(draft) not in counts
    assert oai_id(researchers) not in counts
    assert live[oai_id(pseudonymous)].metadata["creator"] == ["Nune"]
    assert live[oai_id(public[0])].metadata["title"] == [public[0].title]


def test_a_harvester_follows_tokens_through_identifiers_and_reads_one_record(
    live_server, monkeypatch
):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    testimonies = [make_live_testimony() for _ in range(5)]

    with Scythe(f"{live_server.url}/oai/", http_config=HTTPConfig(http_method="POST")) as harvester:
        headers = list(harvester.list_identifiers(metadata_prefix="oai_dc"))
        record = harvester.get_record(oai_id(testimonies[2]))
        identify = harvester.identify()
        formats = list(harvester.list_metadata_formats())

    assert all(isinstance(header, Header) for header in headers)
    assert [getattr(header, "identifier", None) for header in headers] == [
        oai_id(t) for t in testimonies
    ]
    assert isinstance(record, Record)
    assert record.metadata["title"] == [testimonies[2].title]
    assert identify.xml.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert [getattr(f, "metadataPrefix", None) for f in formats] == ["oai_dc"]


ERROR_CASES = [
    ("badVerb", {"verb": "Harvest"}),
    ("badArgument", {"verb": "ListRecords"}),
    ("badResumptionToken", {"verb": "ListRecords", "resumptionToken": "forged"}),
    ("cannotDisseminateFormat", {"verb": "ListRecords", "metadataPrefix": "mods"}),
    (
        "idDoesNotExist",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:testimony-archive:TA-1999-0001",
        },
    ),
    ("noRecordsMatch", {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}),
]
SCYTHE_ERRORS = {
    "badVerb": scythe_errors.BadVerb,
    "badArgument": scythe_errors.BadArgument,
    "badResumptionToken": scythe_errors.BadResumptionToken,
    "cannotDisseminateFormat": scythe_errors.CannotDisseminateFormat,
    "idDoesNotExist": scythe_errors.IdDoesNotExist,
    "noRecordsMatch": scythe_errors.NoRecordsMatch,
}


@pytest.mark.parametrize(("code", "query"), ERROR_CASES)
def test_a_harvester_recognises_each_error_code(scythe, code, query):
    make_live_testimony()

    with pytest.raises(SCYTHE_ERRORS[code]):
        scythe.harvest(query)


@pytest.mark.slow
def test_an_aggregator_pulls_the_whole_public_demo_archive(scythe, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 10)
    load_demo_archive()
    public = {
        testimony.reference: disclosure_for(testimony).name_for(Audience.PUBLIC)
        for testimony in Testimony.objects.visible_to(AnonymousUser())
    }
    withdrawn = set(
        Testimony.objects.filter(status=Testimony.Status.WITHDRAWN).values_list(
            "reference", flat=True
        )
    )
    assert len(public) > 20
    assert withdrawn

    records, pages = harvest_records(scythe)

    assert pages == -(-len(records) // 10)
    references = Counter(reference_of(record) for record in records)
    assert set(references.values()) == {1}
    creators = {
        reference_of(record): record.metadata["creator"] for record in records if not record.deleted
    }
    assert creators == {reference: [name] for reference, name in public.items()}
    assert {reference_of(r) for r in records if r.deleted} == withdrawn
    vera = next(r for r in records if reference_of(r) == "TA-2023-0001")
    assert vera.metadata["creator"] == ["Vera Petrosyan"]
    assert "2023-09-26" in vera.metadata["date"]
