"""`manage.py seed_demo`: load the demo archive; safe to run again."""

from typing import Any

from django.core.management.base import BaseCommand

from archive.demo.seed import ADMIN_URL, DemoArchive, StaffAccount, load_demo_archive


class Command(BaseCommand):
    help = (
        "Load the demo archive: Vera Petrosyan's account and 40 fictional testimonies, taken "
        "through the real workflow, with a gazetteer, a thesaurus, collections, two demo "
        "recordings and a staff account per role (two archivists: consent is verified by a "
        "second one). Running it again creates nothing twice and leaves existing demo "
        "testimonies as they are; new staff passwords are printed once."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        archive = load_demo_archive()
        self.report_accounts(archive.accounts)
        self.report_summary(archive)

    def report_accounts(self, accounts: list[StaffAccount]) -> None:
        self.stdout.write("Demo staff accounts:")
        for account in accounts:
            username, role = account.user.get_username(), account.role.label
            if account.password is None:
                self.stdout.write(
                    f"  {username} ({role}) already exists; its password was not changed."
                )
            else:
                # Shown this once only: the database keeps nothing but the hash.
                self.stdout.write(
                    self.style.WARNING(
                        f"  {username} ({role}) created, password: {account.password}"
                    )
                )
        if any(account.password for account in accounts):
            self.stdout.write("  Note these passwords now: they are not shown again.")

    def report_summary(self, archive: DemoArchive) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo archive loaded: {len(archive.testimonies)} testimonies "
                f"({archive.created_testimonies} new), {len(archive.places)} places, "
                f"{len(archive.subjects)} subjects, {len(archive.collections)} collections, "
                f"{len(archive.recordings)} recordings."
            )
        )
        self.stdout.write(f"Sign in at {ADMIN_URL}")
