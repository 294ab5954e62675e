"""Language of parts (WCAG 3.1.2): the catalogue's own text (titles, summaries, vocabulary)
inside a page in another interface language says which language it is in."""

import re

from django import template
from django.conf import settings

register = template.Library()

# The scripts of the archive's other languages; Latin-script text is taken to be in the
# catalogue's language, which is what staff describe testimonies in.
SCRIPTS = (("hy", re.compile("[\u0531-\u058f]")), ("ru", re.compile("[\u0400-\u04ff]")))


@register.filter
def written_in(text: object) -> str:
    """The language tag for `text`: by its script, or the catalogue language."""
    value = str(text or "")
    for language, letters in SCRIPTS:
        if letters.search(value):
            return language
    return str(settings.CATALOGUE_LANGUAGE)
