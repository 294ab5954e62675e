"""The index writer keeps postings in memory and writes them a block at a time
(archive/search/postings.py): the files must be the ones whoosh's own writer writes, and
read back the same."""

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.writing import SegmentWriter

from archive.search.engine import ParallelWriter, open_writer
from archive.search.postings import PostingArrays
from archive.search.schema import build_schema

WORDS = [
    "village",
    "villages",
    "school",
    "winter",
    "деревня",
    "деревнях",
    "зима",
    "գյուղ",
    "գյուղից",
    "Petrosyan",
    "Петросян",
    "Stepanakert",
    "quince",
    "garden",
    "road",
]


def _documents(count: int) -> list[dict[str, object]]:
    rng = random.Random(7)
    documents = []
    for number in range(count):
        # Common words (many blocks of 128 postings), rare ones (inlined in the term
        # table), repeated words (positions), and fields left out of some documents.
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 60)))
        if number % 7 == 0:
            text += f" rare{number}"
        document: dict[str, object] = {
            "doc_id": f"{number}:public",
            "testimony_id": str(number),
            "digest": f"digest {number}",
            "audiences": "public researchers" if number % 3 else "researchers",
            "title": f"Testimony {number} {rng.choice(WORDS)}",
            "text_en": text,
            "words": text,
            "place_id": str(number % 5),
            "recorded": 20230000 + number % 1000,
            "title_sort": f"testimony {number:05}",
        }
        if number % 4:
            document["text_ru"] = text
            document["narrator"] = rng.choice(["Vera Petrosyan", "Вера Петросян"])
        documents.append(document)
    return documents


def _segment_files(path: Path) -> dict[str, bytes]:
    """The segment's files, named without the segment's random id."""
    (segment,) = index.open_dir(str(path))._segments()
    return {
        file.name.replace(segment.segment_id(), "SEGMENT"): file.read_bytes()
        for file in path.iterdir()
        if segment.segment_id() in file.name
    }


@pytest.mark.parametrize("count", [1, 300])
def test_it_writes_the_files_whooshs_own_writer_writes(tmp_path, count):
    documents = _documents(count)
    ours_path, whooshs_path = tmp_path / "ours", tmp_path / "whoosh"
    for path in (ours_path, whooshs_path):
        path.mkdir()
        index.create_in(str(path), build_schema())
    ours = open_writer(index.open_dir(str(ours_path)), compound=False)
    whooshs = SegmentWriter(
        index.open_dir(str(whooshs_path)), codec=W3Codec(compression=1), compound=False
    )
    for writer in (ours, whooshs):
        for document in documents:
            writer.add_document(**document)
        writer.commit()

    ours_files, whooshs_files = _segment_files(ours_path), _segment_files(whooshs_path)
    assert {
        "SEGMENT.trm",
        "SEGMENT.pst",
        "SEGMENT.title_sort.col",
        "SEGMENT._words_len.col",
    } <= set(ours_files)
    # The same files, and ours has the posting arrays beside them.
    assert ours_files.pop("SEGMENT.arrays")
    assert ours_files == whooshs_files
    with (
        index.open_dir(str(ours_path)).reader() as a,
        index.open_dir(str(whooshs_path)).reader() as b,
    ):
        assert list(a.all_terms()) == list(b.all_terms())
        for fieldname, text in b.all_terms():
            assert list(a.postings(fieldname, text).items_as("weight")) == list(
                b.postings(fieldname, text).items_as("weight")
            )
        assert list(a.all_stored_fields()) == list(b.all_stored_fields())


def test_a_merge_of_segments_keeps_every_posting(tmp_path):
    """Merging segments feeds the pool whoosh's way, posting by posting."""
    documents = _documents(200)
    index.create_in(str(tmp_path), build_schema())
    ix = index.open_dir(str(tmp_path))
    for start in range(0, 200, 50):
        writer = open_writer(ix, compound=False)
        for document in documents[start : start + 50]:
            writer.add_document(**document)
        writer.commit(merge=False)
    assert len(ix._segments()) == 4
    writer = open_writer(ix, compound=False)
    writer.commit(optimize=True)
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 200
        reader = searcher.reader()
        assert len(reader.leaf_readers()) == 1
        for word in ("village", "rare7", "rare196"):
            expected = {
                int(str(d["testimony_id"])) for d in documents if word in str(d["text_en"]).split()
            }
            found = {
                int(searcher.stored_fields(docnum)["testimony_id"])
                for docnum in reader.postings("words", word).all_ids()
            }
            assert found == expected, word


