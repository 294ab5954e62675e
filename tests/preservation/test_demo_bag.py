"""A bag of Vera Petrosyan's testimony from the demo archive, checked by bagit's own
command-line tool (the one the bagit package installs), as another archive would."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.demo.seed import load_demo_archive
from archive.testimonies.models import Testimony

pytestmark = pytest.mark.django_db

BAGIT_TOOL = Path(sys.executable).parent / "bagit.py"


def bagit_validate(bag: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 (a fixed tool on a path we made)
        [str(BAGIT_TOOL), "--validate", str(bag)], capture_output=True, text=True, check=False
    )


def test_a_bag_of_vera_petrosyans_testimony_validates_with_the_bagit_tool(bags: Path) -> None:
    load_demo_archive()
    vera = Testimony.objects.get(external_id="demo:vera-petrosyan")
    for folder, level in (("all", []), ("public", ["--public"])):
        destination = str(bags / folder)
        call_command(
            "export_bag", "--reference", vera.reference, *level, destination, stdout=io.StringIO()
        )

    for folder in ("all", "public"):
        bag = bags / folder / vera.reference
        result = bagit_validate(bag)
        assert result.returncode == 0, result.stderr
        assert "is valid" in result.stderr

    # The tool really checks: one changed byte and it fails.
    transcript = next((bags / "all" / vera.reference / "data" / "transcripts").glob("*.txt"))
    transcript.write_bytes(transcript.read_bytes() + b" ")
    assert bagit_validate(bags / "all" / vera.reference).returncode != 0
