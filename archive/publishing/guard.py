"""The pseudonym guard: a narrator who chose not to be named must not be named in the text.

It reads every string a revision would publish (every field of the snapshot, transcripts'
segments and translators, captions, the name shown itself), and finds every form of each
name the identity holds through the search's name matching (archive/search/names.py):
other scripts, romanizations and grammatical cases.

Findings say where the name appears, never the name itself: the moderator who reads them
may not know the narrator's identity.
"""

import re
from collections.abc import Iterator, Mapping
from itertools import chain
from typing import Any

from archive.consent.policy import standing_consent
from archive.lib.language_tags import primary_language
from archive.search.names import NameMatcher, name_matcher
from archive.testimonies.models import Collection, Narrator, Place, Subject, Testimony
from archive.testimonies.snapshot_types import Snapshot

NAMED = (Narrator.Attribution.FULL_NAME, Narrator.Attribution.GIVEN_NAME_INITIAL)


def _names_for(attribution: str, identity: Any, named: bool) -> list[str]:
    if attribution == Narrator.Attribution.FULL_NAME and named:
        return []
    if attribution == Narrator.Attribution.GIVEN_NAME_INITIAL and named:
        guarded = identity.names_to_guard()
        # The given name is what the narrator agreed to show; everything else stays hidden.
        return [n for n in guarded if n.split() != [identity.given_name]]
    # The given name alone is not guarded (Anna, Armen: too many texts would be refused,
    # and relatives share them); with the family name's initial it points at one person.
    return [*identity.names_to_guard(), *_initial_forms(identity)]


def _initial_forms(identity: Any) -> list[str]:
    original = identity.name_in_original_script.split()
    pairs = [(identity.given_name, identity.family_name)]
    if len(original) > 1:
        pairs.append((original[0], original[-1]))
    return [f"{given} {family[0]}." for given, family in pairs if given and family]


def guarded_names(testimony: Testimony, content: Snapshot | None = None) -> list[str]:
    """The forms of the real name that may not appear in what is published: for the
    narrator's current attribution and the one the revision froze, whichever hides more."""
    narrator = testimony.narrator
    identity = narrator.identity_or_none()
    if identity is None:
        return []
    named = standing_consent(testimony.consent_records.all()).grants("allows_name_disclosure")
    if not narrator.naming_verified:
        # A wish to be named counts once a second archivist verified it; until then the
        # text may not name the narrator either.
        named = False
    attributions = {narrator.attribution}
    frozen = content.get("narrator") if content is not None else None
    if frozen is not None:
        attributions.add(frozen["attribution"])
    names: list[str] = []
    for attribution in sorted(attributions):
        names += _names_for(attribution, identity, named)
    shown_by_name = narrator.attribution in NAMED and named
    if frozen is not None and frozen["attribution"] in NAMED and not shown_by_name:
        # The revision was written for a narrator shown by name; now that they are not,
        # the given name it was free to use identifies them too.
        names += [identity.given_name] if identity.given_name else []
    # A pseudonym may be the given name and initial ("Mariam K."): the page shows it anyway,
    # so a text repeating it tells nothing more.
    shown = [narrator.attributed_name, (frozen.get("name") or "") if frozen is not None else ""]
    names = [
        name
        for name in names
        if name not in _initial_forms(identity)
        or not name_matcher([name]).found_in(" ".join(shown))
    ]
    return list(dict.fromkeys(names))


PARAGRAPHS = re.compile(r"\n\s*\n")


