from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from archive.publishing.consent_changes import lift_ended_embargoes
from archive.publishing.services import publish_due


class Command(BaseCommand):
    help = (
        "Put approved testimonies whose publication date has come live, and apply embargoes "
        "that have ended. Idempotent: run it from cron every few minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        verb = "Would publish" if dry_run else "Published"
        for testimony in publish_due(dry_run=dry_run):
            self.stdout.write(f"{verb} {testimony.reference}")
        verb = "Would lift" if dry_run else "Lifted"
        for record in lift_ended_embargoes(dry_run=dry_run):
            self.stdout.write(
                f"{verb} the embargo of consent #{record.pk} (until {record.embargo_until})"
            )
