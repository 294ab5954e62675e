"""What the worst queries cost, and how many files searching holds open while the index
changes (figures, not assertions; tests/search/test_query_cost.py and
test_searching_threads.py assert the bounds).

    .venv/bin/python bench/search_bounds.py [--count N] [--commits C]

Builds an index of N generated documents (tests/search/generated.py, default 10,000)
straight through the engine's writer, in a scratch directory. Then: each worst case of
test_query_cost.py against an ordinary two-word query (the fastest of 5 runs, and the
ratio); then four threads searching while a fifth commits C times (default 200) as fast as
it can, with the file descriptors the process holds before, during and after.
"""

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SCRATCH = Path(tempfile.mkdtemp(prefix="archive-search-bounds-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ["ARCHIVE_VAR_DIR"] = str(SCRATCH)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from archive.search.engine import get_index  # noqa: E402
from tests.search.generated import add_generated_documents  # noqa: E402
from tests.search.test_query_cost import ORDINARY, WORST_CASES, request_cost  # noqa: E402
from tests.search.test_searching_threads import QUERIES, answer, churn  # noqa: E402


def descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def costs() -> None:
    print(f"  {'query':52} {'ms':>8} {'× ordinary':>11}")
    for case, text in [("ordinary: " + ORDINARY, ORDINARY), *WORST_CASES.items()]:
        request_cost(text)  # term lists read into memory once
        ordinary = min(request_cost(ORDINARY) for _ in range(5))
        worst = min(request_cost(text) for _ in range(5))
        print(f"  {case[:52]:52} {worst:8.1f} {worst / ordinary:11.1f}")


def churning(commits_wanted: int) -> None:
    answer(ORDINARY, {})
    before = descriptors()
    stop, commits, samples, searches = threading.Event(), list[int](), list[int](), [0]
    writer = threading.Thread(target=churn, args=(stop, commits))
    writer.start()

    def work(number: int) -> None:
        while len(commits) < commits_wanted:
            answer(*QUERIES[number % len(QUERIES)])
            searches[0] += 1
            samples.append(descriptors())

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stop.set()
    writer.join()
    seconds = time.perf_counter() - started
    answer(ORDINARY, {})
    print(
        f"  {len(commits)} commits and {searches[0]} searches in {seconds:.1f} s: file "
        f"descriptors {before} before, at most {max(samples)} meanwhile, {descriptors()} "
        f"after; {get_index().open_searchers()} searcher(s) open"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--commits", type=int, default=200)
    options = parser.parse_args()
    settings.SEARCH_INDEX_DIR = SCRATCH / "index"
    started = time.perf_counter()
    add_generated_documents(get_index(), options.count)
    print(f"Indexed {options.count:,} generated documents in {time.perf_counter() - started:.1f} s")
    costs()
    churning(options.commits)


if __name__ == "__main__":
    main()
