"""OAI-PMH 2.0 for harvesters, at /oai/.

Hand-written with lxml rather than on `oaipmh.server`: that package's resumption tokens are
unsigned query strings holding an offset (a harvester can edit them, and an offset skips or
repeats records when the list changes between pages) and carry no completeListSize or
cursor. Here tokens are signed and resume after the last (datestamp, id) sent, so a
harvest sees every record once even while the archive changes.

What is disseminated, and how a testimony looks, is decided in archive/api/oai_records.py
from the disclosure policy; this module speaks the protocol.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from lxml import etree

from archive.api import oai_records
from archive.api.oai_records import Record
from archive.public.dublin_core import OAI_DC_NS, OAI_DC_SCHEMA, XSI_NS, oai_dc
from archive.testimonies.models import REFERENCE_PATTERN, Collection, Testimony

# Records (or headers) per response; tests make it small to harvest several pages.
PAGE_SIZE = 100

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

METADATA_FORMATS = {"oai_dc": (OAI_DC_SCHEMA, OAI_DC_NS)}

RESUMPTION_SALT = "archive.api.oai.resumption-token"
DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
SECOND = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")
# What XML 1.0 cannot hold (control characters, U+FFFE/U+FFFF, and the lone surrogates a
# percent-encoded query may carry): lxml refuses to write it, and no argument needs it.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass(frozen=True)
class Arguments:
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    exclusive: str | None = None


LIST_ARGUMENTS = Arguments(
    required=frozenset({"metadataPrefix"}),
    optional=frozenset({"from", "until", "set"}),
    exclusive="resumptionToken",
)
VERBS = {
    "Identify": Arguments(),
    "ListMetadataFormats": Arguments(optional=frozenset({"identifier"})),
    "ListSets": Arguments(exclusive="resumptionToken"),
    "ListIdentifiers": LIST_ARGUMENTS,
    "ListRecords": LIST_ARGUMENTS,
    "GetRecord": Arguments(required=frozenset({"identifier", "metadataPrefix"})),
}


class OAIError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def repository_id() -> str:
    """The namespace of our identifiers (oai:<this>:TA-2023-0001). Stable by default, so
    identifiers do not change with the host the site is served from."""
    return str(settings.OAI_REPOSITORY_ID)


def identifier_for(reference: str) -> str:
    return f"oai:{repository_id()}:{reference}"


def base_url() -> str:
    return settings.SITE_URL + reverse("oai")


@csrf_exempt  # Harvesters POST without a session; every verb only reads.
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request: HttpRequest) -> HttpResponse:
    """Answer one OAI-PMH request (GET, or POST as application/x-www-form-urlencoded)."""
    given = request.POST if request.method == "POST" else request.GET
    arguments = dict(given.lists())
    root = _envelope()
    request_element = etree.SubElement(root, _oai("request"))
    request_element.text = base_url()
    try:
        verb, values = parse_arguments(arguments)
        # Only a request whose verb and arguments are legal is echoed back (spec 3.2).
        for name, value in sorted(values.items()):
            request_element.set(name, value)
        request_element.set("verb", verb)
        root.append(HANDLERS[verb](values))
    except OAIError as error:
        if error.code in ("badVerb", "badArgument"):
            request_element.attrib.clear()
        failure = etree.SubElement(root, _oai("error"), code=error.code)
        failure.text = error.message
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8")


def parse_arguments(arguments: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    for name, given in arguments.items():
        if any(NOT_XML.search(text) for text in [name, *given]):
            # Not echoed: the error itself must be XML.
            raise OAIError(
                "badVerb" if name == "verb" else "badArgument",
                "An argument holds characters that XML cannot carry (control characters).",
            )
    verbs = arguments.pop("verb", [])
    if len(verbs) != 1:
        raise OAIError("badVerb", "Give the verb argument exactly once.")
    verb = verbs[0]
    if verb not in VERBS:
        raise OAIError("badVerb", f"“{verb}” is not an OAI-PMH verb.")
    allowed = VERBS[verb]
    legal = allowed.required | allowed.optional | {allowed.exclusive}
    for name, given in arguments.items():
        if name not in legal:
            raise OAIError("badArgument", f"{verb} takes no argument “{name}”.")
        if len(given) != 1:
            raise OAIError("badArgument", f"The argument “{name}” is repeated.")
    values = {name: given[0] for name, given in arguments.items()}
    if allowed.exclusive and allowed.exclusive in values:
        if len(values) > 1:
            raise OAIError("badArgument", f"{allowed.exclusive} is an exclusive argument.")
        return verb, values
    if missing := sorted(allowed.required - values.keys()):
        raise OAIError("badArgument", f"{verb} needs the argument “{missing[0]}”.")
    return verb, values


# --- the envelope and its parts ---------------------------------------------------------


def _oai(name: str) -> str:
    return f"{{{OAI_NS}}}{name}"


def _envelope() -> etree._Element:
    root = etree.Element(_oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    response_date = etree.SubElement(root, _oai("responseDate"))
    response_date.text = oai_records.datestamp(timezone.now())
    return root


def _add(parent: etree._Element, name: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, _oai(name))
    element.text = text
    return element


def _header(parent: etree._Element, record: Record) -> None:
    header = etree.SubElement(parent, _oai("header"))
    if record.deleted:
        header.set("status", "deleted")
    _add(header, "identifier", identifier_for(record.reference))
    _add(header, "datestamp", oai_records.datestamp(record.datestamp))
    for spec in record.set_specs:
        _add(header, "setSpec", spec)


def _record(parent: etree._Element, record: Record) -> None:
    element = etree.SubElement(parent, _oai("record"))
    _header(element, record)
    if record.deleted:
        return
    oai_dc(record.dublin_core, etree.SubElement(element, _oai("metadata")))


# --- verbs ------------------------------------------------------------------------------


def identify(values: dict[str, str]) -> etree._Element:
    element = etree.Element(_oai("Identify"))
    _add(element, "repositoryName", settings.SITE_NAME)
    _add(element, "baseURL", base_url())
    _add(element, "protocolVersion", "2.0")
    _add(element, "adminEmail", settings.OAI_ADMIN_EMAIL)
    earliest = oai_records.harvestable().first()
    stamp = oai_records.datestamp_of(earliest) if earliest else oai_records.NEVER
    _add(element, "earliestDatestamp", oai_records.datestamp(stamp))
    _add(element, "deletedRecord", "persistent")
    _add(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
    return element


def list_metadata_formats(values: dict[str, str]) -> etree._Element:
    if "identifier" in values:
        testimony_for(values["identifier"])
    element = etree.Element(_oai("ListMetadataFormats"))
    for prefix, (schema, namespace) in METADATA_FORMATS.items():
        metadata_format = etree.SubElement(element, _oai("metadataFormat"))
        _add(metadata_format, "metadataPrefix", prefix)
        _add(metadata_format, "schema", schema)
        _add(metadata_format, "metadataNamespace", namespace)
    return element


def list_sets(values: dict[str, str]) -> etree._Element:
    if "resumptionToken" in values:
        # Every set fits in one response, so no token of ours is ever expected here.
        raise OAIError("badResumptionToken", "This resumption token is not valid here.")
    collections = oai_records.public_collections()
    if not collections:
        raise OAIError("noSetHierarchy", "No collection holds a public testimony yet.")
    element = etree.Element(_oai("ListSets"))
    for collection in collections:
        entry = etree.SubElement(element, _oai("set"))
        _add(entry, "setSpec", collection.slug)
        _add(entry, "setName", collection.title)
    return element


def get_record(values: dict[str, str]) -> etree._Element:
    check_format(values["metadataPrefix"])
    testimony = testimony_for(values["identifier"])
    element = etree.Element(_oai("GetRecord"))
    (record,) = oai_records.records_for([testimony])
    _record(element, record)
    return element


def check_format(prefix: str) -> None:
    if prefix not in METADATA_FORMATS:
        raise OAIError(
            "cannotDisseminateFormat", f"No metadata format “{prefix}” here; use oai_dc."
        )


def testimony_for(identifier: str) -> Testimony:
    """The testimony a harvester may be told about under this identifier (public, or
    deleted after having been public); anything else does not exist for harvesters."""
    prefix = f"oai:{repository_id()}:"
    reference = identifier.removeprefix(prefix)
    if not identifier.startswith(prefix) or not re.match(REFERENCE_PATTERN, reference):
        raise OAIError("idDoesNotExist", f"No item has the identifier “{identifier}”.")
    testimony = oai_records.harvestable().filter(reference=reference).first()
    if testimony is None:
        raise OAIError("idDoesNotExist", f"No item has the identifier “{identifier}”.")
    return testimony


# --- lists and resumption tokens -----------------------------------------------------------


@dataclass(frozen=True)
class ListRequest:
    """A ListIdentifiers or ListRecords request, and how far a harvest of it has come."""

    verb: str
    metadata_prefix: str
    from_: str | None = None
    until: str | None = None
    set_spec: str | None = None
    after_datestamp: str | None = None
    after_id: int | None = None
    cursor: int = 0

    def token(self) -> str:
        return signing.dumps(
            [
                self.verb,
                self.metadata_prefix,
                self.from_,
                self.until,
                self.set_spec,
                self.after_datestamp,
                self.after_id,
                self.cursor,
            ],
            salt=RESUMPTION_SALT,
            compress=True,
        )

    @classmethod
    def from_token(cls, verb: str, token: str) -> "ListRequest":
        try:
            fields = signing.loads(token, salt=RESUMPTION_SALT)
            request = cls(*fields)
        except (signing.BadSignature, TypeError, ValueError) as error:
            raise OAIError("badResumptionToken", "This resumption token is not valid.") from error
        if request.verb != verb:
            raise OAIError("badResumptionToken", f"This resumption token is not one of {verb}.")
        return request


def parse_datestamp(value: str, *, name: str) -> tuple[datetime, timedelta]:
    """The instant a from/until argument names, and its granularity's length."""
    try:
        if DAY.match(value):
            return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC), timedelta(days=1)
        if SECOND.match(value):
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
            return moment, timedelta(seconds=1)
    except ValueError:
        pass
    raise OAIError(
        "badArgument", f"“{name}” must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDThh:mm:ssZ)."
    )


