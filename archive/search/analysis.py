"""Text analysis for the index: per-language stemming, folding and transliteration.

The schema is pickled into the index, so every function a field's analyzer refers to lives
at module level here, under a stable import path.
"""

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from functools import lru_cache
from itertools import chain
from operator import sub
from pickle import dumps
from typing import Any, NamedTuple

import Stemmer
from anyascii import anyascii
from whoosh.analysis import Token, Tokenizer
from whoosh.formats import Frequency, Positions
from whoosh.support.charset import accent_map
from whoosh.system import pack_uint

# Characters a word may hold that a reader does not see as parting it: format characters
# (soft hyphen, zero-width joiners, word joiner, byte-order mark, direction marks; pasted
# Word text is full of soft hyphens) and the common blocks of combining marks. They are
# dropped from the word (clean_word), so that "Арутюнь\u00adян" is the word "Арутюньян". A
# zero-width space parts words.
INVISIBLE_IN_WORDS = (
    "\u00ad\u034f\u061c\u180e\u200c-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff"
    "\ufe00-\ufe0f\ufe20-\ufe2f\U000e0000-\U000e01ef"
)
# Words: letters and digits of any script (with the invisible characters above inside).
TOKEN_PATTERN = rf"\w+(?:[{INVISIBLE_IN_WORDS}]+\w+)*"  # noqa: S105 (a regular expression)
# Accents off (é → e), and Russian ё written as е, as most Russian texts do.
FOLDING = {**accent_map, ord("ё"): "е"}
CACHE_SIZE = 200_000

_english = Stemmer.Stemmer("english")
_russian = Stemmer.Stemmer("russian")
_armenian = Stemmer.Stemmer("armenian")

# Snowball's Armenian stemmer leaves case endings, articles and plurals on (գյուղից, գյուղը,
# գյուղերում); these are stripped after it, longest first, keeping at least three letters.
ARMENIAN_FINAL_PARTICLES = ("ը", "ս", "դ")
ARMENIAN_CASE_ENDINGS = (
    "ներից",
    "երից",
    "ներում",
    "երում",
    "ներով",
    "երով",
    "ից",
    "ում",
    "ով",
    "ին",
)
ARMENIAN_PLURALS = ("ներ", "եր")
ARMENIAN_MIN_STEM = 3


def _strip(word: str, endings: tuple[str, ...]) -> str:
    for ending in endings:
        if word.endswith(ending) and len(word) - len(ending) >= ARMENIAN_MIN_STEM:
            return word[: -len(ending)]
    return word


@lru_cache(maxsize=CACHE_SIZE)
def stem_armenian(word: str) -> str:
    word = _armenian.stemWord(word)
    word = _strip(word, ARMENIAN_FINAL_PARTICLES)
    word = _strip(word, ARMENIAN_CASE_ENDINGS)
    return _strip(word, ARMENIAN_PLURALS)


@lru_cache(maxsize=CACHE_SIZE)
def stem_english(word: str) -> str:
    return str(_english.stemWord(word))


@lru_cache(maxsize=CACHE_SIZE)
def stem_russian(word: str) -> str:
    return str(_russian.stemWord(word))


ARMENIAN_LETTERS = re.compile("[\u0530-\u058f]")
CYRILLIC_LETTERS = re.compile("[\u0400-\u04ff]")


@lru_cache(maxsize=CACHE_SIZE)
def stem_by_script(word: str) -> str:
    """For fields that mix languages (titles, names, places): stem by the word's script."""
    if ARMENIAN_LETTERS.search(word):
        return stem_armenian(word)
    if CYRILLIC_LETTERS.search(word):
        return stem_russian(word)
    return stem_english(word)


@lru_cache(maxsize=CACHE_SIZE)
def transliterate(word: str) -> str:
    # anyascii writes aspirated Armenian consonants with an apostrophe (Step'anakert):
    # drop it, so that the word stays one token and matches the usual Latin spelling.
    return anyascii(word).lower().replace("'", "").replace("`", "")


def fold(text: str) -> str:
    return text.translate(FOLDING)


@lru_cache(maxsize=CACHE_SIZE)
def clean_word(word: str) -> str:
    """A word as a reader sees it: compatibility forms unified (NFKC: full-width letters,
    ligatures), invisible characters and combining marks left over dropped."""
    if word.isascii():
        return word
    word = unicodedata.normalize("NFKC", word)
    return "".join(c for c in word if unicodedata.category(c) not in ("Cf", "Mn", "Me"))


