from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from archive.preservation.bag_export import ExportReport, export_bags, testimonies_to_export
from archive.preservation.bags import BagRefused


class Command(BaseCommand):
    help = (
        "Write testimonies as BagIt bags (RFC 8493, SHA-256 manifests), one folder per "
        "testimony in DEST: metadata (JSON and Dublin Core), transcripts, media, consent "
        "records with their evidence, the narrator's identity and the audit history. These "
        "archivist bags hold private data. With --public, only what the public may see is "
        "written, and testimonies the public may not see are skipped (or refused with "
        "--reference)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--reference", metavar="TA-YYYY-NNNN", help="Export one testimony.")
        which.add_argument("--all", action="store_true", help="Export every testimony.")
        parser.add_argument(
            "--public",
            action="store_true",
            help="Write only what the public may see (no identity, consent or audit history).",
        )
        parser.add_argument("destination", type=Path, metavar="DEST", help="Folder for the bags.")

    def handle(
        self,
        *args: Any,
        destination: Path,
        reference: str | None = None,
        public: bool = False,
        **options: Any,
    ) -> None:
        report = self.export(destination, reference=reference, public=public)
        self.report(report, public=public)

    def export(self, destination: Path, *, reference: str | None, public: bool) -> ExportReport:
        try:
            testimonies = testimonies_to_export(reference)
            report = export_bags(testimonies, destination, public=public)
        except BagRefused as refusal:
            raise CommandError(refusal.message) from None
        if reference is not None and report.skipped:
            raise CommandError(
                f"{reference} is not public: a public bag holds only what the public may see."
            )
        return report

    def report(self, report: ExportReport, *, public: bool) -> None:
        for bag in report.bags:
            self.stdout.write(f"Wrote {bag.path}")
        for reference in report.skipped:
            self.stdout.write(f"Skipped {reference}: the public may not see it.")
        level = "public" if public else "archivist"
        self.stdout.write(
            self.style.SUCCESS(f"Exported {len(report.bags)} {level} bag(s).")
            + (f" Skipped {len(report.skipped)}." if report.skipped else "")
        )
