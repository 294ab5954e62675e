"""A real index of generated documents, written straight through the engine's writer (no
database): thousands of documents in a couple of seconds, for the tests of what searches
cost and of searching from several threads.

Besides the corpus's sentences, each document holds made-up words from a large pool, so
that the index has the long term lists that make fuzzy and prefix queries expensive."""

import hashlib
import random
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.test import override_settings

from archive.demo import corpus_content
from archive.search.engine import SearchIndex, forget_index, get_index

SYLLABLES = [
    c + v
    for c in "bdfgklmnprstvz"
    for v in ("a", "e", "i", "o", "u", "ar", "en", "is", "ov", "yan")
]


def made_up_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def document(number: int, rng: random.Random, pool: list[str]) -> dict[str, Any]:
    clauses = corpus_content.CLAUSES["en"]
    times = corpus_content.TIMES["en"]
    sentences = [f"{rng.choice(times)} {rng.choice(clauses)}." for _ in range(rng.randint(4, 10))]
    text = " ".join(sentences) + " " + " ".join(rng.sample(pool, 30))
    latin, _armenian, _cyrillic = rng.choice(corpus_content.FAMILY_NAMES)
    given = rng.choice(corpus_content.GIVEN_NAMES)[0]
    title = f"{rng.choice(pool).title()} {rng.choice(pool)}"
    public = number % 5 != 0
    year = rng.randint(1988, 2024)
    fields: dict[str, Any] = {
        "doc_id": f"{number}:{'public' if public else 'researchers'}",
        "testimony_id": str(number),
        "audiences": "public researchers" if public else "researchers",
        "title": title,
        "summary": sentences[0],
        "text_en": text,
        "words": f"{title}\n{sentences[0]}\n{text}",
        "narrator": f"{given} {latin}",
        "place": rng.choice(["Stepanakert Khankendi", "Goris", "Shushi", "Martakert"]),
        "subject": rng.choice(["Displacement", "Blockade", "Exodus of 2023"]),
        "collection": rng.choice(["Blockade diaries", "Exodus of September 2023"]),
        "language": "en",
        "place_id": str(rng.randint(1, 4)),
        "subject_id": str(rng.randint(1, 3)),
        "collection_id": str(rng.randint(1, 2)),
        "decade": f"{year - year % 10}s",
        "media": rng.choice(["audio", "video", ""]),
        "access": "public" if public else "researchers",
        "recorded": int(f"{year}0101"),
        "title_sort": title.casefold(),
    }
    fields["digest"] = hashlib.sha256(repr(sorted(fields.items())).encode()).hexdigest()
    return fields


def add_generated_documents(
    search_index: SearchIndex, count: int, *, seed: int = 16, first: int = 1
) -> None:
    rng = random.Random(seed)
    pool = made_up_words(rng, 8000)
    with search_index.writer() as writer:
        for number in range(first, first + count):
            writer.add_document(**document(number, rng, pool))


@contextmanager
def generated_index_at(root: Path, count: int) -> Iterator[Path]:
    """An index of `count` generated documents in `root`, for a module's tests to share."""
    with override_settings(SEARCH_INDEX_DIR=root):
        add_generated_documents(get_index(), count)
    try:
        yield root
    finally:
        forget_index(root)
