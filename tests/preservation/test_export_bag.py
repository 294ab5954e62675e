"""`manage.py export_bag`: one BagIt bag per testimony, archivist-level or public."""

import io
import json
from pathlib import Path

import bagit
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from archive.audit.models import AuditEntry
from tests.preservation.conftest import EVIDENCE, RESTRICTED_WORDS, SmallArchive, files_of

pytestmark = pytest.mark.django_db


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_bag", *args, stdout=out)
    return out.getvalue()


def metadata_of(bag: Path) -> dict:
    return json.loads((bag / "data" / "metadata.json").read_text(encoding="utf-8"))


def test_it_writes_one_bag_per_testimony_that_bagit_validates(
    small_archive: SmallArchive, bags: Path
) -> None:
    output = export("--all", str(bags))

    written = sorted(path for path in bags.iterdir() if path.is_dir())
    assert [bag.name for bag in written] == sorted(
        t.reference
        for t in (
            small_archive.vera,
            small_archive.pseudonymous,
            small_archive.transcript_restricted,
            small_archive.draft,
            small_archive.withdrawn,
        )
    )
    for path in written:
        bag = bagit.Bag(str(path))
        assert bag.validate()
        assert "sha256" in bag.algorithms
        assert (path / "tagmanifest-sha256.txt").is_file()
    assert "Exported 5 archivist bag(s)." in output


def test_an_archivist_bag_holds_everything_about_the_testimony(
    small_archive: SmallArchive, bags: Path, private_storage: Path
) -> None:
    vera = small_archive.vera
    export("--reference", vera.reference, str(bags))
    bag = bags / vera.reference
    data = bag / "data"

    metadata = metadata_of(bag)
    assert metadata["testimony"]["title"] == "Leaving Stepanakert"
    assert metadata["testimony"]["places"] == [["Armenia", "Stepanakert"]]
    assert metadata["narrator"]["identity"]["family_name"] == "Petrosyan"
    assert [r["number"] for r in metadata["revisions"]] == [1]
    assert metadata["reviews"][0]["decided_by"] == "mher.moderator"
    places = {tuple(p["key"]): p for p in metadata["vocabulary"]["places"]}
    assert {n["name"] for n in places[("Armenia", "Stepanakert")]["names"]} == {
        "Ստեփանակերտ",
        "Степанакерт",
    }
    assert (data / "transcripts" / "hy.txt").read_text() == "Մենք գնացինք։\n\nՄենք չենք վերադառնա։"
    assert (data / "transcripts" / "en.txt").read_text() == "We left.\n\nNo return."
    segments = json.loads((data / "transcripts" / "hy.segments.json").read_text())
    assert [s["recording"] for s in segments] == ["001", "001"]
    for asset, item in zip(vera.media.order_by("pk"), metadata["media"], strict=True):
        stored = (private_storage / str(asset.file.name)).read_bytes()
        assert (data / item["file"]).read_bytes() == stored
    records = json.loads((data / "consent" / "records.json").read_text())
    assert (data / records[0]["evidence"]).read_bytes() == EVIDENCE
    assert [entry["action"] for entry in records[0]["history"]] == []
    actions = [e["action"] for e in json.loads((data / "audit.json").read_text())]
    assert actions == ["publishing.submit", "publishing.approve"]
    assert b"<dc:identifier>" + vera.reference.encode() in (data / "dublin_core.xml").read_bytes()

    info = bagit.Bag(str(bag)).info
    assert info["Source-Organization"] == settings.SITE_NAME
    assert info["External-Identifier"] == vera.reference
    assert info["Bagging-Date"] == timezone.localtime(vera.updated_at).date().isoformat()
    assert AuditEntry.objects.filter(action="preservation.bag_exported", testimony=vera).exists()


def test_it_writes_the_same_bytes_every_time(small_archive: SmallArchive, bags: Path) -> None:
    export("--all", str(bags / "first"))
    export("--all", str(bags / "second"))

    assert files_of(bags / "first") == files_of(bags / "second")


def test_it_refuses_to_overwrite_a_bag(small_archive: SmallArchive, bags: Path) -> None:
    reference = small_archive.vera.reference
    export("--reference", reference, str(bags))
    before = files_of(bags)

    with pytest.raises(CommandError, match="already exists"):
        export("--reference", reference, str(bags))
    assert files_of(bags) == before


def test_it_refuses_an_unknown_reference(db: None, bags: Path) -> None:
    with pytest.raises(CommandError, match="No testimony has the reference TA-1999-0001"):
        export("--reference", "TA-1999-0001", str(bags))


class PublicBagTests:
    def test_public_bags_validate_and_leave_out_what_the_public_may_not_see(
        self, small_archive: SmallArchive, bags: Path
    ) -> None:
        output = export("--all", "--public", str(bags))

        written = sorted(path.name for path in bags.iterdir())
        assert written == sorted(
            [
                small_archive.vera.reference,
                small_archive.pseudonymous.reference,
                small_archive.transcript_restricted.reference,
            ]
        )
        assert f"Skipped {small_archive.draft.reference}" in output
        assert f"Skipped {small_archive.withdrawn.reference}" in output
        for name in written:
            bag = bags / name
            assert bagit.Bag(str(bag)).validate()
            assert bagit.Bag(str(bag)).info["Testimony-Archive-Bag-Level"] == "public"
            payload = {str(p.relative_to(bag / "data")) for p in (bag / "data").rglob("*")}
            assert not any(p.startswith(("consent", "audit")) for p in payload)
            everything = b"".join(files_of(bag).values())
            assert EVIDENCE not in everything
            assert b"Not yet approved text." not in everything
            assert b"A withdrawn account" not in everything
            assert b"identity" not in everything
            assert b'"original_name"' not in everything

    def test_the_narrator_is_named_as_the_disclosure_names_them_for_the_public(
        self, small_archive: SmallArchive, bags: Path
    ) -> None:
        export("--all", "--public", str(bags))

        vera = metadata_of(bags / small_archive.vera.reference)
        assert vera["narrator"] == {"name": "Vera Petrosyan"}
        lilit_bag = bags / small_archive.pseudonymous.reference
        assert metadata_of(lilit_bag)["narrator"] == {"name": "Lilit"}
        everything = b"".join(files_of(lilit_bag).values())
        assert b"Anahit" not in everything
        assert b"Sargsyan" not in everything
        assert b"<dc:creator>Lilit</dc:creator>" in everything

    def test_restricted_transcripts_and_files_stay_out(
        self, small_archive: SmallArchive, bags: Path
    ) -> None:
        export("--all", "--public", str(bags))

        restricted = bags / small_archive.transcript_restricted.reference
        assert not (restricted / "data" / "transcripts").exists()
        assert RESTRICTED_WORDS.encode() not in b"".join(files_of(restricted).values())
        vera = bags / small_archive.vera.reference
        staff_only = small_archive.vera.media.get(access_level="staff")
        assert [m["key"] for m in metadata_of(vera)["media"]] == ["001"]
        assert staff_only.sha256 not in (vera / "manifest-sha256.txt").read_text()
        assert sorted(p.name for p in (vera / "data" / "media").iterdir()) == ["001-audio.wav"]

    def test_it_refuses_a_public_bag_of_a_testimony_the_public_may_not_see(
        self, small_archive: SmallArchive, bags: Path
    ) -> None:
        for testimony in (small_archive.draft, small_archive.withdrawn):
            with pytest.raises(CommandError, match="is not public"):
                export("--reference", testimony.reference, "--public", str(bags))
        assert not bags.exists() or list(bags.iterdir()) == []
