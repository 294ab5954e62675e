"""Stable testimony references (TA-2023-0001): generated, unique, never reused."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from archive.testimonies.models import ReferenceSequence


def format_reference(year: int, number: int) -> str:
    return f"TA-{year:04d}-{number:04d}"


def reference_year(recorded_on: date | None) -> int:
    """References carry the year of recording, or the year of cataloguing when it is unknown."""
    return recorded_on.year if recorded_on else timezone.localdate().year


def allocate_references(year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive references for `year`.

    The counter only grows, so a reference whose testimony was deleted is never handed out
    again. The conditional UPDATE holds the row lock until commit, so two concurrent callers
    always receive disjoint numbers.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    with transaction.atomic():
        ReferenceSequence.objects.get_or_create(year=year)
        ReferenceSequence.objects.filter(year=year).update(last_number=F("last_number") + count)
        last = ReferenceSequence.objects.values_list("last_number", flat=True).get(year=year)
    return [format_reference(year, number) for number in range(last - count + 1, last + 1)]


def allocate_reference(year: int) -> str:
    return allocate_references(year, 1)[0]
