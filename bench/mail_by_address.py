"""Password reset and resend-confirmation take as long for an address with an account as
for one without, once the look-up and sending run in a task (ARCHIVE_TASKS=database).

A scratch SQLite archive (its own ARCHIVE_VAR_DIR) with one active account and one waiting
for confirmation; each form is posted ROUNDS times (BENCH_ROUNDS) with each address,
alternating, through Django's test client with the console e-mail backend. Prints the
median and the 10th-90th percentile range of each, in milliseconds. The tasks are only
queued here (the database backend), as in production: a worker sends them.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "200"))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="archive-bench-mail-") as var_dir:
        os.environ["ARCHIVE_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("ARCHIVE_TASKS", "database")
        os.environ["ARCHIVE_FORM_RATE_LIMIT"] = str(10 * ROUNDS)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from archive.accounts.models import User

        setup_test_environment()
        call_command("migrate", verbosity=0)
        User.objects.create_user("known", "known@example.org", "a long passphrase 42")
        User.objects.create_user(
            "waiting",
            "waiting@example.org",
            "a long passphrase 42",
            is_active=False,
            awaiting_email_confirmation=True,
        )
        client = Client()
        print(f"ARCHIVE_TASKS={os.environ['ARCHIVE_TASKS']}, {ROUNDS} rounds")
        for path, known in [
            ("/accounts/password/reset/", "known@example.org"),
            ("/accounts/confirm/again/", "waiting@example.org"),
        ]:
            times: dict[str, list[float]] = {known: [], "nobody@example.org": []}
            for _ in range(ROUNDS):
                for address in times:
                    started = time.perf_counter()
                    response = client.post(path, {"email": address})
                    times[address].append((time.perf_counter() - started) * 1000)
                    if response.status_code != 302:
                        raise SystemExit(f"{path} answered {response.status_code}")
            for address, took in times.items():
                deciles = statistics.quantiles(took, n=10)
                print(
                    f"{path:32} {address:22} median {statistics.median(took):6.2f} ms"
                    f"  p10-p90 {deciles[0]:6.2f}-{deciles[-1]:6.2f} ms"
                )


if __name__ == "__main__":
    main()