# Each analyzer is one pass over the text: find a word, turn it into index terms. (A chain
# of whoosh filters costs a generator step per token per filter; indexing spends most of its
# time here.) Each function below maps a word to its terms and is cached.


@lru_cache(maxsize=CACHE_SIZE)
def english_terms(word: str) -> tuple[str, ...]:
    return (fold(stem_english(word.lower())),)


@lru_cache(maxsize=CACHE_SIZE)
def russian_terms(word: str) -> tuple[str, ...]:
    return (fold(stem_russian(word.lower())),)


@lru_cache(maxsize=CACHE_SIZE)
def armenian_terms(word: str) -> tuple[str, ...]:
    return (fold(stem_armenian(word.lower())),)


@lru_cache(maxsize=CACHE_SIZE)
def mixed_terms(word: str) -> tuple[str, ...]:
    return (fold(stem_by_script(word.lower())),)


@lru_cache(maxsize=CACHE_SIZE)
def folded_terms(word: str) -> tuple[str, ...]:
    return (fold(word.lower()),)


@lru_cache(maxsize=CACHE_SIZE)
def latin_terms(word: str) -> tuple[str, ...]:
    """Петросян, Պետրոսյան and Petrosyan all become petrosyan."""
    return tuple(re.findall(r"[a-z0-9]+", transliterate(word)))


@lru_cache(maxsize=CACHE_SIZE)
def word_terms(word: str) -> tuple[str, ...]:
    """The one unstemmed copy of every text: the word folded, and in Latin letters when its
    script is another (деревнях → деревнях, derevniakh), so that each script finds the
    others. A Latin word is one term."""
    folded = fold(word.lower())
    latin = "".join(latin_terms(word))
    return (folded,) if not latin or latin == folded else (folded, latin)


@lru_cache(maxsize=CACHE_SIZE)
def word_query_terms(word: str) -> tuple[str, ...]:
    """A query word in Latin letters only: every indexed word has that form."""
    return ("".join(latin_terms(word)) or fold(word.lower()),)


WORDS = re.compile(TOKEN_PATTERN)
WHOLE = re.compile(r"(?s).+")


class WordAnalyzer(Tokenizer):
    """Splits text into words and maps each through `terms` (a module-level function, so
    that the schema pickled into the index can name it); a query's words go through
    `query_terms` when given."""

    def __init__(
        self,
        terms: Callable[[str], tuple[str, ...]],
        query_terms: Callable[[str], tuple[str, ...]] | None = None,
    ) -> None:
        self.terms = terms
        self.query_terms = query_terms

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update({"query_terms": None, **state})

    def __eq__(self, other: object) -> bool:
        return (
            type(self) is type(other)
            and self.terms is getattr(other, "terms", None)
            and self.query_terms is getattr(other, "query_terms", None)
        )

    def __hash__(self) -> int:
        return hash((self.terms, self.query_terms))

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        terms = self.query_terms if mode == "query" and self.query_terms else self.terms
        # tokenize=False (whoosh asks it of some queries): the whole value is one word.
        matches = (WORDS if tokenize else WHOLE).finditer(value)
        for pos, match in enumerate(matches, start=start_pos):
            word = match.group()
            for text in terms(clean_word(word)):
                token.text = text
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = word
                if positions:
                    token.pos = pos
                if chars:
                    token.startchar = start_char + match.start()
                    token.endchar = start_char + match.end()
                yield token


def _word_positions(value: str, terms: Callable[[str], tuple[str, ...]]) -> dict[str, list[int]]:
    # Positions are gathered per word as written first (one step per word of the text),
    # then each distinct word is turned into its terms once.
    by_word: dict[str, list[int]] = defaultdict(list)
    for pos, word in enumerate(WORDS.findall(value)):
        by_word[word].append(pos)
    positions: dict[str, list[int]] = {}
    merged = set()
    for word, poslist in by_word.items():
        for text in terms(clean_word(word)):
            if text in positions:
                positions[text] = positions[text] + poslist
                merged.add(text)
            else:
                positions[text] = poslist
    for text in merged:
        positions[text].sort()
    return positions