def selection(request: ListRequest) -> QuerySet[Testimony]:
    """Every record of the (whole) list, in harvest order."""
    check_format(request.metadata_prefix)
    queryset = oai_records.harvestable()
    start = parse_datestamp(request.from_, name="from") if request.from_ is not None else None
    end = parse_datestamp(request.until, name="until") if request.until is not None else None
    if start is not None and end is not None:
        if start[1] != end[1]:
            raise OAIError("badArgument", "“from” and “until” must have the same granularity.")
        if start[0] > end[0]:
            raise OAIError("badArgument", "“from” is later than “until”.")
    if start is not None:
        queryset = queryset.filter(Q(oai_datestamp__gte=start[0]))
    if end is not None and end[0] < datetime.max.replace(tzinfo=UTC) - end[1]:
        # A datestamp is shown to the second: until=10:00:00 includes 10:00:00.7. An until
        # on the last day (or second) a datetime holds bounds nothing: everything is before.
        queryset = queryset.filter(Q(oai_datestamp__lt=end[0] + end[1]))
    if request.set_spec is not None:
        # A slug that names no collection is a set with nothing in it, answered exactly
        # as a collection with nothing harvestable is (noRecordsMatch, after the same
        # queries), so harvesters cannot learn which collections exist from their slugs.
        collection = Collection.objects.filter(slug=request.set_spec).first()
        queryset = oai_records.in_set(queryset, collection.pk if collection else 0)
    return queryset


