"""The "History" block of the admin's change pages (templates/admin/includes/history.html):
the latest audit entries about one object, as the person reading them may see them."""

from collections.abc import Iterable

from django.db.models import QuerySet

from archive.audit.models import AuditEntry

# How many entries a change page lists; the audit log's own list has them all.
HISTORY_LENGTH = 50


def without_data_keys(entries: Iterable[AuditEntry], hidden: frozenset[str]) -> list[AuditEntry]:
    """The entries with the `hidden` keys left out of their data: changed in memory only,
    never saved (the log is append-only), for a reader who may not see them."""
    entries = list(entries)
    if hidden:
        for entry in entries:
            entry.data = {key: value for key, value in entry.data.items() if key not in hidden}
    return entries


def history(
    entries: "QuerySet[AuditEntry]", *, hidden: frozenset[str] = frozenset()
) -> list[AuditEntry]:
    """The newest HISTORY_LENGTH of `entries` (e.g. `AuditEntry.objects.for_object(record)`)
    with their actors, the `hidden` data keys left out."""
    return without_data_keys(entries.select_related("actor")[:HISTORY_LENGTH], hidden)
