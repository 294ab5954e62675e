"""The pseudonym guard: a narrator who chose not to be named must not be named in the text.

Findings say where the name appears, never the name itself: the moderator who reads them
may not know the narrator's identity.
"""

import re
from typing import Any

from archive.consent.policy import standing_consent
from archive.testimonies.models import Narrator, Testimony


def guarded_names(testimony: Testimony) -> list[str]:
    """The forms of the real name that may not appear in what is published."""
    narrator = testimony.narrator
    identity = narrator.identity_or_none()
    if identity is None:
        return []
    named = standing_consent(testimony.consent_records.all()).grants("allows_name_disclosure")
    if narrator.attribution == Narrator.Attribution.FULL_NAME and named:
        return []
    if narrator.attribution == Narrator.Attribution.GIVEN_NAME_INITIAL and named:
        return [
            n for n in (identity.full_name, identity.family_name) if n and n != identity.given_name
        ]
    return identity.names_to_guard()


def _pattern(names: list[str]) -> re.Pattern[str]:
    # No boundary after the name: inflected forms (Петросяна, Հակոբյանի) must match too.
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)


def real_name_findings(testimony: Testimony, content: dict[str, Any]) -> list[str]:
    """Where in a revision's content the narrator's real name appears, in words."""
    names = guarded_names(testimony)
    if not names:
        return []
    pattern = _pattern(names)
    findings = [
        f"the {label}" for label in ("title", "summary") if pattern.search(content.get(label) or "")
    ]
    for transcript in content.get("transcripts", []):
        paragraphs = [p for p in re.split(r"\n\s*\n", transcript["text"]) if p.strip()]
        hits = [str(number) for number, text in enumerate(paragraphs, 1) if pattern.search(text)]
        if hits:
            noun = "paragraphs" if len(hits) > 1 else "paragraph"
            findings.append(f"the transcript ({transcript['language']}), {noun} {', '.join(hits)}")
    for asset in content.get("media", []):
        if pattern.search(asset.get("caption") or ""):
            findings.append(f"the caption of media file #{asset['id']}")
    return findings