def list_page(verb: str, values: dict[str, str]) -> tuple[list[Record], etree._Element | None]:
    """One page of a list, and the resumptionToken element that goes with it (if any)."""
    if "resumptionToken" in values:
        request = ListRequest.from_token(verb, values["resumptionToken"])
    else:
        request = ListRequest(
            verb,
            values["metadataPrefix"],
            values.get("from"),
            values.get("until"),
            values.get("set"),
        )
    queryset = selection(request)
    complete_size = queryset.count()
    remaining = queryset
    if request.after_datestamp is not None:
        after = datetime.fromisoformat(request.after_datestamp)
        remaining = queryset.filter(
            Q(oai_datestamp__gt=after) | Q(oai_datestamp=after, pk__gt=request.after_id)
        )
    page = list(remaining[: PAGE_SIZE + 1])
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]
    if not page:
        raise OAIError("noRecordsMatch", "No records match these arguments.")
    token = None
    if more or request.cursor:
        token = etree.Element(_oai("resumptionToken"))
        token.set("completeListSize", str(max(complete_size, request.cursor + len(page))))
        token.set("cursor", str(request.cursor))
        if more:
            last = page[-1]
            stamp = oai_records.datestamp_of(last)
            token.text = replace(
                request,
                after_datestamp=stamp.isoformat(),
                after_id=last.pk,
                cursor=request.cursor + len(page),
            ).token()
    return oai_records.records_for(page), token


def list_identifiers(values: dict[str, str]) -> etree._Element:
    records, token = list_page("ListIdentifiers", values)
    element = etree.Element(_oai("ListIdentifiers"))
    for record in records:
        _header(element, record)
    if token is not None:
        element.append(token)
    return element


def list_records(values: dict[str, str]) -> etree._Element:
    records, token = list_page("ListRecords", values)
    element = etree.Element(_oai("ListRecords"))
    for record in records:
        _record(element, record)
    if token is not None:
        element.append(token)
    return element


HANDLERS: dict[str, Callable[[dict[str, str]], Any]] = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}
