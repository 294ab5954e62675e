"""The demo archive's recording plays and seeks in a real browser, streamed from local
storage by the media view (Range requests answered with 206).

Needs Debian's Chromium at /usr/bin/chromium (pytest-playwright cannot download its own
browser here); .ci/run installs it. Without it the test skips, unless ARCHIVE_REQUIRE_ALL
is set, as in CI, where it fails instead.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from archive.publishing.services import approve, submit_for_review
from archive.testimonies.demo import DEMO_RECORDING_NAME, DEMO_RECORDING_SECONDS, demo_tone_wav
from archive.testimonies.models import AccessLevel
from tests.factories import FULL_CONSENT, make_consent, make_media, make_testimony, make_user

CHROMIUM = Path("/usr/bin/chromium")

# The live server reads the database from another thread, so the test commits.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PLAY_AND_SEEK = """
async (src) => {
  const audio = document.createElement("audio");
  audio.muted = true;
  audio.preload = "auto";
  audio.controls = true;
  document.body.append(audio);
  const event = (name) => new Promise((resolve, reject) => {
    audio.addEventListener(name, resolve, {once: true});
    audio.addEventListener("error", () => reject(new Error(audio.error.message)), {once: true});
  });
  const loaded = event("loadedmetadata");
  audio.src = src;
  await loaded;
  await audio.play();
  await new Promise((resolve) => setTimeout(resolve, 400));
  const playedTo = audio.currentTime;
  const seeked = event("seeked");
  audio.currentTime = 2.0;
  await seeked;
  return {
    duration: audio.duration,
    playedTo: playedTo,
    seekedTo: audio.currentTime,
    seekableEnd: audio.seekable.length ? audio.seekable.end(0) : 0,
  };
}
"""


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        if os.environ.get("ARCHIVE_REQUIRE_ALL"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium)")
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--autoplay-policy=no-user-gesture-required",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server: Any) -> str:
    # Ours rather than pytest-playwright's (whose session fixture on a class pytest 9
    # deprecates): pages are opened relative to the live server.
    return str(live_server.url)


@pytest.fixture(scope="session", autouse=True)
def allow_orm_beside_playwright() -> Iterator[None]:
    """Playwright's sync API keeps an event loop running in the main thread from its first
    use to the end of the session; Django would refuse every database call made beside it
    (this test's, the live server's flush, and any test that runs later) otherwise."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def test_it_plays_and_seeks_in_the_demo_recording(page: Any) -> None:
    # The demo's own recording (seed_demo attaches it to Vera Petrosyan's public account,
    # as tests/testimonies/test_seed_demo.py checks) on a live public testimony; loading
    # the whole demo archive would add seconds and test nothing more here.
    # Published by two superusers: the role groups come from a data migration, which the
    # flush after an earlier transactional test has removed.
    first, second = (make_user(is_staff=True, is_superuser=True) for _ in range(2))
    testimony = make_testimony(access_level=AccessLevel.PUBLIC)
    recording = make_media(testimony=testimony, content=demo_tone_wav(), name=DEMO_RECORDING_NAME)
    make_consent(
        narrator=testimony.narrator,
        testimonies=[testimony],
        recorded_by=first,
        verified_by=second,
        **FULL_CONSENT,
    )
    approve(submit_for_review(testimony, actor=first), actor=second)
    ranges: list[tuple[int, str | None]] = []
    page.on(
        "response",
        lambda response: (
            ranges.append((response.status, response.headers.get("content-range")))
            if "/media/" in response.url
            else None
        ),
    )
    page.goto("/")  # a page of the site: the recording is same-origin

    result = page.evaluate(PLAY_AND_SEEK, f"/media/{recording.pk}/")

    assert result["duration"] == pytest.approx(DEMO_RECORDING_SECONDS, abs=0.01)
    assert result["playedTo"] > 0  # it played
    assert result["seekedTo"] == pytest.approx(2.0, abs=0.05)
    assert result["seekableEnd"] == pytest.approx(DEMO_RECORDING_SECONDS, abs=0.01)
    # The browser asked for byte ranges and got them: that is what makes seeking work.
    assert any(status == 206 and content_range for status, content_range in ranges), ranges
