"""`manage.py generate_corpus`: deterministic synthetic testimonies for benchmarks."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from archive.demo.corpus import DEFAULT_BATCH_SIZE, generate_corpus
from archive.lib.arguments import positive_int


class Command(BaseCommand):
    help = (
        "Create COUNT synthetic testimonies for benchmarks. The same --seed gives the same "
        "content; a re-run skips the testimonies of that seed that exist. Loads the demo "
        "gazetteer and thesaurus (not the demo testimonies): run seed_demo first on an empty "
        "database if the demo's references (TA-2023-0001 …) should come first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--count", type=positive_int, required=True, help="How many testimonies (at least 1)."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Which corpus to make (default: 1)."
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Testimonies per transaction (default: {DEFAULT_BATCH_SIZE}).",
        )

    def handle(self, *args: Any, count: int, seed: int, batch_size: int, **options: Any) -> None:
        self.stdout.write(f"Generating {count:,} corpus testimonies with seed {seed} …")
        report = generate_corpus(
            count=count, seed=seed, batch_size=batch_size, progress=self.report_progress
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {report.created:,} testimonies, skipped {report.skipped:,} that "
                f"exist, in {report.seconds:.1f} s: {report.rate:,.0f} testimonies/s."
            )
        )

    def report_progress(self, done: int, total: int, seconds: float) -> None:
        rate = done / seconds if seconds else 0.0
        self.stdout.write(f"  {done:,}/{total:,} ({rate:,.0f} testimonies/s)")
