"""The search benchmark (`make bench`): figures, not assertions.

Builds a synthetic corpus with generate_corpus in a scratch archive, indexes it, then runs a
fixed mix of 200 queries through the backend and through the /search/ view, and the same
kinds of query against a plain whoosh index of the same texts (default schema and
settings) as a baseline. BENCH_COUNT sets the corpus size (default 10,000).
"""

import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
SCRATCH = Path(tempfile.mkdtemp(prefix="archive-search-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
os.environ["ARCHIVE_VAR_DIR"] = str(SCRATCH)
os.environ["ARCHIVE_ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from whoosh import fields, index, qparser  # noqa: E402
from whoosh.sorting import FieldFacet  # noqa: E402

from archive.accounts.audience import Audience  # noqa: E402
from archive.accounts.roles import Role  # noqa: E402
from archive.publishing import services  # noqa: E402
from archive.search.engine import get_index  # noqa: E402
from archive.search.query import parse_query  # noqa: E402
from archive.search.searching import Filters, search  # noqa: E402
from archive.testimonies.models import Testimony  # noqa: E402
from bench.search_mix import query_mix  # noqa: E402
from tests.factories import make_testimony, make_user, make_verified_consent  # noqa: E402


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the indexing processes)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def plain_whoosh_baseline(
    mix: list[tuple[str, str, dict[str, list[str]]]],
) -> tuple[dict[str, list[float]], float]:
    """The same texts in a whoosh index with the default schema and settings."""
    path = SCRATCH / "plain"
    path.mkdir()
    schema = fields.Schema(
        id=fields.ID(stored=True), text=fields.TEXT, language=fields.KEYWORD(sortable=True)
    )
    ix = index.create_in(str(path), schema)
    started = time.perf_counter()
    writer = ix.writer()
    documents = 0
    for testimony in Testimony.objects.prefetch_related("transcripts").iterator(chunk_size=500):
        for transcript in testimony.transcripts.all():
            writer.add_document(
                id=str(testimony.pk), text=transcript.text, language=transcript.language
            )
        documents += 1
    writer.commit()
    seconds = time.perf_counter() - started
    print(f"  plain whoosh: indexed {documents:,} in {seconds:.1f} s ({documents / seconds:.0f}/s)")
    rate = documents / seconds
    parser = qparser.QueryParser("text", schema)
    timings: dict[str, list[float]] = defaultdict(list)
    with ix.searcher() as searcher:
        for kind, text, _filters in mix:
            query = parser.parse(text or "*")
            timings[kind].append(
                timed(
                    lambda q=query: searcher.search(q, limit=20, groupedby=FieldFacet("language"))
                )
            )
    return timings, rate


def main() -> None:
    # The workflow e-mails moderators; nobody reads them here.
    override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    ).enable()
    rng = random.Random(20231926)
    print(f"Search benchmark: {COUNT:,} testimonies (SQLite scratch archive in {SCRATCH})")
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("generate_corpus", count=COUNT, seed=1, verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    print(f"  generate_corpus      {time.perf_counter() - started:8.1f} s")
    live = Testimony.objects.filter(live_revision__isnull=False).count()
    started, cpu = time.perf_counter(), _cpu_seconds()
    call_command("rebuild_search_index", stdout=open(os.devnull, "w"))  # noqa: SIM115
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    documents = get_index().doc_count()
    size = sum(p.stat().st_size for p in (SCRATCH / "index").rglob("*") if p.is_file())
    print(
        f"  bulk indexing        {seconds:8.1f} s  {live / seconds:6.0f} testimonies/s "
        f"({documents:,} documents, index {size / 2**20:.0f} MiB; CPU {cpu:.1f} s in all "
        f"processes, load average {os.getloadavg()[0]:.1f})"
    )

    mix = query_mix(rng)
    backend: dict[str, list[float]] = defaultdict(list)
    view: dict[str, list[float]] = defaultdict(list)
    client = Client()
    for kind, text, chosen in mix:
        parsed = parse_query(text) if text else None
        backend[kind].append(
            timed(
                lambda p=parsed, c=chosen: search(
                    p, audience=Audience.PUBLIC, filters=Filters(values=c)
                )
            )
        )
    for kind, text, chosen in mix:
        params = {"q": text, **chosen}
        view[kind].append(timed(lambda p=params: client.get("/search/", p)))
    baseline, baseline_rate = plain_whoosh_baseline(mix)

    header = ["query kind", "backend", "/search/ view", "plain whoosh"]
    print(f"  {header[0]:<22}{header[1]:<34}{header[2]:<34}{header[3]}")

    def row(label: str, *columns: list[float]) -> None:
        print(f"  {label:<22}" + "   ".join(percentiles(column) for column in columns))

    for kind in backend:
        row(kind, backend[kind], view[kind], baseline[kind])
    every_backend = [t for ts in backend.values() for t in ts]
    every_view = [t for ts in view.values() for t in ts]
    every_baseline = [t for ts in baseline.values() for t in ts]
    row("whole mix", every_backend, every_view, every_baseline)
    print(
        f"  ratio to plain whoosh (median of the mix): backend "
        f"{statistics.median(every_backend) / statistics.median(every_baseline):.2f}, view "
        f"{statistics.median(every_view) / statistics.median(every_baseline):.2f}; "
        f"bulk indexing {live / seconds / baseline_rate:.2f}"
    )

    testimony = make_testimony(
        access_level="public", transcript="A freshly saved zanzibarine account."
    )
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    review = services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    started = time.perf_counter()
    services.approve(review, actor=make_user(role=Role.MODERATOR))
    while not search(parse_query("zanzibarine"), audience=Audience.PUBLIC).total:
        time.sleep(0.01)
    print(f"  approved to found    {(time.perf_counter() - started) * 1000:8.0f} ms")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  peak memory: this process {peak:.0f} MiB, "
        f"the largest indexing process {children:.0f} MiB"
    )


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(SCRATCH, ignore_errors=True)
