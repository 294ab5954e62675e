from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.search.indexing import process_pending, process_purges


class Command(BaseCommand):
    help = (
        "Apply queued search index updates and purges of erased testimonies, including ones "
        "that failed before (a locked index, a crash). Idempotent; run it from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done, failed = process_pending()
        self.stdout.write(f"{done} update(s) applied, {failed} failed.")
        purged, purges_failed = process_purges()
        if purged or purges_failed:
            self.stdout.write(f"{purged} purge(s) done, {purges_failed} failed.")
        if failed or purges_failed:
            raise CommandError(
                f"{failed} update(s) and {purges_failed} purge(s) failed and stay queued."
            )
