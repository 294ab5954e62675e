from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.lib.arguments import positive_int
from archive.preservation.fixity import Fixity, FixityReport, check_fixity


class Command(BaseCommand):
    help = (
        "Re-read every stored media file (or a random sample), compare its SHA-256 with the "
        "one recorded on upload, and record the finding on each file. Reports missing and "
        "changed files and exits with status 1 if there is any. Idempotent: run it from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sample",
            type=positive_int,
            metavar="N",
            help="Check N files chosen at random instead of all of them.",
        )

    def handle(self, *args: Any, sample: int | None = None, **options: Any) -> None:
        report = check_fixity(sample=sample)
        self.report(report)
        if report.failed:
            failures = len(report.problems) + len(report.unverifiable)
            raise CommandError(f"{failures} file(s) failed the fixity check.", returncode=1)

    def report(self, report: FixityReport) -> None:
        for result in report.problems:
            self.stdout.write(self.style.ERROR(result.describe()))
        for asset_id in report.unverifiable:
            self.stdout.write(self.style.ERROR(f"UNVERIFIABLE media #{asset_id}: no checksum"))
        summary = (
            f"Checked {len(report.results)} file(s): {report.count(Fixity.OK)} intact, "
            f"{report.count(Fixity.CHANGED)} changed, {report.count(Fixity.MISSING)} missing."
        )
        style = self.style.ERROR if report.failed else self.style.SUCCESS
        self.stdout.write(style(summary))
