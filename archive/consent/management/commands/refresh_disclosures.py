from typing import Any

from django.core.management.base import BaseCommand

from archive.consent.disclosures import refresh_all_stored_disclosures


class Command(BaseCommand):
    help = (
        "Recompute every testimony's stored disclosure from the policy. Needed only after "
        "writes that bypass the models (bulk imports, raw SQL); idempotent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        changed = refresh_all_stored_disclosures()
        self.stdout.write(f"{changed} stored disclosure(s) changed.")
