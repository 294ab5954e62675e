"""`manage.py import_bag`: validating bags, refusing tampered ones, and the round trip."""

import io
import shutil
from pathlib import Path
from typing import Any

import bagit
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from archive.accounts.audience import Audience
from archive.audit.models import AuditEntry
from archive.consent.models import ConsentRecord, StoredDisclosure
from archive.consent.policy import disclosed_content
from archive.search.query import parse_query
from archive.search.searching import search
from archive.testimonies.models import MediaAsset, Narrator, ReferenceSequence, Testimony
from tests.preservation.conftest import SmallArchive, empty_the_archive, files_of

pytestmark = pytest.mark.django_db


def export(*args: str) -> None:
    call_command("export_bag", *args, stdout=io.StringIO())


def import_bag(source: Path) -> str:
    out = io.StringIO()
    call_command("import_bag", str(source), stdout=out)
    return out.getvalue()


@pytest.fixture
def exported(small_archive: SmallArchive, bags: Path, settings: Any, tmp_path: Path) -> Path:
    """Every testimony exported, then an empty database and an empty storage."""
    export("--all", str(bags / "first"))
    export("--all", "--public", str(bags / "public"))
    empty_the_archive()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "restored", "base_url": None},
        },
    }
    return bags / "first"


def stored_files(tmp_path: Path) -> list[Path]:
    return [path for path in (tmp_path / "restored").rglob("*") if path.is_file()]


def test_the_round_trip_gives_back_identical_bags(
    exported: Path, bags: Path, small_archive: SmallArchive
) -> None:
    output = import_bag(exported)
    export("--all", str(bags / "second"))

    assert "Imported 5 testimony(ies)." in output
    assert files_of(bags / "second") == files_of(exported)


def test_an_imported_archive_shows_the_public_what_it_showed_before(
    exported: Path, small_archive: SmallArchive
) -> None:
    import_bag(exported)

    vera = Testimony.objects.get(reference=small_archive.vera.reference)
    content = disclosed_content(vera, Audience.PUBLIC)
    assert content is not None
    assert content["narrator_name"] == "Vera Petrosyan"
    assert [m["id"] for m in content["media"]] == [vera.media.get(access_level="public").pk]
    assert StoredDisclosure.objects.get(testimony=vera).metadata == Audience.PUBLIC
    draft = Testimony.objects.get(reference=small_archive.draft.reference)
    assert StoredDisclosure.objects.get(testimony=draft).metadata == Audience.STAFF
    hits = search(parse_query("Stepanakert"), audience=Audience.PUBLIC)
    assert hits.testimony_ids == [vera.pk]
    # Numbers are kept: "Narrator N" is cited and must not change.
    assert set(Narrator.objects.values_list("pk", flat=True)) == {
        t.narrator_id for t in vars(small_archive).values()
    }
    assert ReferenceSequence.objects.get(year=int(vera.reference[3:7])).last_number == 5
    assert AuditEntry.objects.filter(action="preservation.bag_imported").count() == 5


def refused(source: Path, match: str, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=match) as error:
        import_bag(source)
    assert "Nothing was imported" in str(error.value)
    assert Testimony.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert stored_files(tmp_path) == []


def vera_bag(exported: Path, small_archive: SmallArchive) -> Path:
    return exported / small_archive.vera.reference


class TamperingTests:
    def test_a_changed_payload_byte_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        recording = vera_bag(exported, small_archive) / "data" / "media" / "001-audio.wav"
        content = bytearray(recording.read_bytes())
        content[100] ^= 1
        recording.write_bytes(bytes(content))

        refused(exported, r"not a valid bag.*001-audio\.wav", tmp_path)

    def test_a_changed_manifest_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        manifest = vera_bag(exported, small_archive) / "manifest-sha256.txt"
        lines = manifest.read_text().splitlines()
        lines[0] = "0" * 64 + lines[0][64:]
        manifest.write_text("\n".join(lines) + "\n")

        refused(exported, "not a valid bag.*manifest-sha256.txt", tmp_path)

    def test_a_missing_file_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        (vera_bag(exported, small_archive) / "data" / "transcripts" / "en.txt").unlink()

        refused(exported, r"not a valid bag.*en\.txt", tmp_path)

    def test_an_extra_file_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        extra = vera_bag(exported, small_archive) / "data" / "media" / "003-audio.wav"
        extra.write_bytes(b"RIFF not ours")

        refused(exported, r"not a valid bag.*003-audio\.wav", tmp_path)

    def test_a_changed_bag_info_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        info = vera_bag(exported, small_archive) / "bag-info.txt"
        info.write_text(info.read_text().replace("Testimony Archive", "Another Archive"))

        refused(exported, "not a valid bag.*bag-info.txt", tmp_path)

    def test_a_bag_without_its_tag_manifest_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        (vera_bag(exported, small_archive) / "tagmanifest-sha256.txt").unlink()

        refused(exported, "tag manifest", tmp_path)

    def test_a_public_bag_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path, bags: Path
    ) -> None:
        public = bags / "public"
        shutil.rmtree(vera_bag(exported, small_archive))
        shutil.copytree(public / small_archive.vera.reference, vera_bag(exported, small_archive))

        refused(exported, "public bag", tmp_path)

    def test_a_bag_that_is_valid_but_not_ours_is_refused(
        self, exported: Path, small_archive: SmallArchive, tmp_path: Path
    ) -> None:
        foreign = exported / "foreign"
        foreign.mkdir()
        (foreign / "notes.txt").write_text("a bag from elsewhere")
        bagit.make_bag(str(foreign), checksums=["sha256"])

        refused(exported, "foreign: data/metadata.json is missing", tmp_path)


def test_an_existing_reference_is_refused_and_the_files_written_are_removed(
    exported: Path, small_archive: SmallArchive, tmp_path: Path
) -> None:
    import_bag(exported / small_archive.pseudonymous.reference)

    with pytest.raises(CommandError, match=f"{small_archive.pseudonymous.reference} already"):
        import_bag(exported)
    # Vera's bag came first and wrote her recordings and consent form; all are gone again.
    assert Testimony.objects.count() == 1
    assert MediaAsset.objects.count() == 0
    assert stored_files(tmp_path) == []


def rewrite_and_rebag(bag: Path, relative: str, content: str) -> None:
    """Change a payload file and update the manifests, as someone building a hostile bag
    by hand would: bagit's checks then pass, and only the archive's own reading is left."""
    (bag / "data" / relative).write_text(content)
    bagit.Bag(str(bag)).save(manifests=True)


@pytest.mark.parametrize(
    ("relative", "content", "match"),
    [
        ("audit.json", "[" * 100_000 + "]" * 100_000, "audit.json was refused: it is nested"),
        ("audit.json", "[" * 500 + "]" * 500, "audit.json was refused: it is nested"),
        ("audit.json", "[" + "9" * 5000 + "]", "audit.json was refused: it holds a number"),
        ("consent/records.json", '[{"id": NaN}]', "records.json was refused: it holds NaN"),
        ("audit.json", '[{"data": "\\u0000"}]', "audit.json was refused: it holds a NUL"),
    ],
)
def test_a_bag_with_hostile_json_is_refused_with_a_clear_message(
    exported: Path,
    small_archive: SmallArchive,
    tmp_path: Path,
    relative: str,
    content: str,
    match: str,
) -> None:
    rewrite_and_rebag(vera_bag(exported, small_archive), relative, content)

    refused(exported, match, tmp_path)
