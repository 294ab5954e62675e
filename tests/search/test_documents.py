"""Search documents are the same in every process: check_search_index, run by cron in a
process of its own, compares digests with those the indexing processes wrote."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.accounts.audience import Audience
from archive.consent.policy import disclosed_content
from archive.search.documents import Vocabulary, _fields
from tests.factories import make_live_testimony, make_place

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Builds a testimony's fields in a fresh interpreter, from the vocabulary and content given.
CHILD = """
import json, sys, types
import django
django.setup()
from archive.search.documents import Vocabulary, _fields
given = json.load(sys.stdin)
vocabulary = Vocabulary(
    place_names={int(k): v for k, v in given["place_names"].items()},
    place_parent={int(k): v for k, v in given["place_parent"].items()},
)
vocabulary.index_mentions()
testimony = types.SimpleNamespace(pk=given["testimony_id"])
fields = _fields(testimony, given["content"], vocabulary, "public", vocabulary.mentioned_places)
print(json.dumps(fields, sort_keys=True, ensure_ascii=False))
"""


def fields_in_subprocess(given: dict, hash_seed: int) -> dict:
    env = {
        **os.environ,
        "PYTHONHASHSEED": str(hash_seed),
        "DJANGO_SETTINGS_MODULE": "archive.settings",
    }
    finished = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHILD],
        input=json.dumps(given),
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(finished.stdout)


def test_it_builds_the_same_document_whatever_the_hash_seed():
    names = [
        "Goris", "Shushi", "Martuni", "Askeran", "Hadrut", "Kapan", "Sisian", "Meghri",
        "Vardenis", "Sevan", "Dilijan", "Ijevan", "Gavar", "Ararat", "Masis", "Artashat",
    ]  # fmt: skip
    # Numbers that share their slot in a small hash table: a set of them iterates in the
    # order they were added, which the sets of names they come from decide.
    for number, name in enumerate(names, start=1):
        make_place(name=name, pk=100_000 + 1024 * number)
    testimony = make_live_testimony(
        transcript="We went through " + ", ".join(names) + " and then further on."
    )
    vocabulary = Vocabulary.load()
    content = disclosed_content(testimony, Audience.PUBLIC)
    assert content is not None
    here = _fields(testimony, content, vocabulary, "public", vocabulary.mentioned_places)
    assert all(name in here["place"] for name in names)
    given = {
        "place_names": vocabulary.place_names,
        "place_parent": vocabulary.place_parent,
        "content": content,
        "testimony_id": testimony.pk,
    }
    elsewhere = [fields_in_subprocess(given, seed) for seed in (1, 2, 3, 4)]
    expected = json.loads(json.dumps(here, sort_keys=True, ensure_ascii=False))
    assert all(fields == expected for fields in elsewhere)