def _strings(value: Any, where: str) -> Iterator[tuple[str, str]]:
    """Every string inside a value, with a description of where it is."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, f"{where}, {str(key).replace('_', ' ')}")
    elif isinstance(value, list):
        for number, item in enumerate(value, 1):
            yield from _strings(item, f"{where}, item {number}")


def _texts(content: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """Each text of a snapshot, labelled as a curator would look for it: every key, also
    one the snapshot's type does not know (a revision imported from a bag holds what the
    bag held)."""
    for key, value in content.items():
        if key == "transcripts":
            for transcript in value:
                yield from _transcript_texts(transcript)
        elif key == "media":
            for asset in value:
                label = f"media file #{asset.get('id')}"
                for field, text in asset.items():
                    if field == "caption":
                        yield f"the caption of {label}", text
                    elif field != "id":
                        yield from _strings(text, f"the {field.replace('_', ' ')} of {label}")
        elif key == "narrator":
            # A named narrator's name is the policy's affair (consent to disclose it); any
            # other attribution shows a name that must not be the real one.
            if value.get("attribution") not in NAMED:
                yield "the name shown for the narrator", value.get("name") or ""
        else:
            yield from _strings(value, f"the {key.replace('_', ' ')}")


def _transcript_texts(transcript: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    # The label shows the primary language only: a tag's other subtags are text the guard
    # reads (en-x-<a name>), and a finding must not repeat what it found.
    label = f"the transcript ({primary_language(str(transcript.get('language') or '?'))})"
    for field, value in transcript.items():
        if field == "text":
            paragraphs = [p for p in PARAGRAPHS.split(value or "") if p.strip()]
            for number, paragraph in enumerate(paragraphs, 1):
                yield f"{label}, paragraph {number}", paragraph
        elif field == "segments":
            for number, segment in enumerate(value, 1):
                position = segment.get("position", number)
                for key, text in segment.items():
                    where = f"{label}, time-coded segment {position}"
                    yield from _strings(text, where if key == "text" else f"{where} ({key})")
        elif field == "translator":
            yield f"the translator of {label[4:]}", value or ""
        elif field != "id":
            yield from _strings(value, f"{label}, {field.replace('_', ' ')}")


def _collapse(locations: list[str]) -> list[str]:
    """ "the transcript (en), paragraph 2" and ", paragraph 5" as one finding."""
    grouped: dict[str, list[str]] = {}
    for location in locations:
        head, _, number = location.rpartition(", paragraph ")
        if head and number.isdigit():
            grouped.setdefault(head + ", paragraph", []).append(number)
        else:
            grouped.setdefault(location, [])
    findings = []
    for head, numbers in grouped.items():
        if numbers:
            noun = "paragraphs" if len(numbers) > 1 else "paragraph"
            findings.append(f"{head.removesuffix(', paragraph')}, {noun} {', '.join(numbers)}")
        else:
            findings.append(head)
    return findings


def _vocabulary_texts(content: Snapshot) -> Iterator[tuple[str, str]]:
    """The names the page shows for the places, subjects and collection the revision links
    to. The snapshot holds their ids; what is shown is their names now (with the places'
    and subjects' broader terms, which the page and the index show with them)."""
    place_ids = set(content.get("places") or [])
    if recording_place := content.get("recording_place"):
        place_ids.add(recording_place)
    yield from _with_broader(Place, place_ids, "place")
    yield from _with_broader(Subject, set(content.get("subjects") or []), "subject")
    if collection_id := content.get("collection"):
        collection = Collection.objects.filter(pk=collection_id).first()
        if collection is not None:
            for field in ("title", "slug", "description"):
                yield f"the collection's {field}", getattr(collection, field)


def _with_broader(
    model: type[Place] | type[Subject], ids: set[int], noun: str
) -> Iterator[tuple[str, str]]:
    seen: set[int] = set()
    while ids - seen:
        entries: list[Place | Subject] = list(model.objects.filter(pk__in=ids - seen))
        seen |= ids
        ids = set(ids)
        for entry in entries:
            yield from _vocabulary_entry(entry, noun)
            if entry.parent_id:
                ids.add(entry.parent_id)


def _vocabulary_entry(entry: Place | Subject, noun: str) -> Iterator[tuple[str, str]]:
    label = f"the {noun} #{entry.pk}"
    others: list[str]
    if isinstance(entry, Place):
        yield f"{label} (its name)", entry.name
        yield f"{label} (its note)", entry.note
        others = list(entry.names.values_list("name", flat=True))
    else:
        yield f"{label} (its label)", entry.label
        yield f"{label} (its scope note)", entry.scope_note
        others = list(entry.labels.values_list("name", flat=True))
    for other in others:
        yield f"{label} (another of its names)", other


def real_name_findings(testimony: Testimony, content: Snapshot) -> list[str]:
    """Where in a revision's content the narrator's real name appears, in words."""
    matcher: NameMatcher = name_matcher(guarded_names(testimony, content))
    if not matcher:
        return []
    texts = chain(_texts(content), _vocabulary_texts(content))
    return _collapse([where for where, text in texts if text and matcher.found_in(text)])
