"""Simple Dublin Core of a testimony: the fifteen elements in oai_dc, from content in a
revision's shape (as disclosed, for the public; or as written, for an archivist's bag).
OAI-PMH records and BagIt bags both carry it, so the two never describe a testimony
differently."""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from lxml import etree

from archive.public.citations import permalink, w3cdtf_recording_date
from archive.testimonies.models import Collection, MediaAsset, Place, Subject
from archive.testimonies.snapshot_types import DisclosedContent, TestimonyContent

DC_NS = "http://purl.org/dc/elements/1.1/"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

DCMI_TYPES = {
    MediaAsset.Kind.AUDIO: "Sound",
    MediaAsset.Kind.VIDEO: "MovingImage",
    MediaAsset.Kind.IMAGE: "StillImage",
    MediaAsset.Kind.DOCUMENT: "Text",
}


@dataclass(frozen=True)
class Vocabulary:
    places: dict[int, Place]
    subjects: dict[int, Subject]
    collections: dict[int, Collection]

    @classmethod
    def for_contents(cls, contents: Iterable[TestimonyContent]) -> "Vocabulary":
        place_ids: set[int] = set()
        subject_ids: set[int] = set()
        collection_ids: set[int] = set()
        for content in contents:
            place_ids.update(content.get("places") or [])
            subject_ids.update(content.get("subjects") or [])
            if collection := content.get("collection"):
                collection_ids.add(collection)
        return cls(
            places=Place.objects.in_bulk(place_ids),
            subjects=Subject.objects.in_bulk(subject_ids),
            collections=Collection.objects.in_bulk(collection_ids),
        )


def dublin_core(content: DisclosedContent, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """The elements of unqualified Dublin Core, in the oai_dc order, from `content` (the
    narrator named as `content["narrator_name"]` says)."""
    elements: list[tuple[str, str]] = [("title", content["title"])]
    elements.append(("creator", content["narrator_name"]))
    # Labels in alphabetical order, not by id: the same testimony imported elsewhere (with
    # other ids) must be described the same.
    elements += [
        ("subject", label)
        for label in sorted(
            vocabulary.subjects[pk].label
            for pk in content.get("subjects") or []
            if pk in vocabulary.subjects
        )
    ]
    if content.get("summary"):
        elements.append(("description", content["summary"]))
    elements.append(("publisher", settings.SITE_NAME))
    if content.get("interviewer"):
        elements.append(("contributor", content["interviewer"]))
    if recorded := w3cdtf_recording_date(content):
        elements.append(("date", recorded))
    types = ["Text"] if content.get("transcripts") else []
    types += [DCMI_TYPES[MediaAsset.Kind(asset["kind"])] for asset in content.get("media", [])]
    elements += [("type", kind) for kind in dict.fromkeys(types)]
    formats = [asset["mime_type"] for asset in content.get("media", []) if asset["mime_type"]]
    elements += [("format", mime) for mime in dict.fromkeys(formats)]
    elements.append(("identifier", permalink(content["reference"])))
    elements.append(("identifier", content["reference"]))
    if content.get("source"):
        elements.append(("source", content["source"]))
    languages = [transcript["language"] for transcript in content.get("transcripts") or []]
    elements += [("language", language) for language in dict.fromkeys(languages)]
    collection = vocabulary.collections.get(content.get("collection") or 0)
    if collection is not None:
        elements.append(("relation", collection.title))
    elements += [
        ("coverage", name)
        for name in sorted(
            vocabulary.places[pk].name
            for pk in content.get("places") or []
            if pk in vocabulary.places
        )
    ]
    start, end = content.get("period_start_year"), content.get("period_end_year")
    if start and end and start != end:
        elements.append(("coverage", f"{start}/{end}"))
    elif start or end:
        elements.append(("coverage", str(start or end)))
    if content.get("rights_statement"):
        elements.append(("rights", content["rights_statement"]))
    return elements


def oai_dc(
    elements: Iterable[tuple[str, str]], parent: etree._Element | None = None
) -> etree._Element:
    """The oai_dc:dc element holding `elements`, under `parent` if given."""
    nsmap = {"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    tag = f"{{{OAI_DC_NS}}}dc"
    dc = (
        etree.Element(tag, nsmap=nsmap)
        if parent is None
        else etree.SubElement(parent, tag, nsmap=nsmap)
    )
    dc.set(f"{{{XSI_NS}}}schemaLocation", f"{OAI_DC_NS} {OAI_DC_SCHEMA}")
    for name, value in elements:
        etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = xml_text(value)
    return dc


def oai_dc_document(elements: Iterable[tuple[str, str]]) -> bytes:
    document: bytes = etree.tostring(
        oai_dc(elements), encoding="utf-8", xml_declaration=True, pretty_print=True
    )
    return document


def xml_text(value: str) -> str:
    # Characters XML 1.0 cannot carry (control characters pasted from another system)
    # would make lxml refuse the whole document.
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
