from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from archive.accounts.services import expire_access


class Command(BaseCommand):
    help = (
        "Mark researchers' approvals whose end date has passed as expired, log it and tell "
        "them by e-mail. Access already ends on its own at the end date; this records it. "
        "Idempotent: run it from cron daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would change, change nothing."
        )

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        verb = "Would expire" if dry_run else "Expired"
        for access_request in expire_access(dry_run=dry_run):
            self.stdout.write(
                f"{verb} access request #{access_request.pk} of "
                f"{access_request.user.get_username()} (ended {access_request.expires_on})"
            )
