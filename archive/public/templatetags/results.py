"""Marked text and facet lists, written in Python: a search page shows up to eighty facet
values and twenty snippets, a testimony page every paragraph of a transcript, and rendering
them node by node was a third of the time the search template took."""

from collections.abc import Iterable

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from archive.public.search import FacetValue

register = template.Library()


@register.filter
def marked(pieces: Iterable[tuple[str, bool]]) -> SafeString:
    """Text in pieces (a snippet, a transcript's paragraph), escaped, the words found in
    <mark>."""
    return mark_safe(  # noqa: S308 (every piece is escaped)
        "".join(
            f"<mark>{conditional_escape(text)}</mark>" if is_match else conditional_escape(text)
            for text, is_match in pieces
        )
    )


@register.filter
def facet_items(values: Iterable[FacetValue]) -> SafeString:
    """A facet's values as list items: a link that adds or removes it, and its count."""
    items = []
    for value in values:
        url = conditional_escape(value.url)
        chosen = ' aria-current="true" class="chosen"' if value.chosen else ""
        label = conditional_escape(value.label)
        count = conditional_escape(localize(value.count))
        items.append(
            f'<li><a href="{url}"{chosen}>{label}</a> <span class="count">{count}</span></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 (every value is escaped)
