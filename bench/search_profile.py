"""Profiling the search path on a kept scratch archive (figures, not assertions).

    .venv/bin/python bench/search_profile.py [--dir DIR] [--count N] [--rebuild]
        [--profile] [--kind KIND] [--view] [--indexing] [--pages]

The first run builds a corpus of N testimonies (generate_corpus) and its index in DIR
(default: archive-search-profile-N in the temporary directory); later runs reuse them, so a
change to the query path can be measured in seconds. `--rebuild` rebuilds the index only
(after a schema change). `--profile` prints cProfile's top functions for the mix (or one `--kind`).
`--view` times the /search/ view instead of the backend. `--indexing` times bulk indexing's
two halves apart instead: building the documents from the database, and writing them in one
process. `--pages` times the site's other pages on the same archive (home, browse pages,
sitemap, feed), each asked twice: the first answer opens the index.
"""

import argparse
import cProfile
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("--count", type=int, default=2000)
    options.add_argument("--dir")
    options.add_argument("--rebuild", action="store_true")
    options.add_argument("--profile", action="store_true")
    options.add_argument("--kind")
    options.add_argument("--view", action="store_true")
    options.add_argument("--indexing", action="store_true")
    options.add_argument("--repeat", type=int, default=1)
    options.add_argument("--pages", action="store_true")
    args = options.parse_args()
    scratch = Path(args.dir or Path(tempfile.gettempdir()) / f"archive-search-profile-{args.count}")
    fresh = not (scratch / "archive.sqlite3").exists()
    scratch.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
    os.environ["ARCHIVE_VAR_DIR"] = str(scratch)
    os.environ["ARCHIVE_ALLOWED_HOSTS"] = "testserver"

    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from archive.accounts.audience import Audience
    from archive.search.query import parse_query
    from archive.search.searching import Filters, search

    # The query mix is bench/search.py's (same seed, same kinds).
    from bench.search_mix import query_mix

    if fresh:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        with open(os.devnull, "w") as null:
            call_command("generate_corpus", count=args.count, seed=1, verbosity=0, stdout=null)
        print(f"generate_corpus {time.perf_counter() - started:.1f} s")
    if fresh or args.rebuild:
        started = time.perf_counter()
        with open(os.devnull, "w") as null:
            call_command("rebuild_search_index", stdout=null)
        print(f"rebuild_search_index {time.perf_counter() - started:.1f} s")

    if args.indexing:
        profile_indexing(scratch, profiled=args.profile)
        return
    if args.pages:
        time_pages(Client())
        return

    mix = query_mix(random.Random(20231926))
    if args.kind:
        mix = [item for item in mix if item[0] == args.kind]
    client = Client()

    def run(kind: str, text: str, chosen: dict[str, list[str]]) -> None:
        if args.view:
            client.get("/search/", {"q": text, **chosen})
        else:
            parsed = parse_query(text) if text else None
            search(parsed, audience=Audience.PUBLIC, filters=Filters(values=chosen))

    run(*mix[0])  # open the searcher, fill the facet cache
    timings: dict[str, list[float]] = defaultdict(list)
    profiler = cProfile.Profile() if args.profile else None
    for _ in range(args.repeat):
        for item in mix:
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            run(*item)
            if profiler:
                profiler.disable()
            timings[item[0]].append(time.perf_counter() - started)
    print(f"load average {os.getloadavg()[0]:.2f}; {'view' if args.view else 'backend'}")
    for kind, samples in [
        *timings.items(),
        ("whole mix", [t for s in timings.values() for t in s]),
    ]:
        ordered = sorted(samples)
        p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
        print(
            f"  {kind:<20} p50 {statistics.median(ordered) * 1000:7.1f} ms"
            f"  p95 {p95 * 1000:7.1f} ms"
        )
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


def time_pages(client: Any) -> None:
    from archive.testimonies.models import Collection

    collection = Collection.objects.order_by("pk").first()
    pages = ["/", "/collections/", "/places/", "/subjects/", "/feeds/testimonies.atom"]
    if collection is not None:
        pages.insert(2, f"/collections/{collection.slug}/")
    pages += ["/sitemap.xml", "/sitemap-testimonies.xml"]
    for page in pages:
        timings = []
        for _ in range(2):
            started = time.perf_counter()
            status = client.get(page).status_code
            timings.append((time.perf_counter() - started) * 1000)
        print(f"  {page:<32} {status}  first {timings[0]:7.1f} ms  again {timings[1]:7.1f} ms")


def profile_indexing(scratch: Path, *, profiled: bool) -> None:
    from whoosh.index import open_dir

    from archive.consent.disclosures import testimonies_for_policy
    from archive.search.documents import Vocabulary, documents_for
    from archive.search.engine import new_build_dir, open_writer

    def phase(label: str, work: Callable[[], object], count: int) -> None:
        profiler = cProfile.Profile() if profiled else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.runcall(work)
        else:
            work()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(f"{label:<32} {seconds:7.1f} s  CPU {cpu:7.1f} s  {count / cpu:6.0f} per CPU-second")
        if profiler:
            pstats.Stats(profiler).sort_stats("tottime").print_stats(30)

    documents: list[dict[str, object]] = []

    def build() -> None:
        vocabulary = Vocabulary.load()
        for testimony in testimonies_for_policy().iterator(chunk_size=500):
            documents.extend(documents_for(testimony, vocabulary))

    phase("documents from the database", build, testimonies_for_policy().count())
    root = scratch / "indexing-profile"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()

    def write() -> None:
        writer = open_writer(open_dir(str(new_build_dir(root))), limitmb=256, compound=False)
        for document in documents:
            writer.add_document(**document)
        writer.commit()

    phase("writing them (one process)", write, len(documents))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
