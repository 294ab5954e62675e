"""Finding a person's name in a text, in any script, spelling or grammatical case.

Built on the search's own analysis (archive/search/analysis.py: its words, folding,
transliteration and stemmers), so that whatever improves how search matches names improves
this too. The pseudonym guard uses it (archive/publishing/guard.py): there, finding a name
where there is none costs an archivist a written override, while missing one discloses who a
narrator is, so it errs towards finding.

A name is compared through a *key*: the word in Latin letters (anyascii), lower case, with
the differences between romanizations in use folded away (`Ghazaryan`, `Gazarian`,
`Казарян` and `Ղազարյան` share one; so do `Hakobyan`, `Hagopian` and `Акопян`). A word of the
text names the person when its key is the name's, or the name's followed by a case ending
(`Ղազարյանի`, `Казаряном`, `Петросяна`), or, in the same script, when the stemmer reduces
both to one stem; long names also match one letter off (a typo, a rarer spelling). Short
names match exactly only, so that ordinary words do not trip them (`Mark` is not `markets`).
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from archive.search.analysis import (
    CACHE_SIZE,
    WORDS,
    fold,
    stem_by_script,
    transliterate,
)

# Rewrites of romanized text, in order: each folds spellings that stand for one sound in
# some romanization (anyascii's Armenian ու is "ow"; Russian writes Armenian Ղ as Г or К, Ջ
# as Дж, drops Հ; Western Armenian voices Կ/Գ, Պ/Բ, Տ/Դ the other way round).
ROMANIZATION_FOLDS = (
    ("ow", "u"),
    ("ou", "u"),  # French and Western Armenian: Haroutiounian
    ("dzh", "j"),
    ("dj", "j"),
    ("ye", "e"),
    ("yu", "iu"),
    ("y", "i"),
    ("ii", "i"),
    ("h", ""),  # kh/h, gh/g, ch/c, sh/s, zh/z, and the dropped h (Hakobyan / Акопян)
    ("g", "k"),
    ("q", "k"),
    ("b", "p"),
    ("d", "t"),
    ("w", "v"),
)
DOUBLED = re.compile(r"(.)\1+")
# German writes the glide y as j after a consonant (Harutjunjan); a j that begins a word or
# follows a vowel stays Armenian Ջ (Jivanyan, Abajyan).
GERMAN_J = re.compile(r"(?<=[bcdfghklmnpqrstvwxz])j(?=[aeiou])")

# Case endings and plurals a surname takes, in the scripts the archive holds (Russian,
# Armenian, English plural), keyed like names.
CASE_ENDINGS_WRITTEN = (
    # Russian: genitive/accusative, dative, instrumental, prepositional, plurals.
    "а",
    "у",
    "ом",
    "ым",
    "ем",
    "е",
    "ы",
    "и",
    "ой",
    "ою",
    "ей",
    "ых",
    "ов",
    "ам",
    "ами",
    "ах",
    "ыми",
    # Armenian: genitive/dative, ablative, locative, instrumental, articles, plurals.
    "ի",
    "ին",
    "ից",
    "ում",
    "ով",
    "ը",
    "ն",
    "ս",
    "դ",
    "ենց",
    "ներ",
    "ները",
    "ների",
    "ներին",
    "ներից",
    "ներով",
    "ներում",
    "եր",
    "երը",
    "երի",
    # English and Latin-script plurals and possessives ("the Petrosyans").
    "s",
    "es",
    # Russian patronymics made of the surname (Акопяновна, Hakobyanovich), with their cases.
    "овна",
    "овны",
    "овне",
    "овну",
    "овной",
    "ович",
    "овича",
    "овичу",
    "овичем",
    "овиче",
    "евна",
    "евич",
    "ovna",
    "ovich",
    "evna",
    "evich",
)
# A Russified Armenian surname: the root without -յան, with -ов/-ев and their cases
# (Hakobyan → Акопов, Акопова, Hakobov); counted only for a root this long (in key letters).
ARMENIAN_SUFFIX_KEY = "ian"
RUSSIFIED_WRITTEN = tuple(
    stem + ending
    for stem in ("ов", "ев")
    for ending in ("", "а", "у", "ым", "е", "ы", "ой", "ою", "ых", "ыми", "ым")
) + ("ov", "ova", "ev", "eva", "ovs", "ovy")
MIN_RUSSIFIED_ROOT = 4
# Inflections and near spellings count only for names this long (in key letters): a short
# name followed by an "ending" is too often another word.
MIN_INFLECTED = 5
MIN_FUZZY = 7
# A stem shared with a word of the text counts only when this long.
MIN_STEM = 5


@lru_cache(maxsize=CACHE_SIZE)
def latin_key(word: str) -> str:
    """A word in Latin letters, as the search writes every script (Ани → ani)."""
    return "".join(re.findall(r"[a-z0-9]+", transliterate(fold(word.lower()))))


@lru_cache(maxsize=CACHE_SIZE)
def name_key(word: str) -> str:
    """A word's key: in Latin letters, romanization differences folded away."""
    text = GERMAN_J.sub("i", latin_key(word))
    for written, folded in ROMANIZATION_FOLDS:
        text = text.replace(written, folded)
    return DOUBLED.sub(r"\1", text)


CASE_ENDINGS = tuple(sorted({name_key(e) for e in CASE_ENDINGS_WRITTEN} - {""}, key=len))
RUSSIFIED_ENDINGS = frozenset(name_key(e) for e in RUSSIFIED_WRITTEN)


