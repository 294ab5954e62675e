"""The catalogue's own text says which language it is in, inside a page in another language
(WCAG 3.1.2): by its script, or the catalogue language for Latin script."""

import pytest

from archive.public.templatetags.catalogue import written_in


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The last bus from Stepanakert", "en"),
        ("Գյուղից հեռանալը", "hy"),
        ("Последний автобус", "ru"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_it_tells_the_language_of_catalogue_text_by_its_script(text, language):
    assert written_in(text) == language


def test_it_follows_the_catalogue_language_setting(settings):
    settings.CATALOGUE_LANGUAGE = "fr"
    assert written_in("Le dernier bus") == "fr"
