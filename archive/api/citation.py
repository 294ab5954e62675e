"""A testimony's citation as CSL-JSON (what Zotero and citeproc read).

Stand-in with the signature of archive/public/citations.py `csl_json` until that module
exists; the API should use that one then, so the page and the API cite alike."""

from datetime import date
from typing import Any

from django.conf import settings

from archive.testimonies.models import Testimony


def csl_json(testimony: Testimony, content: dict[str, Any]) -> dict[str, Any]:
    """Built only from `content` (what the reader may see, archive/consent/policy.py
    `disclosed_content`), so a citation never names more than the page does."""
    citation: dict[str, Any] = {
        "id": content["reference"],
        "type": "interview",
        "title": content["title"],
        "author": [{"literal": content["narrator_name"]}],
        "publisher": settings.SITE_NAME,
        "archive": settings.SITE_NAME,
        "archive_location": content["reference"],
        "medium": "oral history",
    }
    if content.get("interviewer"):
        citation["interviewer"] = [{"literal": content["interviewer"]}]
    if content.get("recorded_on"):
        recorded = date.fromisoformat(content["recorded_on"])
        parts = {
            "year": [recorded.year],
            "month": [recorded.year, recorded.month],
        }.get(
            content.get("recorded_precision") or "day",
            [recorded.year, recorded.month, recorded.day],
        )
        citation["issued"] = {"date-parts": [parts]}
    if content.get("source"):
        citation["source"] = content["source"]
    return citation
