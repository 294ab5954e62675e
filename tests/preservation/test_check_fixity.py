"""`manage.py check_fixity`: re-reading stored files against their recorded SHA-256."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.preservation.fixity import check_asset, check_fixity
from archive.testimonies.models import MediaAsset
from tests.factories import make_media, make_testimony, wav_bytes

pytestmark = pytest.mark.django_db

Fixity = MediaAsset.Fixity


def stored_path(storage: Path, asset: MediaAsset) -> Path:
    return storage / str(asset.file.name)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("check_fixity", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def three_assets() -> list[MediaAsset]:
    testimony = make_testimony()
    return [
        make_media(testimony=testimony, content=wav_bytes(seed=seed), name=f"{seed}.wav")
        for seed in range(3)
    ]


def test_it_finds_every_file_intact_and_records_it(three_assets):
    output = run()
    assert "Checked 3 file(s): 3 intact, 0 changed, 0 missing." in output
    for asset in MediaAsset.objects.all():
        assert asset.fixity_status == Fixity.OK
        assert asset.fixity_checked_at is not None


def test_it_reports_a_changed_and_a_missing_file_and_exits_with_status_1(
    three_assets, private_storage
):
    intact, changed, missing = three_assets
    path = stored_path(private_storage, changed)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")  # one flipped byte at the end
    stored_path(private_storage, missing).unlink()

    out = io.StringIO()
    with pytest.raises(CommandError, match=r"2 file\(s\) failed the fixity check") as failure:
        call_command("check_fixity", stdout=out)
    assert failure.value.returncode == 1
    output = out.getvalue()
    assert f"CHANGED media #{changed.pk} of {changed.testimony.reference}" in output
    assert f"recorded {changed.sha256}" in output
    assert f"MISSING media #{missing.pk} of {missing.testimony.reference}" in output
    assert f"#{intact.pk} " not in output
    assert "Checked 3 file(s): 1 intact, 1 changed, 1 missing." in output
    statuses = dict(MediaAsset.objects.values_list("pk", "fixity_status"))
    assert statuses == {
        intact.pk: Fixity.OK,
        changed.pk: Fixity.CHANGED,
        missing.pk: Fixity.MISSING,
    }


def test_it_gives_the_same_answer_when_run_again(three_assets, private_storage):
    stored_path(private_storage, three_assets[0]).unlink()
    for _ in range(2):
        with pytest.raises(CommandError):
            run()
    assert MediaAsset.objects.get(pk=three_assets[0].pk).fixity_status == Fixity.MISSING
    assert MediaAsset.objects.filter(fixity_status=Fixity.OK).count() == 2


def test_it_checks_a_random_sample_when_asked(three_assets):
    output = run("--sample", "2")
    assert "Checked 2 file(s): 2 intact" in output
    assert MediaAsset.objects.filter(fixity_checked_at__isnull=False).count() == 2
    with pytest.raises(CommandError):
        call_command("check_fixity", "--sample", "0")


def test_it_never_prints_the_uploaded_name_which_may_name_the_narrator(private_storage):
    asset = make_media(testimony=make_testimony(), name="Anahit Hakobyan.wav")
    stored_path(private_storage, asset).unlink()
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("check_fixity", stdout=out)
    assert "Hakobyan" not in out.getvalue()
    assert str(asset.file.name) in out.getvalue()


def test_it_counts_a_file_without_a_checksum_as_a_failure():
    asset = make_media(testimony=make_testimony())
    MediaAsset.objects.filter(pk=asset.pk).update(sha256="")
    report = check_fixity()
    assert report.failed
    assert report.unverifiable == [asset.pk]


def test_it_checks_one_file_on_demand():
    asset = make_media(testimony=make_testimony(), content=wav_bytes(seed=9))
    result = check_asset(asset)
    assert result.status == Fixity.OK
    assert result.found_sha256 == asset.sha256
