import time
from typing import Any

from django.core.management.base import BaseCommand

from archive.search.indexing import rebuild_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database into a new directory and swap it in "
        "atomically; searches keep working meanwhile. Safe to run at any time."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        count = rebuild_index()
        seconds = time.perf_counter() - started
        self.stdout.write(f"Indexed {count} document(s) in {seconds:.1f} s.")
