"""Text analysis for the index: per-language stemming, folding and transliteration.

The schema is pickled into the index, so every function a field's analyzer refers to lives
at module level here, under a stable import path.
"""

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

import Stemmer
from anyascii import anyascii
from whoosh.analysis import Token, Tokenizer
from whoosh.support.charset import accent_map

# Words: letters and digits of any script.
TOKEN_PATTERN = r"\w+"  # noqa: S105 (a regular expression, not a password)
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


WORDS = re.compile(TOKEN_PATTERN)
WHOLE = re.compile(r"(?s).+")


class WordAnalyzer(Tokenizer):
    """Splits text into words and maps each through `terms` (a module-level function, so
    that the schema pickled into the index can name it)."""

    def __init__(self, terms: Callable[[str], tuple[str, ...]]) -> None:
        self.terms = terms

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.terms is getattr(other, "terms", None)

    def __hash__(self) -> int:
        return hash(self.terms)

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
        # tokenize=False (whoosh asks it of some queries): the whole value is one word.
        matches = (WORDS if tokenize else WHOLE).finditer(value)
        for pos, match in enumerate(matches, start=start_pos):
            word = match.group()
            for text in self.terms(word):
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


LANGUAGE_FIELDS = {"en": "text_en", "ru": "text_ru", "hy": "text_hy"}
OTHER_LANGUAGES_FIELD = "text_other"


def field_for_language(tag: str) -> str:
    """The text field for a transcript's BCP 47 tag (by its primary language)."""
    return LANGUAGE_FIELDS.get(tag.split("-", 1)[0].lower(), OTHER_LANGUAGES_FIELD)
