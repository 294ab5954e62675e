"""A small archive for search tests, built once per module: every kind of testimony the
leak matrix needs, each holding a word that no other testimony holds."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from archive.accounts.roles import Role
from archive.publishing import services
from archive.publishing.consent_changes import withdraw_consent
from archive.search.engine import forget_index
from archive.testimonies.models import Narrator, NarratorIdentity, PlaceName, Testimony
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_narrator,
    make_place,
    make_subject,
    make_testimony,
    make_user,
    make_verified_consent,
)


@dataclass
class SearchableArchive:
    testimonies: dict[str, Testimony]
    # The word that only this testimony's transcript holds, per kind.
    secrets: dict[str, str]
    places: dict[str, Any]
    subjects: dict[str, Any]
    collections: dict[str, Any]


SECRETS = {
    "public": "quince",
    "researchers_only": "zephyrine",
    "staff_only": "quillwort",
    "draft": "marzipan",
    "in_review": "tamarind",
    "embargoed": "obsidian",
    "withdrawn": "kestrel",
    "erased": "pomegranate",
    "transcript_for_researchers": "lighthouse",
}


def _build(index_dir: Path) -> SearchableArchive:
    armenia = make_place(name="Armenia", kind="country")
    karabakh = make_place(name="Nagorno-Karabakh", kind="region")
    stepanakert = make_place(name="Stepanakert", kind="city", parent=karabakh)
    for language, name in [
        ("az-Latn", "Xankəndi"),
        ("en", "Khankendi"),
        ("hy", "Ստեփանակերտ"),
        ("ru", "Степанакерт"),
    ]:
        PlaceName.objects.create(place=stepanakert, language=language, name=name)
    goris = make_place(name="Goris", kind="city", parent=armenia)
    shushi = make_place(name="Shushi", kind="city", parent=karabakh)
    displacement = make_subject(label="Displacement")
    exodus = make_subject(label="Exodus of 2023", parent=displacement)
    blockade = make_subject(label="Blockade")
    september = make_collection(title="Exodus of September 2023", slug="exodus-2023")
    diaries = make_collection(title="Blockade diaries", slug="blockade-diaries")

    vera = make_live_testimony(
        title="I left everything behind",
        narrator=make_narrator(
            given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        transcript=(
            "I left everything behind. I don't know what is in store for me.\n\n"
            "Our village emptied in a night; I taught at its school for forty years. quince"
        ),
        recorded_on=date(2023, 9, 26),
        recorded_precision="day",
        period_start_year=2023,
        period_end_year=2023,
        collection=september,
        places=[stepanakert],
        subjects=[exodus],
    )
    NarratorIdentity.objects.filter(narrator=vera.narrator).update(
        name_in_original_script="Վերա Պետրոսյան"
    )
    russian = make_live_testimony(
        title="Зима в Шуши",
        language="ru",
        transcript="В деревнях не было хлеба. Мы жили в подвале всю зиму.",
        recorded_on=date(2021, 3, 1),
        recorded_precision="month",
        period_start_year=1992,
        period_end_year=2021,
        collection=diaries,
        narrator=make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Mariam K."),
        places=[shushi],
        subjects=[blockade],
    )
    armenian = make_live_testimony(
        title="Գյուղից հեռանալը",
        language="hy",
        transcript=(
            "Մենք գյուղից գնացինք աշնանը։ Գյուղերում ոչ ոք չմնաց։ Ես հիշում եմ Խանքենդի անունը։"
        ),
        recorded_on=date(2024, 5, 14),
        recorded_precision="day",
        narrator=make_narrator(
            given_name="Anahit",
            family_name="Hakobyan",
            attribution=Narrator.Attribution.PSEUDONYM,
            pseudonym="Anahit P.",
        ),
        places=[goris],
    )
    testimonies = {"vera": vera, "russian": russian, "armenian": armenian}

    def secret_text(kind: str) -> str:
        return f"A testimony of the kind {kind.replace('_', ' ')}: {SECRETS[kind]}."

    testimonies["public"] = vera
    testimonies["researchers_only"] = make_live_testimony(
        title="Research material",
        access_level="researchers",
        transcript=secret_text("researchers_only"),
    )
    testimonies["staff_only"] = make_live_testimony(
        title="Staff material", access_level="staff", transcript=secret_text("staff_only")
    )
    draft = make_testimony(title="A draft", access_level="public", transcript=secret_text("draft"))
    make_verified_consent(narrator=draft.narrator, testimonies=[draft])
    testimonies["draft"] = draft
    in_review = make_testimony(
        title="Waiting", access_level="public", transcript=secret_text("in_review")
    )
    make_verified_consent(narrator=in_review.narrator, testimonies=[in_review])
    services.submit_for_review(in_review, actor=make_user(role=Role.CONTRIBUTOR))
    testimonies["in_review"] = in_review
    testimonies["embargoed"] = make_live_testimony(
        title="Embargoed",
        transcript=secret_text("embargoed"),
        consent={"embargo_until": date(2099, 1, 1)},
    )
    withdrawn = make_live_testimony(title="Withdrawn", transcript=secret_text("withdrawn"))
    services.withdraw(withdrawn, actor=make_user(role=Role.MODERATOR), reason="Family asked.")
    testimonies["withdrawn"] = withdrawn
    erased = make_live_testimony(title="Erased", transcript=secret_text("erased"))
    withdraw_consent(
        erased.consent_records.get(), actor=make_user(role=Role.ARCHIVIST), scope="erase"
    )
    testimonies["erased"] = erased
    testimonies["transcript_for_researchers"] = make_live_testimony(
        title="Lights of the harbour",
        transcript=secret_text("transcript_for_researchers"),
        consent={"allows_public_transcript": False},
    )
    testimonies["full_name_without_consent"] = make_live_testimony(
        title="Nameless",
        narrator=make_narrator(
            given_name="Gor", family_name="Sargsyan", attribution=Narrator.Attribution.FULL_NAME
        ),
        consent={"allows_name_disclosure": False},
    )
    return SearchableArchive(
        testimonies=testimonies,
        secrets=SECRETS,
        places={"stepanakert": stepanakert, "goris": goris, "shushi": shushi, "armenia": armenia},
        subjects={"displacement": displacement, "exodus": exodus, "blockade": blockade},
        collections={"september": september, "diaries": diaries},
    )


@pytest.fixture(scope="module")
def module_index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("search-index")
    yield path
    forget_index(path)


@pytest.fixture
def search_index(module_index_dir: Path, settings: Any) -> Path:
    """Search tests share their module's index (built with the archive below)."""
    settings.SEARCH_INDEX_DIR = module_index_dir
    return module_index_dir


@pytest.fixture(scope="module")
def archive(
    django_db_setup: Any, django_db_blocker: Any, module_index_dir: Path, tmp_path_factory: Any
) -> Iterator[SearchableArchive]:
    media = tmp_path_factory.mktemp("media")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with (
        override_settings(SEARCH_INDEX_DIR=module_index_dir, STORAGES=storages),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield _build(module_index_dir)
        transaction.set_rollback(True)
