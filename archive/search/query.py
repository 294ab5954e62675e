"""Turning what a reader typed into a whoosh query, or a message saying what is wrong.

Syntax (documented on the search page): words (all must match), OR, NOT, "phrases",
prefix*, fuzzy~, and field:value for narrator, place, subject, collection and language.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from whoosh import qparser
from whoosh.query import FuzzyTerm, NullQuery, Or, Phrase, Prefix, Query, Term

from archive.search.schema import QUERY_FIELDS, TEXT_FIELD_BOOSTS, build_schema

MAX_QUERY_LENGTH = 500
# Names are spelt many ways in Latin letters (Petrosian, Petrosyan): near misses in these
# fields count, at a lower weight.
TOLERANT_FIELDS = ("narrator", "place")
TOLERANT_MIN_LENGTH = 5
# Phrases are looked for in running text only; in a name or a vocabulary field a phrase
# costs a positional scan and adds nothing the text fields miss.
PHRASE_FIELDS = frozenset({"title", "summary", "text_en", "text_ru", "text_hy"})
FIELD_PREFIX = re.compile(r'(?:^|[\s(])(?:[+-])?([^\s:"()]+):(?!\s)')
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LONE_OPERATOR = re.compile(r"^\s*(AND|OR|NOT)\s*$|^\s*(AND|OR)\s|\s(AND|OR|NOT)\s*$")

# What one search may ask for, so that no request costs more than a few ordinary ones
# (each word is looked up in ten fields; a word widened by * or ~ in up to
# searching.MAX_FORMS_PER_WORD of its forms). Beyond a bound the query is simplified, and
# the reader told, rather than refused.
MAX_WORDS = 10
MAX_WIDENED_WORDS = 4
MAX_EDIT_DISTANCE = 2
# Words shorter than this are allowed one edit: two edits of a four-letter word match
# most short words of the archive.
SHORT_WORD = 5
TOKENS = re.compile(r'"[^"]*"(?:~\d*)?|[()]|[^\s()"]+')
OPERATORS = frozenset({"AND", "OR", "NOT"})
PREFIX_WORD = r"(?P<text>[^ \t\r\n*:()]+)[*](?= |$|\))"


class QueryError(ValueError):
    """The query cannot be understood; the message says why, for the reader."""


@dataclass(frozen=True)
class ParsedQuery:
    # What was searched: the reader's text, shortened when it asked for too much.
    text: str
    query: Query
    # How the query was simplified, for the reader.
    notices: tuple[str, ...] = ()


_parser: qparser.QueryParser | None = None


def _get_parser() -> qparser.QueryParser:
    global _parser
    if _parser is None:
        schema = build_schema()
        parser = qparser.MultifieldParser(
            list(TEXT_FIELD_BOOSTS), schema, fieldboosts=TEXT_FIELD_BOOSTS, group=qparser.AndGroup
        )
        parser.add_plugin(qparser.FuzzyTermPlugin())
        parser.remove_plugin_class(qparser.BoostPlugin)
        parser.remove_plugin_class(qparser.RangePlugin)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        # Whoosh's prefix pattern takes `narrator:petros*` whole, field name and all, as
        # the text of one prefix: a field's name or a bracket is not part of the word.
        parser.add_plugin(qparser.PrefixPlugin(expr=PREFIX_WORD))
        parser.remove_plugin_class(qparser.FieldsPlugin)
        parser.add_plugin(qparser.FieldsPlugin(remove_unknown=False))
        _parser = parser
    return _parser


def clean_query_text(text: str) -> str:
    """Control characters out, white space folded; too long is an error, not a truncation."""
    text = CONTROL_CHARACTERS.sub(" ", text or "")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(
            gettext("Searches are limited to %(count)s characters; shorten yours.")
            % {"count": MAX_QUERY_LENGTH}
        )
    return text


def _check_syntax(text: str) -> None:
    if text.count('"') % 2:
        raise QueryError(
            gettext("A quotation mark is not closed: put phrases between two quotation marks.")
        )
    if text.count("(") != text.count(")"):
        raise QueryError(gettext("A bracket is not closed."))
    if LONE_OPERATOR.search(text):
        raise QueryError(gettext("AND, OR and NOT need a word on each side (NOT: after it)."))
    outside_phrases = re.sub(r'"[^"]*"', " ", text)
    for name in FIELD_PREFIX.findall(outside_phrases):
        if name.lower() not in QUERY_FIELDS:
            raise QueryError(
                gettext("There is no field “%(name)s”; you can use %(fields)s.")
                % {"name": name, "fields": ", ".join(QUERY_FIELDS)}
            )


TOLERANT_BOOST = 0.5
TOLERANT_DISTANCE = 1
TOLERANT_PREFIX = 2


def tolerate_spellings(
    query: Query,
    known: Callable[[str, str], bool],
    *,
    near: Callable[[str, str, int, int], list[str]] | None = None,
) -> Query:
    """Let a name that no document spells this way match near spellings (Petrosian finds
    Petrosyan). `known(field, text)` says whether the index holds the exact term; fuzzy
    matching, which scans the term list, is added only where it does not.

    `near(field, text, maxdist, prefix)`, when given, lists the index's terms within that
    distance: the near spellings are then looked up once, here, and searched as plain
    terms. (A FuzzyTerm scans the term list again each time whoosh sizes or matches it,
    per segment: a few dozen scans per search.)"""

    def visit(node: Query) -> Query:
        if isinstance(node, Term) and node.fieldname in TOLERANT_FIELDS:
            text = node.text if isinstance(node.text, str) else node.text.decode()
            if len(text) >= TOLERANT_MIN_LENGTH and not known(node.fieldname, text):
                if near is not None:
                    spellings = near(node.fieldname, text, TOLERANT_DISTANCE, TOLERANT_PREFIX)
                    if not spellings:
                        return node
                    return Or(
                        [node]
                        + [
                            Term(node.fieldname, spelling, boost=TOLERANT_BOOST)
                            for spelling in sorted(spellings)
                        ]
                    )
                fuzzy = FuzzyTerm(
                    node.fieldname,
                    text,
                    boost=TOLERANT_BOOST,
                    maxdist=TOLERANT_DISTANCE,
                    prefixlength=TOLERANT_PREFIX,
                )
                return Or([node, fuzzy])
            return node
        return node if node.is_leaf() else node.apply(visit)

    return visit(query)


def _phrases_in_text_only(query: Query) -> Query:
    if isinstance(query, Phrase):
        return query if query.fieldname in PHRASE_FIELDS else NullQuery
    return query if query.is_leaf() else query.apply(_phrases_in_text_only)


def _first_words(text: str) -> str:
    """The query up to its MAX_WORDS-th word (a phrase's words count one by one), with
    its brackets and quotation marks still closed."""
    count = 0
    for token in TOKENS.finditer(text):
        value = token.group()
        if value.startswith('"'):
            words = WORD.findall(value)
            if count + len(words) > MAX_WORDS:
                kept = words[: MAX_WORDS - count]
                phrase = f'"{" ".join(kept)}"' if len(kept) > 1 else ""
                return _closed(text[: token.start()] + phrase)
            count += len(words)
        elif value not in OPERATORS and value not in "()" and not value.endswith(":"):
            count += 1
            if count > MAX_WORDS:
                return _closed(text[: token.start()])
    return text


WORD = re.compile(r"\w+")


def _closed(text: str) -> str:
    """A cut query without a dangling operator or bracket, its open brackets closed."""
    tokens = list(TOKENS.finditer(text))
    while tokens and (
        tokens[-1].group() in OPERATORS
        or tokens[-1].group() == "("
        or tokens[-1].group()[-1] == ":"
    ):
        tokens.pop()
    kept = text[: tokens[-1].end()] if tokens else ""
    depth = sum({"(": 1, ")": -1}.get(token.group(), 0) for token in tokens)
    return kept + ")" * max(0, depth)


def _bounded_widening(query: Query) -> tuple[Query, list[str]]:
    """Fuzzy and prefix words bounded: an edit distance of at most MAX_EDIT_DISTANCE (1
    for a short word), the first letter always kept (whoosh's default compares every
    term of the field), and only the first MAX_WIDENED_WORDS such words widened; the
    others are searched as written."""
    widened: list[tuple[str, str]] = []
    notices: list[str] = []

    def visit(node: Query) -> Query:
        if isinstance(node, Phrase) and node.slop > 1:
            # Words near each other rather than in a row (`"a b"~5`): whoosh looks at
            # every position of every document holding them all, word by word.
            _notice(notices, gettext("Phrases are looked for word for word, in a row."))
            return Phrase(node.fieldname, node.words, slop=1, boost=node.boost)
        if isinstance(node, FuzzyTerm | Prefix):
            text = node.text if isinstance(node.text, str) else node.text.decode()
            key = (type(node).__name__, text)
            if key not in widened:
                widened.append(key)
            if widened.index(key) >= MAX_WIDENED_WORDS:
                _notice(
                    notices,
                    gettext(
                        "Only the first %(count)s words ending in * or ~ were widened; "
                        "the others were searched as written."
                    )
                    % {"count": MAX_WIDENED_WORDS},
                )
                return Term(node.fieldname, text, boost=node.boost)
            if isinstance(node, FuzzyTerm):
                allowed = 1 if len(text) < SHORT_WORD else MAX_EDIT_DISTANCE
                if node.maxdist > allowed:
                    _notice(
                        notices,
                        gettext(
                            "Words ending in ~ match spellings at most %(long)s letters "
                            "apart (%(short)s for words under %(letters)s letters)."
                        )
                        % {"long": MAX_EDIT_DISTANCE, "short": 1, "letters": SHORT_WORD},
                    )
                return FuzzyTerm(
                    node.fieldname,
                    text,
                    boost=node.boost,
                    maxdist=min(node.maxdist, allowed),
                    prefixlength=max(node.prefixlength, 1),
                )
            return node
        return node if node.is_leaf() else node.apply(visit)

    return visit(query), notices


def _notice(notices: list[str], message: str) -> None:
    if message not in notices:
        notices.append(message)


def parse_query(text: str) -> ParsedQuery:
    """Parse a reader's query, raising QueryError with a helpful message. A query that
    asks for more than one search may cost is simplified (ParsedQuery.notices says how)."""
    text = clean_query_text(text)
    if not text:
        raise QueryError(gettext("Type something to search for."))
    _check_syntax(text)
    notices: list[str] = []
    shortened = _first_words(text)
    if shortened != text:
        text = shortened
        notices.append(
            gettext("Only the first %(count)s words of your search were looked for.")
            % {"count": MAX_WORDS}
        )
        _check_syntax(text)
    lowered = FIELD_PREFIX.sub(lambda m: m.group(0).lower(), text)
    try:
        query = _get_parser().parse(lowered)
    except Exception as error:  # whoosh raises many kinds; none should become a 500
        raise QueryError(
            gettext("This search could not be understood; try simpler words.")
        ) from error
    query = _phrases_in_text_only(query).normalize()
    if query is NullQuery:
        raise QueryError(gettext("This search has no words to look for."))
    query, widening = _bounded_widening(query)
    return ParsedQuery(text=text, query=query, notices=tuple(notices + widening))
