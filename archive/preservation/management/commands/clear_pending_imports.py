from typing import Any

from django.core.management.base import BaseCommand

from archive.preservation.importing import clear_expired_previews


class Command(BaseCommand):
    help = (
        "Delete the files previewed for import and not confirmed within their time (they may "
        "hold transcripts and narrators' names). Idempotent: run it from cron, e.g. hourly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        cleared = clear_expired_previews()
        self.stdout.write(f"Cleared {cleared} expired preview(s) of an import.")
