"""OAI-PMH at /oai/: each verb, the disclosure policy applied to what harvesters receive,
deleted records, selective harvesting, resumption tokens and every error code. Every
response is validated against the OAI-PMH and oai_dc schemas in tests/api/oai_schemas/."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from archive.api import oai
from archive.consent.models import ConsentRecord
from archive.public.dublin_core import DC_NS, OAI_DC_NS
from archive.publishing.consent_changes import withdraw_consent
from archive.publishing.services import record_edit, submit_for_review, withdraw
from archive.testimonies.models import AccessLevel, MediaAsset, Narrator, Testimony
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

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "oai_schemas"
NS = {"oai": oai.OAI_NS, "dc": DC_NS, "oai_dc": OAI_DC_NS}


def oai_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "OAI-PMH.xsd")))


def valid_oai(body: bytes) -> etree._Element:
    """The parsed response, after checking it against the schema."""
    document = etree.fromstring(body)
    schema = oai_schema()
    assert schema.validate(document), schema.error_log
    return document


def harvest(client: Client, method: str = "get", **params: Any) -> etree._Element:
    params = {name.rstrip("_"): value for name, value in params.items()}
    response = getattr(client, method)("/oai/", params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return valid_oai(response.content)


def error_code(document: etree._Element) -> str:
    (error,) = document.findall("oai:error", NS)
    return str(error.get("code"))


def identifiers(document: etree._Element) -> list[str]:
    return [str(e.text) for e in document.iterfind(".//oai:header/oai:identifier", NS)]


def identifier(testimony: Testimony) -> str:
    return f"oai:testimony-archive:{testimony.reference}"


def dc_values(record: etree._Element, element: str) -> list[str]:
    return [str(e.text) for e in record.iterfind(f".//dc:{element}", NS)]


def the_record(document: etree._Element) -> etree._Element:
    (record,) = document.iterfind(".//oai:record", NS)
    return record


@pytest.fixture(autouse=True)
def admin_address(settings: Any) -> None:
    # The repository's contact; the default (archive@localhost) has no domain to harvest.
    settings.OAI_ADMIN_EMAIL = "archive@testimony-archive.example.org"


def test_it_identifies_the_repository(client, settings):
    published = make_live_testimony()

    document = harvest(client, verb="Identify")

    identify = document.find("oai:Identify", NS)
    assert identify is not None
    assert identify.findtext("oai:repositoryName", namespaces=NS) == settings.SITE_NAME
    assert identify.findtext("oai:baseURL", namespaces=NS) == f"{settings.SITE_URL}/oai/"
    assert identify.findtext("oai:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("oai:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("oai:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("oai:earliestDatestamp", namespaces=NS) == (
        published.stored_disclosure.computed_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    request = document.find("oai:request", NS)
    assert request is not None
    assert request.get("verb") == "Identify"


def test_it_offers_oai_dc_for_the_repository_and_for_an_item(client):
    testimony = make_live_testimony()

    for params in ({}, {"identifier": identifier(testimony)}):
        document = harvest(client, verb="ListMetadataFormats", **params)
        prefixes = document.xpath("//oai:metadataPrefix/text()", namespaces=NS)
        assert prefixes == ["oai_dc"]
        assert document.xpath("//oai:metadataNamespace/text()", namespaces=NS) == [OAI_DC_NS]


def test_it_lists_as_sets_the_collections_that_hold_a_public_testimony(client):
    public = make_collection(title="Exodus 1988–1994", slug="exodus")
    restricted = make_collection(title="Sealed letters", slug="sealed")
    make_collection(title="Empty", slug="empty")
    make_live_testimony(collection=public)
    make_live_testimony(collection=restricted, access_level=AccessLevel.RESEARCHERS)

    document = harvest(client, verb="ListSets")

    assert document.xpath("//oai:setSpec/text()", namespaces=NS) == ["exodus"]
    assert document.xpath("//oai:setName/text()", namespaces=NS) == ["Exodus 1988–1994"]


def test_it_describes_a_public_testimony_in_dublin_core_from_its_live_revision(client, settings):
    place = make_place(name="Stepanakert")
    subject = make_subject(label="Forced displacement")
    collection = make_collection(title="Exodus", slug="exodus")
    narrator = make_narrator(
        given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
    )
    testimony = make_live_testimony(
        title="I left everything behind",
        summary="A teacher leaves Baku in 1988.",
        narrator=narrator,
        interviewer="Anna Grigoryan",
        recorded_on=datetime(2023, 9, 1, tzinfo=UTC).date(),
        recorded_precision=Testimony.DatePrecision.MONTH,
        period_start_year=1988,
        period_end_year=1990,
        places=[place],
        subjects=[subject],
        collection=collection,
        source="Recorded for the archive.",
        rights_statement="CC BY-NC 4.0",
        media=[{"content": wav_bytes(), "name": "voice.wav"}],
    )
    # A change waiting for approval is not the public's yet.
    testimony.title = "Unapproved title"
    testimony.save()
    record_edit(testimony, actor=testimony.created_by or make_user(is_superuser=True), fields=[])

    document = harvest(
        client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc"
    )

    record = the_record(document)
    assert record.findtext("oai:header/oai:setSpec", namespaces=NS) == "exodus"
    assert dc_values(record, "title") == ["I left everything behind"]
    assert dc_values(record, "creator") == ["Vera Petrosyan"]
    assert dc_values(record, "subject") == ["Forced displacement"]
    assert dc_values(record, "description") == ["A teacher leaves Baku in 1988."]
    assert dc_values(record, "publisher") == [settings.SITE_NAME]
    assert dc_values(record, "contributor") == ["Anna Grigoryan"]
    assert dc_values(record, "date") == ["2023-09"]
    assert dc_values(record, "type") == ["Text", "Sound"]
    assert dc_values(record, "format") == ["audio/x-wav"]
    assert dc_values(record, "identifier") == [
        f"{settings.SITE_URL}/testimonies/{testimony.reference}/",
        testimony.reference,
    ]
    assert dc_values(record, "source") == ["Recorded for the archive."]
    assert dc_values(record, "language") == ["en"]
    assert dc_values(record, "relation") == ["Exodus"]
    assert dc_values(record, "coverage") == ["Stepanakert", "1988/1990"]
    assert dc_values(record, "rights") == ["CC BY-NC 4.0"]


def test_it_names_the_narrator_only_as_the_disclosure_allows(client):
    named_without_consent = make_narrator(
        given_name="Armen", family_name="Sahakyan", attribution=Narrator.Attribution.FULL_NAME
    )
    pseudonymous = make_narrator(
        given_name="Lilit",
        family_name="Hovhannisyan",
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Nune",
    )
    unnamed = make_live_testimony(
        narrator=named_without_consent, consent={"allows_name_disclosure": False}
    )
    pseudonym = make_live_testimony(narrator=pseudonymous)

    document = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")

    creators = {
        record.findtext("oai:header/oai:identifier", namespaces=NS): dc_values(record, "creator")
        for record in document.iterfind(".//oai:record", NS)
    }
    assert creators == {
        identifier(unnamed): [f"Narrator {named_without_consent.pk}"],
        identifier(pseudonym): ["Nune"],
    }
    text = etree.tostring(document, encoding="unicode")
    for real_name in ("Armen", "Sahakyan", "Lilit", "Hovhannisyan"):
        assert real_name not in text


def test_it_leaves_out_the_parts_that_are_not_public(client):
    testimony = make_live_testimony(
        summary="Summary for everyone.",
        consent={"allows_public_transcript": False, "allows_public_audio": False},
        media=[{"content": wav_bytes(), "name": "voice.wav"}],
    )
    assert testimony.media.get().kind == MediaAsset.Kind.AUDIO

    record = the_record(
        harvest(client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc")
    )

    assert dc_values(record, "description") == ["Summary for everyone."]
    assert dc_values(record, "language") == []
    assert dc_values(record, "type") == []
    assert dc_values(record, "format") == []


def never_public_testimonies() -> list[Testimony]:
    """A draft, one in review, one for researchers, one embargoed, one without public
    metadata, and one withdrawn that was only ever open to researchers."""
    draft = make_testimony(access_level=AccessLevel.PUBLIC)
    make_verified_consent(narrator=draft.narrator, testimonies=[draft])
    in_review = make_testimony(access_level=AccessLevel.PUBLIC)
    make_verified_consent(narrator=in_review.narrator, testimonies=[in_review])
    submit_for_review(in_review, actor=make_user(is_superuser=True))
    researchers = make_live_testimony(access_level=AccessLevel.RESEARCHERS)
    embargoed = make_live_testimony(
        consent={"embargo_until": timezone.localdate() + timedelta(days=365)}
    )
    no_public_metadata = make_live_testimony(consent={"allows_public_metadata": False})
    withdrawn_researchers = make_live_testimony(access_level=AccessLevel.RESEARCHERS)
    withdraw(withdrawn_researchers, actor=make_user(is_superuser=True), reason="Asked to.")
    return [draft, in_review, researchers, embargoed, no_public_metadata, withdrawn_researchers]


def test_it_never_mentions_a_testimony_that_was_never_public(client):
    hidden = never_public_testimonies()
    public = make_live_testimony()

    for verb in ("ListIdentifiers", "ListRecords"):
        document = harvest(client, verb=verb, metadataPrefix="oai_dc")
        assert identifiers(document) == [identifier(public)]
        text = etree.tostring(document, encoding="unicode")
        for testimony in hidden:
            assert testimony.reference not in text
    for testimony in hidden:
        document = harvest(
            client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc"
        )
        assert error_code(document) == "idDoesNotExist"


def deleted_header(document: etree._Element) -> etree._Element:
    (header,) = document.iterfind(".//oai:header", NS)
    assert header.get("status") == "deleted"
    return header


def test_it_reports_a_withdrawn_testimony_as_a_deleted_header_dated_by_its_withdrawal(client):
    testimony = make_live_testimony(collection=make_collection())
    withdraw(testimony, actor=make_user(is_superuser=True), reason="The narrator asked.")
    testimony.refresh_from_db()

    document = harvest(
        client, verb="GetRecord", identifier=identifier(testimony), metadataPrefix="oai_dc"
    )

    header = deleted_header(document)
    assert [child.tag for child in header] == [oai._oai("identifier"), oai._oai("datestamp")]
    assert header.findtext("oai:datestamp", namespaces=NS) == oai.oai_records.datestamp(
        testimony.stored_disclosure.computed_at
    )
    assert testimony.withdrawn_at is not None
    assert testimony.stored_disclosure.computed_at >= testimony.withdrawn_at
    assert the_record(document).find("oai:metadata", NS) is None
    assert testimony.title not in etree.tostring(document, encoding="unicode")


def test_it_reports_an_erased_testimony_with_nothing_but_identifier_datestamp_and_status(client):
    testimony = make_live_testimony(title="Words to be erased")
    consent = testimony.consent_records.get()
    archivist = make_user(is_superuser=True)
    withdraw_consent(consent, actor=archivist, scope=ConsentRecord.WithdrawalScope.ERASE)

    for params in (
        {"verb": "GetRecord", "identifier": identifier(testimony), "metadataPrefix": "oai_dc"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    ):
        document = harvest(client, **params)
        header = deleted_header(document)
        assert header.findtext("oai:identifier", namespaces=NS) == identifier(testimony)
        assert len(header) == 2
        assert "Words to be erased" not in etree.tostring(document, encoding="unicode")


def test_it_reports_a_testimony_whose_publication_consent_was_withdrawn_as_deleted(client):
    testimony = make_live_testimony()
    withdraw_consent(
        testimony.consent_records.get(),
        actor=make_user(is_superuser=True),
        scope=ConsentRecord.WithdrawalScope.UNPUBLISH,
    )

    document = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert deleted_header(document).findtext("oai:identifier", namespaces=NS) == identifier(
        testimony
    )


def test_it_accepts_a_post_as_a_get(client):
    testimony = make_live_testimony()

    document = harvest(client, "post", verb="ListIdentifiers", metadataPrefix="oai_dc")

    assert identifiers(document) == [identifier(testimony)]


def dated(testimony: Testimony, moment: datetime) -> Testimony:
    """Move every date its datestamp is made of to `moment` (as if it went public then)."""
    Testimony.objects.filter(pk=testimony.pk).update(published_at=moment)
    testimony.stored_disclosure.__class__.objects.filter(testimony=testimony).update(
        computed_at=moment
    )
    return testimony


def test_it_harvests_selectively_by_date_at_both_granularities(client):
    early = dated(make_live_testimony(), datetime(2024, 3, 1, 9, 30, 15, 700000, tzinfo=UTC))
    late = dated(make_live_testimony(), datetime(2024, 3, 2, 12, 0, 0, tzinfo=UTC))

    def listed(**bounds: str) -> list[str]:
        return identifiers(
            harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc", **bounds)
        )

    assert listed() == [identifier(early), identifier(late)]
    assert listed(from_="2024-03-02") == [identifier(late)]
    assert listed(until="2024-03-01") == [identifier(early)]
    assert listed(from_="2024-03-01", until="2024-03-01") == [identifier(early)]
    # A datestamp is given to the second, and until includes that whole second.
    assert listed(until="2024-03-01T09:30:15Z") == [identifier(early)]
    assert listed(from_="2024-03-01T09:30:16Z") == [identifier(late)]
    assert listed(from_="2024-03-01T09:30:15Z", until="2024-03-02T12:00:00Z") == [
        identifier(early),
        identifier(late),
    ]
    headers = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert headers.xpath("//oai:datestamp/text()", namespaces=NS) == [
        "2024-03-01T09:30:15Z",
        "2024-03-02T12:00:00Z",
    ]


@pytest.mark.parametrize("verb", ["ListIdentifiers", "ListRecords"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_harvests_between_the_first_and_last_days_a_date_can_name(client, verb, method):
    # until=9999-12-31 once made the end of its day overflow (a 500 for anyone).
    record = dated(make_live_testimony(), datetime(2024, 3, 1, 9, 30, 15, tzinfo=UTC))

    def answer(**bounds: str) -> etree._Element:
        arguments = {"verb": verb, "metadataPrefix": "oai_dc"} | {
            name.rstrip("_"): value for name, value in bounds.items()
        }
        if method == "get":
            response = client.get("/oai/", arguments)
        else:
            response = client.post("/oai/", arguments)
        assert response.status_code == 200
        return etree.fromstring(response.content)

    for bounds in [
        {"until": "9999-12-31"},
        {"until": "9999-12-31T23:59:59Z"},
        {"from_": "0001-01-01"},
        {"from_": "0001-01-01T00:00:00Z"},
        {"from_": "0001-01-01", "until": "9999-12-31"},
        {"from_": "0001-01-01T00:00:00Z", "until": "9999-12-31T23:59:59Z"},
    ]:
        assert identifiers(answer(**bounds)) == [identifier(record)], bounds
    for bounds in [
        {"from_": "9999-12-31"},
        {"from_": "9999-12-31T23:59:59Z"},
        {"from_": "9999-12-31", "until": "9999-12-31"},
        {"until": "0001-01-01"},
        {"until": "0001-01-01T00:00:00Z"},
    ]:
        assert error_code(answer(**bounds)) == "noRecordsMatch", bounds
    for bounds in [
        {"until": "10000-01-01"},
        {"until": "0000-01-01"},
        {"from_": "9999-12-32"},
        {"until": "9999-12-31T24:00:00Z"},
        {"from_": "9999-12-31", "until": "0001-01-01"},
    ]:
        assert error_code(answer(**bounds)) == "badArgument", bounds


def test_it_harvests_selectively_by_set(client):
    exodus = make_collection(slug="exodus")
    inside = make_live_testimony(collection=exodus)
    make_live_testimony(collection=make_collection(slug="other"))
    left = make_live_testimony(collection=exodus)
    withdraw(left, actor=make_user(is_superuser=True), reason="Asked to.")

    document = harvest(client, verb="ListRecords", metadataPrefix="oai_dc", set_="exodus")

    assert sorted(identifiers(document)) == sorted([identifier(inside), identifier(left)])
    assert [h.get("status") for h in document.iterfind(".//oai:header", NS)].count("deleted") == 1


def test_it_pages_a_long_list_with_signed_resumption_tokens(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    testimonies = [make_live_testimony() for _ in range(5)]

    seen: list[str] = []
    cursors: list[tuple[str | None, str | None]] = []
    document = harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
    while True:
        seen += identifiers(document)
        token = document.find(".//oai:resumptionToken", NS)
        assert token is not None
        cursors.append((token.get("cursor"), token.get("completeListSize")))
        if not token.text:
            break
        document = harvest(client, verb="ListRecords", resumptionToken=token.text)

    assert seen == [identifier(t) for t in testimonies]
    assert cursors == [("0", "5"), ("2", "5"), ("4", "5")]


def test_it_neither_skips_nor_repeats_a_record_when_the_list_changes_between_pages(
    client, monkeypatch
):
    monkeypatch.setattr(oai, "PAGE_SIZE", 2)
    first, second, third = (make_live_testimony() for _ in range(3))
    page = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = page.findtext(".//oai:resumptionToken", namespaces=NS)
    # The first record of the first page leaves while the harvester is away: an offset would
    # now skip the third one.
    withdraw(first, actor=make_user(is_superuser=True), reason="Asked to.")

    rest = harvest(client, verb="ListIdentifiers", resumptionToken=token)

    assert identifiers(page) == [identifier(first), identifier(second)]
    assert identifiers(rest)[0] == identifier(third)
    # The withdrawal is reported afterwards, as a deleted header with its new datestamp.
    assert identifiers(rest)[1:] == [identifier(first)]


ERRORS = [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": ["Identify", "Identify"]}, "badVerb"),
    ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-45"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "1 March 2024"}, "badArgument"),
    (
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "2024-03-01T10:00Z"},
        "badArgument",
    ),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-03-02",
            "until": "2024-03-01",
        },
        "badArgument",
    ),
    (
        {
            "verb": "ListRecords",
            "metadataPrefix": "oai_dc",
            "from": "2024-03-01",
            "until": "2024-03-02T00:00:00Z",
        },
        "badArgument",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListSets", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
    (
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:elsewhere:TA-2023-0001",
        },
        "idDoesNotExist",
    ),
    (
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "TA-2023-0001"},
        "idDoesNotExist",
    ),
    (
        {"verb": "ListMetadataFormats", "identifier": "oai:testimony-archive:TA-1999-9999"},
        "idDoesNotExist",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"}, "noRecordsMatch"),
    (
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no-such-set"},
        "noRecordsMatch",
    ),
    # Characters XML cannot carry are refused, never echoed (lxml would raise).
    ({"verb": "Identify\x01"}, "badVerb"),
    ({"verb": "ListSets", "\x01": "x"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc\x1f"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a\x0bb"}, "badArgument"),
    (
        {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:\x02:TA-2023-0001"},
        "badArgument",
    ),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "\ufffe"}, "badArgument"),
    # Dates in ASCII digits only.
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "٢٠٢٣-٠١-٠١"}, "badArgument"),
]


@pytest.mark.parametrize(("params", "code"), ERRORS)
def test_it_answers_a_bad_request_with_its_error_code(client, params, code):
    make_live_testimony()

    document = harvest(client, **params)

    assert error_code(document) == code
    request = document.find("oai:request", NS)
    assert request is not None
    if code in ("badVerb", "badArgument"):
        assert dict(request.attrib) == {}


def test_it_refuses_an_altered_token_and_a_token_of_another_verb(client, monkeypatch):
    monkeypatch.setattr(oai, "PAGE_SIZE", 1)
    make_live_testimony()
    make_live_testimony()
    token = harvest(client, verb="ListIdentifiers", metadataPrefix="oai_dc").findtext(
        ".//oai:resumptionToken", namespaces=NS
    )
    assert token
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")

    assert error_code(harvest(client, verb="ListIdentifiers", resumptionToken=altered)) == (
        "badResumptionToken"
    )
    assert error_code(harvest(client, verb="ListRecords", resumptionToken=token)) == (
        "badResumptionToken"
    )
    assert identifiers(harvest(client, verb="ListIdentifiers", resumptionToken=token))


def test_it_says_there_are_no_sets_while_no_collection_is_public(client):
    make_live_testimony(collection=make_collection(), access_level=AccessLevel.RESEARCHERS)

    assert error_code(harvest(client, verb="ListSets")) == "noSetHierarchy"


def test_it_renders_a_page_of_records_in_a_constant_number_of_queries(client):
    def queries_for_list_records() -> int:
        with CaptureQueriesContext(connection) as captured:
            harvest(client, verb="ListRecords", metadataPrefix="oai_dc")
        return len(captured)

    collection = make_collection()
    subject, place = make_subject(), make_place()
    make_live_testimony(collection=collection, subjects=[subject], places=[place])
    few = queries_for_list_records()
    for _ in range(4):
        make_live_testimony(collection=collection, subjects=[subject], places=[place])

    assert queries_for_list_records() == few
