"""Marking a reader's search words in a whole text (the testimony page, reached from a result).

The query is the one the search page ran (archive/search/query.py); each word of the text is
compared through the same analysis as the index field it would match, so `villages` marks
`village` and a Latin query marks the Armenian or Cyrillic word it transliterates to.
Words under NOT are not marked: the reader asked for their absence.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from whoosh.query import AndNot, FuzzyTerm, Not, Phrase, Prefix, Query, Term

from archive.search.analysis import WORDS, clean_word, field_for_language
from archive.search.query import ParsedQuery
from archive.search.searching import SCHEMA, within_distance

# The fields whose terms come from a transcript's own words.
TEXT_FIELDS = ("words", "translit")
MAX_MARKS = 500


@dataclass(frozen=True)
class QueryWords:
    """The terms and prefixes a query looks for, per index field."""

    terms: dict[str, set[str]] = field(default_factory=dict)
    prefixes: dict[str, set[str]] = field(default_factory=dict)
    fuzzy: dict[str, set[tuple[str, int]]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes or self.fuzzy)

    def matches(self, fieldname: str, term: str) -> bool:
        if term in self.terms.get(fieldname, ()):
            return True
        if any(term.startswith(prefix) for prefix in self.prefixes.get(fieldname, ())):
            return True
        return any(
            within_distance(term, text, distance)
            for text, distance in self.fuzzy.get(fieldname, ())
        )


def query_words(parsed: ParsedQuery) -> QueryWords:
    words = QueryWords()

    def visit(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, AndNot):
            visit(node.a)
            return
        if isinstance(node, FuzzyTerm):
            words.fuzzy.setdefault(node.fieldname, set()).add((_text(node.text), node.maxdist))
        elif isinstance(node, Prefix):
            words.prefixes.setdefault(node.fieldname, set()).add(_text(node.text))
        elif isinstance(node, Term):
            words.terms.setdefault(node.fieldname, set()).add(_text(node.text))
        elif isinstance(node, Phrase):
            words.terms.setdefault(node.fieldname, set()).update(map(_text, node.words))
        elif not node.is_leaf():
            for child in node.children():
                visit(child)

    visit(parsed.query)
    return words


def highlight(text: str, language: str, words: QueryWords) -> list[tuple[str, bool]]:
    """`text` cut into (piece, is_match) pieces covering all of it; the template escapes
    each piece and marks the matches."""
    if not words:
        return [(text, False)] if text else []
    analysers = _analysers(language, words)
    pieces: list[tuple[str, bool]] = []
    position = 0
    marks = 0
    # Each distinct word is analysed and compared once: a long transcript repeats most of
    # its words, and a fuzzy word is compared by edit distance.
    marked: dict[str, bool] = {}
    for match in WORDS.finditer(text):
        word = match.group()
        is_match = marked.get(word)
        if is_match is None:
            is_match = marked[word] = any(
                words.matches(name, term)
                for name, terms_of in analysers
                for term in terms_of(clean_word(word))
            )
        if is_match:
            pieces += [(text[position : match.start()], False), (word, True)]
            position = match.end()
            marks += 1
            if marks >= MAX_MARKS:
                break
    pieces.append((text[position:], False))
    return [(piece, is_match) for piece, is_match in pieces if piece]


def _analysers(
    language: str, words: QueryWords
) -> list[tuple[str, Callable[[str], tuple[str, ...]]]]:
    names = [field_for_language(language), *TEXT_FIELDS]
    wanted = {*words.terms, *words.prefixes, *words.fuzzy}
    return [
        (name, SCHEMA[name].analyzer.terms)
        for name in names
        if name in wanted and name in SCHEMA.names()
    ]


def _text(value: str | bytes) -> str:
    return value.decode() if isinstance(value, bytes) else value
