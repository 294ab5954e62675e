"""The admin's pages, registered when Django's admin looks for this module."""

from archive.curation.admin import consent, publishing, testimonies  # noqa: F401 (registers)
