from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.search.indexing import process_pending


class Command(BaseCommand):
    help = (
        "Apply queued search index updates, including ones that failed before (a locked "
        "index, a crash). Idempotent; run it from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done, failed = process_pending()
        self.stdout.write(f"{done} update(s) applied, {failed} failed.")
        if failed:
            raise CommandError(f"{failed} update(s) failed and stay queued.")
