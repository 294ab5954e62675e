"""The index's fields. Documents hold only what the disclosure policy lets their audiences
see (archive/search/documents.py); `audiences` says who may find each one."""

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from archive.search.analysis import (
    armenian_analyzer,
    english_analyzer,
    folding_analyzer,
    mixed_analyzer,
    russian_analyzer,
    transliterating_analyzer,
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
    "translit": 0.6,
}
FACET_FIELDS = ("language", "place_id", "subject_id", "collection_id", "decade", "media", "access")


def build_schema() -> Schema:
    return Schema(
        doc_id=ID(stored=True, unique=True),
        testimony_id=ID(stored=True),
        digest=STORED(),
        audiences=KEYWORD(),
        title=TEXT(analyzer=mixed_analyzer(), phrase=True),
        summary=TEXT(analyzer=mixed_analyzer(), phrase=True),
        text_en=TEXT(analyzer=english_analyzer(), phrase=True),
        text_ru=TEXT(analyzer=russian_analyzer(), phrase=True),
        text_hy=TEXT(analyzer=armenian_analyzer(), phrase=True),
        # Every text, folded but not stemmed: exact words, other languages, suggestions.
        words=TEXT(analyzer=folding_analyzer(), phrase=True),
        # Every text in Latin letters, so each script finds the others.
        translit=TEXT(analyzer=transliterating_analyzer(), phrase=True),
        narrator=TEXT(analyzer=transliterating_analyzer()),
        place=TEXT(analyzer=transliterating_analyzer()),
        subject=TEXT(analyzer=mixed_analyzer()),
        collection=TEXT(analyzer=mixed_analyzer()),
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
