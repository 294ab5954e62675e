"""The index's fields. Documents hold only what the disclosure policy lets their audiences
see (archive/search/documents.py); `audiences` says who may find each one."""

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from archive.search.analysis import (
    WordAnalyzer,
    WordFrequency,
    WordPositions,
    armenian_analyzer,
    english_analyzer,
    mixed_analyzer,
    russian_analyzer,
    transliterating_analyzer,
    words_analyzer,
)

# The fields a query may name (`place:Goris`), and the index fields each searches.
QUERY_FIELDS = {
    "narrator": ["narrator"],
    "place": ["place"],
    "subject": ["subject"],
    "collection": ["collection"],
    "language": ["language"],
}
# Free text searches these, with these weights.
TEXT_FIELD_BOOSTS = {
    "title": 4.0,
    "narrator": 3.0,
    "place": 2.0,
    "subject": 2.0,
    "summary": 1.5,
    "collection": 1.0,
    "text_en": 1.0,
    "text_ru": 1.0,
    "text_hy": 1.0,
    "words": 0.8,
}
FACET_FIELDS = ("language", "place_id", "subject_id", "collection_id", "decade", "media", "access")


def text(analyzer: WordAnalyzer, *, phrase: bool = True) -> TEXT:
    """A text field whose postings come straight from its analyzer's word → terms function."""
    field = TEXT(analyzer=analyzer, phrase=phrase)
    boost = field.format.field_boost
    field.format = WordPositions(field_boost=boost) if phrase else WordFrequency(field_boost=boost)
    return field


def build_schema() -> Schema:
    return Schema(
        doc_id=ID(stored=True, unique=True),
        testimony_id=ID(stored=True),
        digest=STORED(),
        audiences=KEYWORD(),
        title=text(mixed_analyzer()),
        summary=text(mixed_analyzer()),
        text_en=text(english_analyzer()),
        text_ru=text(russian_analyzer()),
        text_hy=text(armenian_analyzer()),
        # Every text once more, unstemmed, folded and also in Latin letters: exact words,
        # other languages, suggestions, and each script finding the others. (One field
        # for both: a second copy of every transcript doubled the cost of indexing.)
        # Without positions: phrases are looked for in the stemmed fields above.
        words=text(words_analyzer(), phrase=False),
        narrator=text(transliterating_analyzer(), phrase=False),
        place=text(transliterating_analyzer(), phrase=False),
        subject=text(mixed_analyzer(), phrase=False),
        collection=text(mixed_analyzer(), phrase=False),
        language=KEYWORD(lowercase=True),
        place_id=KEYWORD(),
        subject_id=KEYWORD(),
        collection_id=KEYWORD(),
        decade=KEYWORD(),
        media=KEYWORD(),
        access=KEYWORD(),
        recorded=NUMERIC(bits=32, sortable=True, signed=False),
        title_sort=ID(sortable=True),
    )
