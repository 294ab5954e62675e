"""Reading the site's pages as documents rather than as strings: a test parses a response
with lxml and finds what it reads (a count, the references listed, a facet) by XPath, so
that a change of markup around it neither breaks the test nor lets it pass by accident."""

from typing import Any

from lxml import html as lxml_html


def document(response_or_text: Any) -> lxml_html.HtmlElement:
    """The parsed page of a test client's response (or of its decoded text)."""
    if isinstance(response_or_text, str):
        return lxml_html.document_fromstring(response_or_text)
    return lxml_html.document_fromstring(response_or_text.content.decode())


def with_class(name: str) -> str:
    """An XPath predicate for elements whose class attribute holds `name`."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def elements(
    tree: lxml_html.HtmlElement, xpath: str, **variables: str
) -> list[lxml_html.HtmlElement]:
    """The elements the XPath finds ($name in it reads the keyword `name`)."""
    found = tree.xpath(xpath, **variables)
    assert isinstance(found, list)
    return [element for element in found if isinstance(element, lxml_html.HtmlElement)]


def texts(tree: lxml_html.HtmlElement, xpath: str) -> list[str]:
    """The text of each element the XPath finds, whitespace collapsed."""
    return [" ".join(element.text_content().split()) for element in elements(tree, xpath)]


def text(tree: lxml_html.HtmlElement, xpath: str) -> str | None:
    """The text of the one element the XPath finds, or None where there is none."""
    found = texts(tree, xpath)
    assert len(found) <= 1, (xpath, found)
    return found[0] if found else None


def links(tree: lxml_html.HtmlElement, xpath: str = "//a") -> list[str]:
    """The href of each link the XPath finds."""
    return [str(element.get("href")) for element in elements(tree, xpath)]


def markup(element: lxml_html.HtmlElement) -> str:
    """An element as HTML again (to look for a word in all it holds, tags included)."""
    return lxml_html.tostring(element, encoding="unicode")


def results_count(tree: lxml_html.HtmlElement) -> int:
    """The search page's count of results ("3 testimonies"), 0 when it shows none."""
    count = text(tree, "//*[@id='results-count']")
    return int(count.split()[0]) if count else 0


def references(tree: lxml_html.HtmlElement) -> list[str]:
    """The references of the search results, in the order listed."""
    return texts(tree, f"//li[{with_class('result')}]//*[{with_class('reference')}]")


def facet(tree: lxml_html.HtmlElement, title: str) -> dict[str, int] | None:
    """A search facet's values and their counts, or None where the page has no such facet."""
    sections = elements(tree, f"//section[{with_class('facet')}][h2=$title]", title=title)
    if not sections:
        return None
    [section] = sections
    return {
        " ".join(link.text_content().split()): int(count)
        for link, count in zip(
            elements(section, ".//li/a"),
            texts(section, f".//li/*[{with_class('count')}]"),
            strict=True,
        )
    }
