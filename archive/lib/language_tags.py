"""BCP 47 (RFC 5646) language tags: well-formedness and canonical case."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

_LANGTAG = re.compile(
    r"""
    ^(?:
        (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3})
        (?:-(?P<script>[a-z]{4}))?
        (?:-(?P<region>[a-z]{2}|[0-9]{3}))?
        (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*
        (?:-[a-wy-z0-9](?:-[a-z0-9]{2,8})+)*
        (?:-x(?:-[a-z0-9]{1,8})+)?
      |
        x(?:-[a-z0-9]{1,8})+
    )$
    """,
    re.IGNORECASE | re.VERBOSE,
)


def normalize_language_tag(tag: str) -> str:
    """Canonical case: language lower, Script title, REGION upper (hy-Latn-AM)."""
    parts = tag.strip().replace("_", "-").split("-")
    normalized = [parts[0].lower()]
    for index, part in enumerate(parts[1:], start=1):
        if parts[index - 1].lower() in {"x"} or len(parts[index - 1]) == 1:
            # Everything after a singleton (extension or private use) stays lower case.
            normalized.extend(p.lower() for p in parts[index:])
            break
        if len(part) == 4 and part.isalpha():
            normalized.append(part.title())
        elif len(part) == 2 and part.isalpha():
            normalized.append(part.upper())
        else:
            normalized.append(part.lower())
    return "-".join(normalized)


def validate_language_tag(value: str) -> None:
    if not _LANGTAG.match(value or ""):
        raise ValidationError(
            "“%(value)s” is not a valid BCP 47 language tag; use for example "
            "“en”, “hy”, “ru” or “hy-Latn”.",
            code="invalid_language_tag",
            params={"value": value},
        )


# What the archive stores and publishes (JSON-LD inLanguage, the API, OAI dc:language):
# language, script, region, and only registered variants it has use for. Private-use and
# extension subtags are free text (en-x-mirakyan) that would reach the public pages
# without anyone reading them as text.
KNOWN_VARIANTS = frozenset(
    {"arevela", "arevmda", "1901", "1996", "fonipa", "rozaj", "tarask", "alalc97", "petr1708"}
)
_PUBLISHABLE = re.compile(
    r"^[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|[0-9]{3}))?(?P<variants>(?:-[a-z0-9]{4,8})*)$",
    re.IGNORECASE,
)


def validate_publishable_language_tag(value: str) -> None:
    """A well-formed tag of language, script, region and known variants only."""
    validate_language_tag(value)
    match = _PUBLISHABLE.match(value or "")
    variants = match["variants"].lower().split("-")[1:] if match else []
    if match is None or not KNOWN_VARIANTS.issuperset(variants):
        raise ValidationError(
            "“%(value)s” has subtags the archive does not use (private-use, extensions or "
            "unknown variants); use a language with, where it matters, a script and a "
            "region, for example “hy”, “hy-Latn” or “en-GB”.",
            code="unsupported_language_tag",
            params={"value": value},
        )


def primary_language(tag: str) -> str:
    return tag.split("-", 1)[0].lower()


class LanguageTagField(models.CharField):
    """A BCP 47 tag, validated and stored in canonical case."""

    default_validators = [validate_publishable_language_tag]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 35)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        value = super().to_python(value)
        return normalize_language_tag(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return normalize_language_tag(value) if value else value