@lru_cache(maxsize=CACHE_SIZE)
def stem_key(word: str) -> str:
    """The key of the word's stem in its own script (the search's stemmers)."""
    return name_key(stem_by_script(word.lower()))


def _within_one_edit(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1 :] == b[i + 1 :]
    return a[i:] == b[i + 1 :]


@dataclass(frozen=True)
class NameWord:
    written: str
    key: str
    stem: str

    def matches(self, word: str) -> bool:
        key = name_key(word)
        if not key or not self.key:
            return False
        if len(self.key) < MIN_INFLECTED:
            # Folding romanizations makes short keys collide with ordinary words (Ani,
            # any): a short name matches only as transliterated, letter for letter.
            return latin_key(word) == latin_key(self.written)
        if key == self.key:
            return True
        if key.startswith(self.key) and key[len(self.key) :] in CASE_ENDINGS:
            return True
        root = self.key.removesuffix(ARMENIAN_SUFFIX_KEY)
        if (
            root != self.key
            and len(root) >= MIN_RUSSIFIED_ROOT
            and key.startswith(root)
            and key[len(root) :] in RUSSIFIED_ENDINGS
        ):
            return True
        if (
            len(self.stem) >= MIN_STEM
            and stem_key(word) == self.stem
            and _same_script(word, self.written)
        ):
            return True
        if len(self.key) >= MIN_FUZZY:
            bare = _without_ending(key)
            return any(_within_one_edit(candidate, self.key) for candidate in {key, bare})
        return False


def _without_ending(key: str) -> str:
    for ending in reversed(CASE_ENDINGS):  # longest first
        if key.endswith(ending) and len(key) - len(ending) >= MIN_INFLECTED:
            return key[: -len(ending)]
    return key


SCRIPTS = (re.compile("[\u0530-\u058f]"), re.compile("[\u0400-\u04ff]"))


def _script(word: str) -> int:
    return next((n for n, letters in enumerate(SCRIPTS) if letters.search(word)), len(SCRIPTS))


def _same_script(a: str, b: str) -> bool:
    return _script(a) == _script(b)


@dataclass(frozen=True)
class InitialWord(NameWord):
    """The initial of a name ("Hasmik G."): a one- or two-letter capitalised word of the
    text that begins like it, in any script (G., Gh., Г., Ղ.)."""

    def matches(self, word: str) -> bool:
        if not word[:1].isupper() or len(latin_key(word)) > 2:
            return False
        mine, theirs = latin_key(self.written), latin_key(word)
        return bool(theirs) and (
            mine[:1] == theirs[:1] or (bool(self.key) and name_key(word)[:1] == self.key[:1])
        )


@dataclass(frozen=True)
class NameMatcher:
    """Finds any of several names (each one word or more) in texts."""

    names: tuple[tuple[NameWord, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.names)

    def found_in(self, text: str) -> bool:
        return any(self._found_in_words(words) for words in _readings(text))

    def _found_in_words(self, words: list[str]) -> bool:
        for name in self.names:
            span = len(name)
            for start in range(len(words) - span + 1):
                if all(part.matches(words[start + n]) for n, part in enumerate(name)):
                    return True
        return False


# Apostrophes written inside a name (Akop'yan, Акоп'ян): read both with and without them.
APOSTROPHES = re.compile("(?<=\\w)['\u2019\u02bc\u02b9\u00b4`](?=\\w)")
INVISIBLE = ("Cf", "Mn", "Me")


def _readings(text: str) -> Iterator[list[str]]:
    """The text's words, read the ways a name hidden in it could be meant: invisible
    characters (soft hyphens, zero-width spaces and joiners, combining marks) and
    apostrophes inside a word dropped, as a reader sees the word; and, since a zero-width
    space may also part two words, invisible format characters read as spaces."""
    if text.isascii():
        # Nothing invisible to drop (a long English transcript is read once more at most).
        joined = spaced = text
    else:
        text = unicodedata.normalize("NFKC", text)
        joined = "".join(c for c in text if unicodedata.category(c) not in INVISIBLE)
        spaced = "".join(
            " " if unicodedata.category(c) == "Cf" else c
            for c in text
            if unicodedata.category(c) not in INVISIBLE[1:]
        )
    yield WORDS.findall(APOSTROPHES.sub("", joined))
    if spaced != joined:
        yield WORDS.findall(spaced)
    elif APOSTROPHES.search(joined):
        yield WORDS.findall(joined)


def name_matcher(names: Iterable[str]) -> NameMatcher:
    """A matcher for these names, each given as written (any script)."""
    return NameMatcher(tuple(dict.fromkeys(_parts(names))))


def _parts(names: Iterable[str]) -> Iterator[tuple[NameWord, ...]]:
    for name in names:
        written = next(_readings(name))
        words = tuple(
            InitialWord(word, name_key(word), "")
            if len(written) > 1 and _is_initial(word, name)
            else NameWord(word, name_key(word), stem_key(word))
            for word in written
            if (latin_key(word) if _is_initial(word, name) else name_key(word))
        )
        if words:
            yield words


def _is_initial(word: str, name: str) -> bool:
    """A one-letter word followed by a full stop in a name ("Hasmik G.")."""
    return len(word) == 1 and f"{word}." in name