def _positional_postings(ix: index.Index) -> dict[tuple[str, bytes], list[tuple[int, list[int]]]]:
    """Every term of the fields with positions: (testimony, positions) of each posting."""
    found = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        for fieldname, text in reader.all_terms():
            if not reader.schema[fieldname].format.supports("positions"):
                continue
            found[fieldname, text] = sorted(
                (int(searcher.stored_fields(docnum)["testimony_id"]), positions)
                for docnum, positions in reader.postings(fieldname, text).items_as("positions")
            )
    return found


def test_positions_survive_merges_before_and_after_new_documents(tmp_path):
    """A merge gives the pool whoosh's encoded positions, new documents plain ones; in
    either order, in one writer, every posting keeps its own positions."""
    documents = _documents(240)
    whole = tmp_path / "whole"
    whole.mkdir()
    one_pass = index.create_in(str(whole), build_schema())
    writer = open_writer(one_pass, compound=False)
    for document in documents:
        writer.add_document(**document)
    writer.commit()

    merged_path = tmp_path / "merged"
    merged_path.mkdir()
    merged = index.create_in(str(merged_path), build_schema())
    for start in (0, 60):
        writer = open_writer(merged, compound=False)
        for document in documents[start : start + 60]:
            writer.add_document(**document)
        writer.commit(merge=False)
    # New documents first, then the two segments merged in at the commit...
    writer = open_writer(merged, compound=False)
    for document in documents[120:180]:
        writer.add_document(**document)
    writer.commit(optimize=True)
    # ...then a merged segment first, new documents after it.
    writer = open_writer(merged, compound=False)
    with merged.reader() as reader:
        writer.add_reader(reader)
    for document in documents[180:]:
        writer.add_document(**document)
    writer.commit(mergetype=lambda _writer, _segments: [])  # the segment read replaces all

    expected = _positional_postings(one_pass)
    assert len(expected) > 50
    assert _positional_postings(merged) == expected


def test_indexing_processes_begin_a_new_segment_at_their_memory_limit(tmp_path):
    documents = _documents(1000)
    index.create_in(str(tmp_path), build_schema())
    ix = index.open_dir(str(tmp_path))
    # 1 MB holds about 11,000 postings: the thousand documents need several segments.
    writer = ParallelWriter(ix, procs=2, limitmb=1, compound=False)
    for document in documents:
        writer.add_document(**document)
    writer.commit()

    assert len(ix._segments()) > 2
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 1000
        assert sorted(int(s["testimony_id"]) for s in searcher.all_stored_fields()) == list(
            range(1000)
        )
        expected = {number for number, d in enumerate(documents) if "school" in str(d["text_en"])}
        found = {
            int(searcher.stored_fields(docnum)["testimony_id"])
            for docnum in searcher.reader().postings("words", "school").all_ids()
        }
        assert found == expected


def test_the_posting_arrays_hold_every_terms_documents_and_weights(tmp_path):
    index.create_in(str(tmp_path), build_schema())
    ix = index.open_dir(str(tmp_path))
    writer = open_writer(ix, compound=False)
    for document in _documents(300):
        writer.add_document(**document)
    writer.commit()

    with ix.reader() as reader:
        arrays = PostingArrays.of_segment(reader.storage(), reader.segment())
        assert arrays is not None
        terms = list(reader.all_terms())
        assert len(terms) > 100
        for fieldname, text in terms:
            info = reader.term_info(fieldname, text)
            assert not info.is_inlined()  # our codec keeps every term in the postings file
            postings = reader.postings(fieldname, text)
            expected: tuple[list[int], list[float]] = ([], [])
            while postings.is_active():
                expected[0].append(postings.id())
                expected[1].append(postings.weight())
                postings.next()
            found = arrays.get(info.extent()[0])
            assert found is not None, (fieldname, text)
            assert (found[0].tolist(), found[1].tolist()) == expected, (fieldname, text)
            located = arrays.positions(info.extent()[0])
            if reader.schema[fieldname].format.supports("positions"):
                assert located is not None, (fieldname, text)
                counts, positions = located
                whooshs = [p for _, p in reader.postings(fieldname, text).items_as("positions")]
                assert counts.tolist() == [len(p) for p in whooshs], (fieldname, text)
                assert positions.tolist() == [n for p in whooshs for n in p], (fieldname, text)
            else:
                assert located is None, (fieldname, text)
