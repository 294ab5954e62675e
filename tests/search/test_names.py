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


@pytest.mark.parametrize(
    ("name", "text"),
    [
        # Invisible characters inside the name: shown intact, read intact.
        ("Nelli Harutyunyan", "Nelli Harutyu\u00adnyan"),
        ("Арутюнян", "Арутюнь\u00adян"),
        ("Harutyunyan", "Harutyu\u200bnyan"),
        ("Harutyunyan", "Harut\u200dyunyan"),
        ("Harutyunyan", "Harut\u2060yu\u200cnyan"),
        ("Harutyunyan", "\u202eHarutyunyan\u202c"),
        ("Harutyunyan", "Harutyu\u0301nyan"),
        ("Harutyunyan", "\uff28\uff41\uff52\uff55\uff54\uff59\uff55\uff4e\uff59\uff41\uff4e"),
        ("Nelli Harutyunyan", "Nelli\u200bHarutyunyan"),
        # French / Western Armenian ou, German j.
        ("Harutyunyan", "Haroutunian"),
        ("Harutyunyan", "Haroutiounian"),
        ("Harutyunyan", "Harutjunjan"),
        # An apostrophe or a soft sign inside.
        ("Hakobyan", "Akop'yan"),
        ("Hakobyan", "Akop\u2019yan"),
        ("Hakobyan", "Акоп'ян"),
        ("Hakobyan", "Акопьян"),
        # Russified: -ов/-ова and their cases, and the patronymic.
        ("Hakobyan", "Hakobov"),
        ("Hakobyan", "Akopova"),
        ("Hakobyan", "с Акоповым"),
        ("Hakobyan", "Hakobyanovna"),
        ("Hakobyan", "Лусине Акопяновна"),
        # The given name with the family name's initial, in any script.
        ("Hasmik G.", "Hasmik G. remembered"),
        ("Hasmik G.", "Асмик Г. вспоминает"),
        ("Hasmik G.", "Hasmik Gh. remembered"),
    ],
)
def test_it_finds_a_name_hidden_by_invisible_characters_or_other_spellings(name, text):
    assert name_matcher([name]).found_in(text)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("Hasmik G.", "Hasmik went home"),
        ("Hasmik G.", "Hasmik a friend of ours"),
        ("Hakobyan", "Hakob's house, you know"),
        ("Petrosyan", "Petrov and Petrova"),
        ("Harutyunyan", "Harutyun our neighbour"),
        ("Sargsyan", "Sargis and Sarkisov"),
    ],
)
def test_it_still_does_not_find_the_name_in_other_words(name, text):
    assert not name_matcher([name]).found_in(text)
