"""Search documents, built from what the disclosure policy lets each audience see.

A testimony has one document per distinct view of it: usually one, found by the public and
by researchers alike; two when researchers may see more (a researchers-only transcript, a
name disclosed to researchers only). A testimony that neither may see has none.
"""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from archive.accounts.audience import Audience
from archive.consent.policy import disclosed_content, disclosure_for
from archive.search.analysis import LANGUAGE_FIELDS, transliterate
from archive.testimonies.models import (
    Collection,
    Place,
    PlaceName,
    Subject,
    SubjectLabel,
    Testimony,
)
from archive.testimonies.snapshot_types import DisclosedContent

SEARCHABLE_AUDIENCES = (Audience.PUBLIC, Audience.RESEARCHERS)
WORD = re.compile(r"\w+")


@dataclass
class Vocabulary:
    """Places, subjects and collections with every name they go by, loaded once per batch."""

    place_names: dict[int, list[str]] = field(default_factory=dict)
    place_parent: dict[int, int | None] = field(default_factory=dict)
    subject_names: dict[int, list[str]] = field(default_factory=dict)
    subject_parent: dict[int, int | None] = field(default_factory=dict)
    collection_titles: dict[int, str] = field(default_factory=dict)
    # A transliterated name (one or two words) → the places it names, to find places
    # mentioned in a text under any of their names.
    place_mentions: dict[str, set[int]] = field(default_factory=dict)
    # The first words of the two-word names among them.
    first_words: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> "Vocabulary":
        vocabulary = cls()
        for place_id, name, parent_id in Place.objects.values_list("pk", "name", "parent_id"):
            vocabulary.place_names[place_id] = [name]
            vocabulary.place_parent[place_id] = parent_id
        for place_id, name in PlaceName.objects.values_list("place_id", "name"):
            vocabulary.place_names[place_id].append(name)
        for subject_id, label, parent_id in Subject.objects.values_list("pk", "label", "parent_id"):
            vocabulary.subject_names[subject_id] = [label]
            vocabulary.subject_parent[subject_id] = parent_id
        for subject_id, name in SubjectLabel.objects.values_list("subject_id", "name"):
            vocabulary.subject_names[subject_id].append(name)
        vocabulary.collection_titles = dict(Collection.objects.values_list("pk", "title"))
        vocabulary.index_mentions()
        return vocabulary

    def index_mentions(self) -> None:
        """Find places by the words of their names (after the names are loaded)."""
        mentions: dict[str, set[int]] = defaultdict(set)
        for place_id, names in self.place_names.items():
            for name in names:
                words = [transliterate(word) for word in WORD.findall(name)]
                if 1 <= len(words) <= 2:
                    mentions[" ".join(words)].add(place_id)
        self.place_mentions = dict(mentions)
        self.first_words = {key.split()[0] for key in mentions if " " in key}

    def with_ancestors(self, ids: Iterable[int], parents: dict[int, int | None]) -> list[int]:
        found: list[int] = []
        for start in ids:
            node: int | None = start
            while node is not None and node not in found:
                found.append(node)
                node = parents.get(node)
        return found

    def mentioned_places(self, text: str) -> set[int]:
        words = WORD.findall(text)
        # Each distinct word is transliterated once (a transcript repeats most of its words).
        distinct = set(words)
        keys = set(map(transliterate, distinct))
        if self.first_words:
            firsts = {word for word in distinct if transliterate(word) in self.first_words}
            keys |= {
                f"{transliterate(a)} {transliterate(b)}"
                for a, b in zip(words, words[1:], strict=False)
                if a in firsts
            }
        found: set[int] = set()
        for key in keys & self.place_mentions.keys():
            found |= self.place_mentions[key]
        return found


def decades(start: int | None, end: int | None) -> list[str]:
    if start is None and end is None:
        return []
    first = start if start is not None else end
    last = end if end is not None else start
    if first is None or last is None:
        return []
    return [f"{decade}s" for decade in range(first - first % 10, last + 1, 10)]


def _fields(
    testimony: Testimony,
    content: DisclosedContent,
    vocabulary: Vocabulary,
    access: str,
    mentions: Callable[[str], set[int]],
) -> dict[str, Any]:
    texts: dict[str, list[str]] = defaultdict(list)
    languages = []
    for transcript in content["transcripts"]:
        language = transcript["language"].split("-", 1)[0].lower()
        languages.append(language)
        if language in LANGUAGE_FIELDS:
            texts[LANGUAGE_FIELDS[language]].append(transcript["text"])
    all_text = "\n".join(t["text"] for t in content["transcripts"])
    tagged_places = list(content["places"])
    if recording_place := content.get("recording_place"):
        tagged_places.append(recording_place)
    place_ids = vocabulary.with_ancestors(tagged_places, vocabulary.place_parent)
    mentioned = mentions(" ".join([content["title"], content["summary"], all_text]))
    # Sorted: the mentioned places are gathered through sets of strings, whose order
    # changes with PYTHONHASHSEED, and a document's digest must be the same in every process.
    place_names = [
        name
        for pid in dict.fromkeys([*place_ids, *sorted(mentioned)])
        for name in vocabulary.place_names.get(pid, [])
    ]
    subject_ids = vocabulary.with_ancestors(content["subjects"], vocabulary.subject_parent)
    subject_names = [name for sid in subject_ids for name in vocabulary.subject_names.get(sid, [])]
    collection = vocabulary.collection_titles.get(content["collection"] or 0, "")
    recorded = int(content["recorded_on"].replace("-", "")) if content["recorded_on"] else 0
    names = " ".join(place_names)
    return {
        "testimony_id": str(testimony.pk),
        "title": content["title"],
        "summary": content["summary"],
        **{name: "\n".join(parts) for name, parts in texts.items()},
        "words": "\n".join([content["title"], content["summary"], all_text]),
        "narrator": content["narrator_name"],
        "place": names,
        "subject": " ".join(subject_names),
        "collection": collection,
        "language": " ".join(sorted(set(languages))),
        "place_id": " ".join(str(pid) for pid in sorted(set(tagged_places))),
        "subject_id": " ".join(str(sid) for sid in sorted(set(content["subjects"]))),
        "collection_id": str(content["collection"] or ""),
        "decade": " ".join(decades(content["period_start_year"], content["period_end_year"])),
        "media": " ".join(sorted({asset["kind"] for asset in content["media"]})),
        "access": access,
        "recorded": recorded,
        "title_sort": content["title"].casefold(),
    }


def documents_for(testimony: Testimony, vocabulary: Vocabulary) -> list[dict[str, Any]]:
    """The documents of a testimony, each with the audiences that may find it."""
    disclosure = disclosure_for(testimony)
    views: list[tuple[list[Audience], dict[str, Any]]] = []
    # The audiences' views of a testimony mostly share their text: find the places it
    # mentions once per text.
    mentions = lru_cache(maxsize=2)(vocabulary.mentioned_places)
    for audience in SEARCHABLE_AUDIENCES:
        content = disclosed_content(testimony, audience, disclosure=disclosure)
        if content is None:
            continue
        fields = _fields(testimony, content, vocabulary, disclosure.access, mentions)
        if views and views[-1][1] == fields:
            views[-1][0].append(audience)
        else:
            views.append(([audience], fields))
    documents = []
    for audiences, fields in views:
        document = {
            **fields,
            "doc_id": f"{testimony.pk}:{audiences[0].label}",
            "audiences": " ".join(audience.label for audience in audiences),
        }
        # check_search_index compares this with what the document should be now.
        document["digest"] = hashlib.sha256(
            json.dumps(document, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()
        documents.append(document)
    return documents
