"""Benchmarks for `make bench`: they print figures and assert nothing.

Each step runs a management command against a scratch archive (its own ARCHIVE_VAR_DIR, so
SQLite by default, or DATABASE_URL if set) and reports wall time, rate and the peak memory
of that command's process. BENCH_COUNT sets the corpus size (default 10,000).
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNT = int(os.environ.get("BENCH_COUNT", "10000"))


def manage(env: dict[str, str], *args: str) -> tuple[float, float]:
    """Run a command; return its wall time in seconds and its own peak RSS in MiB."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed ({process.returncode})")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def report(label: str, seconds: float, peak: float) -> None:
    rate = COUNT / seconds
    print(f"  {label:<22}{seconds:8.1f} s {rate:9.0f} testimonies/s   peak {peak:5.0f} MiB")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as var_dir:
        env = {**os.environ, "ARCHIVE_VAR_DIR": var_dir}
        manage(env, "migrate", "--no-input")
        engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
        print(f"Corpus of {COUNT:,} testimonies on {engine}")
        report("generate_corpus", *manage(env, "generate_corpus", "--count", str(COUNT)))
        report("refresh_disclosures", *manage(env, "refresh_disclosures"))
        seconds, _ = manage(env, "generate_corpus", "--count", str(COUNT))
        print(f"  generate_corpus again {seconds:8.1f} s (idempotent: nothing to add)")
        database = Path(var_dir) / "archive.sqlite3"
        if database.exists():
            print(f"  SQLite database size  {database.stat().st_size / 2**20:8.0f} MiB")


if __name__ == "__main__":
    main()
