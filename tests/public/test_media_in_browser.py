"""The demo archive's recording plays and seeks in a real browser, streamed from local
storage by the media view (Range requests answered with 206).

Browser fixtures: tests/conftest.py.
"""

from typing import Any

import pytest

from archive.demo.seed import DEMO_RECORDING_NAME, DEMO_RECORDING_SECONDS, demo_tone_wav
from archive.publishing.services import approve, submit_for_review
from archive.testimonies.models import AccessLevel
from tests.factories import FULL_CONSENT, make_consent, make_media, make_testimony, make_user

# The live server reads the database from another thread, so the test commits.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("allow_orm_beside_playwright"),
]

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


def test_it_plays_and_seeks_in_the_demo_recording(page: Any) -> None:
    # The demo's own recording (seed_demo attaches it to Vera Petrosyan's public account,
    # as tests/demo/test_seed_demo.py checks) on a live public testimony; loading
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
