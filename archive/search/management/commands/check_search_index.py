from typing import Any

from django.core.management.base import BaseCommand, CommandError

from archive.search.indexing import check_index, purge_problems


class Command(BaseCommand):
    help = (
        "Compare the search index with what the database and the disclosure policy say it "
        "should hold, and that erased testimonies have left its files (a purge outstanding past "
        "its grace fails too); list every testimony that differs and exit non-zero if any does."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        differences = check_index() + purge_problems()
        for difference in differences:
            label = difference.reference or f"testimony #{difference.testimony_id}"
            self.stdout.write(f"{label}: {difference.problem}")
        if differences:
            noun = "testimony differs" if len(differences) == 1 else "testimonies differ"
            raise CommandError(
                f"{len(differences)} {noun} from the index; run rebuild_search_index."
            )
        self.stdout.write("The search index matches the database.")
