"""Language analysis: stemming per language, folding, and the transliterated field."""

import pytest

from archive.search.analysis import (
    armenian_analyzer,
    english_analyzer,
    field_for_language,
    folding_analyzer,
    mixed_analyzer,
    russian_analyzer,
    transliterating_analyzer,
)


def tokens(analyzer, text: str) -> list[str]:
    return [token.text for token in analyzer(text)]


def test_it_stems_english():
    assert set(tokens(english_analyzer(), "village villages Villages")) == {"villag"}


def test_it_stems_russian():
    assert set(tokens(russian_analyzer(), "деревня деревнях деревне")) == {"деревн"}


def test_it_strips_armenian_case_endings_articles_and_plurals():
    words = "գյուղ գյուղից գյուղը գյուղերում գյուղում Գյուղեր"
    assert set(tokens(armenian_analyzer(), words)) == {"գյուղ"}


def test_it_keeps_short_armenian_words_whole():
    assert tokens(armenian_analyzer(), "ից ին") == ["ից", "ին"]


def test_it_folds_case_and_accents():
    assert tokens(folding_analyzer(), "Café ЁЛКА") == ["cafe", "елка"]


def test_it_leaves_unknown_languages_unstemmed():
    assert tokens(folding_analyzer(), "villages Häuser") == ["villages", "hauser"]


@pytest.mark.parametrize("name", ["Petrosyan", "Петросян", "Պետրոսյան"])
def test_it_writes_every_script_in_latin_letters(name):
    assert tokens(transliterating_analyzer(), name) == ["petrosyan"]


def test_it_transliterates_aspirated_armenian_letters_as_one_word():
    assert tokens(transliterating_analyzer(), "Ստեփանակերտ Xankəndi") == ["stepanakert", "xankendi"]


def test_it_stems_mixed_fields_by_script():
    assert tokens(mixed_analyzer(), "Villages деревнях գյուղից") == ["villag", "деревн", "գյուղ"]


@pytest.mark.parametrize(
    ("tag", "field"),
    [
        ("en", "text_en"),
        ("en-GB", "text_en"),
        ("ru", "text_ru"),
        ("hy", "text_hy"),
        ("hy-Latn", "text_hy"),
        ("az", "text_other"),
    ],
)
def test_it_chooses_the_text_field_by_primary_language(tag, field):
    assert field_for_language(tag) == field
