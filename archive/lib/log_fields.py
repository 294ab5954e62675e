"""Fields for logs that must outlive what they record."""

from typing import Any

from django.db import models


def lasting_reference(to: type[models.Model] | str) -> "models.ForeignKey[Any, Any]":
    """A log entry's link to an object that may later be deleted or erased: no database
    constraint and no cascade, so the entry and the id it names stay."""
    return models.ForeignKey(
        to,
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        db_constraint=False,
        related_name="+",
    )
