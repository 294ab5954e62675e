"""Citing a testimony: Chicago, APA, BibTeX, CSL-JSON and its permanent link.

Everything here is built from `disclosed_content(...)` (the live revision as far as the
reader may see it), so a citation names the narrator only as the Disclosure allows and never
holds what the reader was not shown. Links use SITE_URL, the archive's public address, so a
citation copied from a staging host still points at the archive.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from archive.testimonies.models import Testimony
from archive.testimonies.snapshot_types import DisclosedContent, TestimonyContent


@dataclass(frozen=True)
class Citations:
    chicago: str
    apa: str
    bibtex: str
    permalink: str


def permalink(reference: str, *, seconds: int | None = None) -> str:
    url = settings.SITE_URL + reverse("testimony", args=[reference])
    return f"{url}?t={seconds}" if seconds is not None else url


def time_code(seconds: int) -> str:
    """1:05 or 1:02:05."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def recorded_date(content: TestimonyContent) -> date | None:
    value = content.get("recorded_on")
    return date.fromisoformat(value) if value else None


def _dated(content: TestimonyContent, *, month: str, day: str) -> str:
    """The recording date at the precision the archive knows it: the year alone, or in the
    `month` or `day` format (date_format's, so names of months follow the active language)."""
    recorded = recorded_date(content)
    if recorded is None:
        return ""
    precision = content.get("recorded_precision")
    if precision == Testimony.DatePrecision.YEAR:
        return str(recorded.year)
    return date_format(recorded, month if precision == Testimony.DatePrecision.MONTH else day)


def w3cdtf_recording_date(content: TestimonyContent) -> str:
    """As W3CDTF: 2023, 2023-09 or 2023-09-26 (empty when unknown)."""
    return _dated(content, month="Y-m", day="Y-m-d")


def recording_date_display(content: TestimonyContent) -> str:
    """In the interface language's own format (26 September 2023, 26 сентября 2023 г.)."""
    return _dated(content, month="YEAR_MONTH_FORMAT", day="DATE_FORMAT")


def build_citations(content: DisclosedContent, *, seconds: int | None = None) -> Citations:
    """The citations of a testimony as disclosed, optionally of one moment of it. They are
    English whatever the interface language (a citation with a Russian month in an English
    sentence would serve nobody)."""
    with translation.override("en"):
        return _citations(content, seconds=seconds)


def _citations(content: DisclosedContent, *, seconds: int | None) -> Citations:
    site = settings.SITE_NAME
    reference = content["reference"]
    name = content["narrator_name"]
    title = content["title"]
    interviewer = content.get("interviewer") or ""
    when = _dated(content, month="F Y", day="j F Y")
    link = permalink(reference, seconds=seconds)
    moment = f", at {time_code(seconds)}" if seconds is not None else ""

    chicago = f"{_sentence(name)} “{_chicago_title(title)}” "
    if interviewer:
        chicago += f"Interview by {interviewer}"
        chicago += f", {when}. " if when else ". "
    elif when:
        chicago += f"Recorded {when}. "
    chicago += f"{site}, {reference}{moment}. {link}."

    interview = f"Interview by {interviewer}" if interviewer else "Oral history interview"
    apa_date = _dated(content, month="Y, F", day="Y, F j") or "n.d."
    apa = f"{_sentence(name)} ({apa_date}). {title} [{interview}{moment}]. {site}. {link}"

    recorded = recorded_date(content)
    fields = [
        ("author", "{" + _bibtex(name) + "}"),
        ("title", "{" + _bibtex(title) + "}"),
        ("year", str(recorded.year) if recorded else ""),
        ("howpublished", _bibtex(interview)),
        ("note", _bibtex(f"{site}, {reference}{moment}")),
        ("url", link),
    ]
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields if value)
    bibtex = f"@misc{{{_bibtex_key(reference)},\n{body}\n}}"
    return Citations(chicago=chicago, apa=apa, bibtex=bibtex, permalink=link)


def csl_json(testimony: Testimony, content: DisclosedContent) -> dict[str, Any]:
    """CSL-JSON (the format of Zotero and citeproc) of the disclosed content."""
    data: dict[str, Any] = {
        "id": testimony.reference,
        "type": "interview",
        "title": content["title"],
        "author": [{"literal": content["narrator_name"]}],
        "publisher": settings.SITE_NAME,
        "archive": settings.SITE_NAME,
        "archive_location": testimony.reference,
        "URL": permalink(testimony.reference),
    }
    if content.get("interviewer"):
        data["interviewer"] = [{"literal": content["interviewer"]}]
    recorded = recorded_date(content)
    if recorded is not None:
        precision = content.get("recorded_precision")
        parts = [recorded.year]
        if precision in (Testimony.DatePrecision.MONTH, Testimony.DatePrecision.DAY):
            parts.append(recorded.month)
        if precision == Testimony.DatePrecision.DAY:
            parts.append(recorded.day)
        data["issued"] = {"date-parts": [parts]}
    if content.get("summary"):
        data["abstract"] = content["summary"]
    originals = [t["language"] for t in content.get("transcripts", []) if t["is_original"]]
    if originals:
        data["language"] = originals[0]
    return data


QUOTED = re.compile(r"^[\"“«„](.*)[\"”»“]$", re.DOTALL)


def _chicago_title(title: str) -> str:
    """The title with its full stop inside the quotation marks; a title that is itself a
    quotation (“I left everything behind”) takes single marks inside the double ones, as
    Chicago has it, rather than doubled marks."""
    match = QUOTED.match(title.strip())
    if match:
        return f"‘{_sentence(match.group(1))}’"
    return _sentence(title)


def _sentence(text: str) -> str:
    """A name as the start of a citation: one full stop, also after an initial (Mariam K.)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."


BIBTEX_SPECIAL = re.compile(r"[\\{}&%$#_^~]")
BIBTEX_WORDS = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _bibtex(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_WORDS.get(m.group(), "\\" + m.group()), text)


def _bibtex_key(reference: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", reference)
