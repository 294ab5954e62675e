"""Finding a person's name across scripts, romanizations and cases (archive/search/names.py),
and not finding it in ordinary words."""

import pytest

from archive.search.names import name_matcher


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Ghazaryan", "Казарян"),
        ("Ghazaryan", "Ղազարյան"),
        ("Ghazaryan", "Ղազարյանի տունը"),
        ("Ghazaryan", "с Казаряном"),
        ("Ghazaryan", "Ղազարյանների"),
        ("Ghazaryan", "Gazarian"),
        ("Ghazaryan", "the Ghazaryans"),
        ("Казарян", "Ghazaryan"),
        ("Ղազարյան", "Kazaryan"),
        ("Petrosyan", "у Петросяна"),
        ("Petrosyan", "Petrosian"),
        ("Hakobyan", "Акопян"),
        ("Hakobyan", "Hagopian"),
        ("Khachatryan", "Хачатрян"),
        ("Ghukasyan", "Ղուկասյան"),
        ("Hasmik Ghazaryan", "said Hasmik Ghazaryan."),
        ("Mark", "Марк"),
        ("Ani", "Ани"),
    ],
)
def test_it_finds_a_name_in_any_script_romanization_and_case(name, text):
    assert name_matcher([name]).found_in(text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Mark", "the markets were marked"),
        ("Mark", "Марка на конверте"),
        ("Ani", "any animal"),
        ("Ani", "Anita and Ann"),
        ("Ghazaryan", "казарма и газ"),
        ("Petrosyan", "petroleum and Petros"),
        ("Hakobyan", "Hakob went home"),
        ("Hasmik Ghazaryan", "Hasmik went home"),
    ],
)
def test_it_does_not_find_a_name_in_other_words(name, text):
    assert not name_matcher([name]).found_in(text)
