"""Serving a large recording through the media view keeps the process's memory flat.

Writes a 200 MB file (BENCH_MEDIA_MB) into the private storage of a scratch archive (its own
ARCHIVE_VAR_DIR, so SQLite and local files), then streams it whole, and a range at its end,
through /media/<id>/ with Django's test client, consuming the streamed body chunk by chunk.
Prints the process's peak RSS before and after, and the peak of Python allocations while
streaming (tracemalloc).
"""

import hashlib
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEGABYTES = int(os.environ.get("BENCH_MEDIA_MB", "200"))
CHUNK = 2**20


def peak_rss_mib() -> float:
    # ru_maxrss is the high-water mark of this process, in KiB on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_recording(path: Path, megabytes: int) -> str:
    """A file of `megabytes` MiB written a chunk at a time; returns its SHA-256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    block = os.urandom(CHUNK)
    with path.open("wb") as out:
        for number in range(megabytes):
            chunk = number.to_bytes(8, "big") + block[8:]  # every MiB differs
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def expect(got: tuple[int, int], wanted: tuple[int, int]) -> None:
    """Stop if the view did not send what it should (status, bytes): the figures would lie."""
    if got != wanted:
        raise SystemExit(f"The media view answered {got}, not {wanted}.")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="archive-bench-media-") as var_dir:
        os.environ["ARCHIVE_VAR_DIR"] = var_dir
        os.environ.pop("DATABASE_URL", None)  # a scratch SQLite database, always
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from archive.accounts.models import User
        from archive.testimonies.models import MediaAsset, Narrator, Testimony

        setup_test_environment()
        call_command("migrate", verbosity=0)
        name = "mediaasset/bench/recording.wav"
        sha256 = write_recording(Path(settings.MEDIA_ROOT) / name, MEGABYTES)
        size = MEGABYTES * CHUNK
        testimony = Testimony.objects.create(
            reference="TA-2024-0001", title="Benchmark", narrator=Narrator.objects.create()
        )
        asset = MediaAsset.objects.create(
            testimony=testimony,
            kind=MediaAsset.Kind.AUDIO,
            file=name,
            mime_type="audio/x-wav",
            size_bytes=size,
            sha256=sha256,
            access_level="staff",
        )
        staff = User.objects.create_user("bench", is_staff=True, is_superuser=True)
        client = Client()
        client.force_login(staff)
        url = f"/media/{asset.pk}/"

        def stream(**headers: str) -> tuple[int, int, float]:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            received = sum(len(chunk) for chunk in response.streaming_content)
            return response.status_code, received, time.perf_counter() - started

        print(f"Media view, local storage, a {MEGABYTES} MiB file")
        # One byte first, so the URLconf and view imports of a first request are not counted.
        expect(stream(Range="bytes=0-0")[:2], (206, 1))
        before = peak_rss_mib()
        tracemalloc.start()
        status, received, seconds = stream()
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        after = peak_rss_mib()
        expect((status, received), (200, size))
        print(f"  whole file      {seconds:6.2f} s  {received / 2**20 / seconds:7.0f} MiB/s")
        print(f"  peak RSS before {before:6.0f} MiB")
        print(f"  peak RSS after  {after:6.0f} MiB  (+{after - before:.0f} MiB)")
        print(f"  Python allocations at their peak while streaming: {traced_peak / 2**10:.0f} KiB")

        last = 10 * CHUNK
        status, received, seconds = stream(Range=f"bytes=-{last}")
        expect((status, received), (206, last))
        print(f"  last 10 MiB     {seconds:6.2f} s  (206, seek to the end)")
        print(f"  peak RSS now    {peak_rss_mib():6.0f} MiB")


if __name__ == "__main__":
    main()
