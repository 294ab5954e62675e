"""Turning what a reader typed into a whoosh query, or a message saying what is wrong.

Syntax (documented on the search page): words (all must match), OR, NOT, "phrases",
prefix*, fuzzy~, and field:value for narrator, place, subject, collection and language.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext
from whoosh import qparser
from whoosh.query import FuzzyTerm, NullQuery, Or, Phrase, Query, Term

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


class QueryError(ValueError):
    """The query cannot be understood; the message says why, for the reader."""


@dataclass(frozen=True)
class ParsedQuery:
    text: str
    query: Query


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
        parser.add_plugin(qparser.PrefixPlugin())
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


def parse_query(text: str) -> ParsedQuery:
    """Parse a reader's query, raising QueryError with a helpful message."""
    text = clean_query_text(text)
    if not text:
        raise QueryError(gettext("Type something to search for."))
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
    return ParsedQuery(text=text, query=query)
