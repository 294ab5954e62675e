from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.preservation.bag_import import ImportReport, import_bags
from archive.preservation.bags import BagRefused


class Command(BaseCommand):
    help = (
        "Import archivist BagIt bags written by export_bag: SRC is one bag or a folder of "
        "bags. Every bag is validated first (checksums, completeness, this archive's profile); "
        "an invalid or tampered bag, or a reference that already exists, is refused with the "
        "reason, and nothing is changed. The import runs in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, metavar="SRC", help="A bag or a folder of bags.")

    def handle(self, *args: Any, source: Path, **options: Any) -> None:
        self.report(self.import_from(source))

    def import_from(self, source: Path) -> ImportReport:
        try:
            return import_bags(source)
        except BagRefused as refusal:
            raise CommandError(f"Nothing was imported: {refusal.message}") from None

    def report(self, report: ImportReport) -> None:
        for note in report.notes:
            self.stdout.write(note)
        for reference in report.imported:
            self.stdout.write(f"Imported {reference}")
        self.stdout.write(self.style.SUCCESS(f"Imported {len(report.imported)} testimony(ies)."))
