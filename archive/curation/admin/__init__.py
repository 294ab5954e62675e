"""The admin's pages, registered when Django's admin looks for this module."""

from archive.curation.admin import (  # noqa: F401 (registers them)
    consent,
    narrators,
    publishing,
    testimonies,
    vocabularies,
)