def _word_frequencies(value: str, terms: Callable[[str], tuple[str, ...]]) -> Counter[str]:
    frequencies: Counter[str] = Counter()
    for word, count in Counter(WORDS.findall(value)).items():
        for text in terms(clean_word(word)):
            frequencies[text] += count
    return frequencies


class DocumentPostings(NamedTuple):
    """A document's postings in one field, as columns: terms (UTF-8), frequencies, weights,
    and whoosh's encoded values; in a field with positions, each term's positions instead
    of values (they are encoded when the segment is written, and go to the posting arrays
    as they are)."""

    terms: list[bytes]
    frequencies: list[int]
    weights: list[float]
    values: list[bytes] | None
    positions: list[list[int]] | None = None


def encode_positions(positions: list[int]) -> bytes:
    """Whoosh's Positions.encode (a count, then the differences, pickled), without its
    loop in Python."""
    return pack_uint(len(positions)) + dumps(list(map(sub, positions, chain((0,), positions))), 2)


class WordPositions(Positions):
    """Whoosh's Positions, computed straight from a WordAnalyzer's word → terms function
    rather than through a Token per word: the same postings, at a fraction of the cost
    (analysis is most of the time bulk indexing takes)."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(value, str) or not isinstance(analyzer, WordAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for text, poslist in _word_positions(value, analyzer.terms).items():
            yield text, len(poslist), len(poslist) * boost, encode_positions(poslist)

    def encode(self, poslist: list[int]) -> bytes:
        return encode_positions(poslist)

    def postings(self, value: str, analyzer: WordAnalyzer) -> DocumentPostings:
        """word_values' postings as columns, with the positions not yet encoded."""
        positions = _word_positions(value, analyzer.terms)
        frequencies = list(map(len, positions.values()))
        boost = self.field_boost
        return DocumentPostings(
            list(map(str.encode, positions)),
            frequencies,
            [frequency * boost for frequency in frequencies],
            None,
            list(positions.values()),
        )


class WordFrequency(Frequency):
    """Whoosh's Frequency, computed like WordPositions."""

    def word_values(self, value: Any, analyzer: Any, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(value, str) or not isinstance(analyzer, WordAnalyzer):
            yield from super().word_values(value, analyzer, **kwargs)
            return
        boost = self.field_boost
        for text, frequency in _word_frequencies(value, analyzer.terms).items():
            yield text, frequency, frequency * boost, pack_uint(frequency)

    def postings(self, value: str, analyzer: WordAnalyzer) -> DocumentPostings:
        """word_values' postings as columns, like WordPositions.postings."""
        counts = _word_frequencies(value, analyzer.terms)
        frequencies = list(counts.values())
        boost = self.field_boost
        return DocumentPostings(
            list(map(str.encode, counts)),
            frequencies,
            [frequency * boost for frequency in frequencies],
            list(map(pack_uint, frequencies)),
        )


def english_analyzer() -> WordAnalyzer:
    return WordAnalyzer(english_terms)


def russian_analyzer() -> WordAnalyzer:
    return WordAnalyzer(russian_terms)


def armenian_analyzer() -> WordAnalyzer:
    return WordAnalyzer(armenian_terms)


def mixed_analyzer() -> WordAnalyzer:
    """For fields that mix languages (titles, summaries, subjects): stemmed by script."""
    return WordAnalyzer(mixed_terms)


def folding_analyzer() -> WordAnalyzer:
    """Unknown languages, exact words and suggestions: folded, not stemmed."""
    return WordAnalyzer(folded_terms)


def transliterating_analyzer() -> WordAnalyzer:
    return WordAnalyzer(latin_terms)


def words_analyzer() -> WordAnalyzer:
    """Every text once, unstemmed: folded in its own script and in Latin letters; queries
    are looked for in Latin letters."""
    return WordAnalyzer(word_terms, word_query_terms)


LANGUAGE_FIELDS = {"en": "text_en", "ru": "text_ru", "hy": "text_hy"}
OTHER_LANGUAGES_FIELD = "text_other"


def field_for_language(tag: str) -> str:
    """The text field for a transcript's BCP 47 tag (by its primary language)."""
    return LANGUAGE_FIELDS.get(tag.split("-", 1)[0].lower(), OTHER_LANGUAGES_FIELD)
