"""The search tests' archive, built once per module into the module's index: three accounts
in three languages, and a testimony of every kind (tests/kinds.py)."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from archive.search.engine import forget_index
from archive.testimonies.models import Narrator, NarratorIdentity, PlaceName
from tests.factories import (
    make_collection,
    make_live_testimony,
    make_narrator,
    make_place,
    make_subject,
)
from tests.kinds import ArchiveOfEveryKind, build_archive_of_every_kind


def _build() -> ArchiveOfEveryKind:
    """Three accounts in three languages and scripts, which the search page's tests find by
    their words, names and places; then a testimony of every kind (tests/kinds.py)."""
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
            "Our village emptied in a night; I taught at its school for forty years."
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
    archive = build_archive_of_every_kind()
    archive.testimonies.update(vera=vera, russian=russian, armenian=armenian)
    archive.places.update(stepanakert=stepanakert, goris=goris, shushi=shushi, armenia=armenia)
    archive.subjects.update(displacement=displacement, exodus=exodus, blockade=blockade)
    archive.collections.update(september=september, diaries=diaries)
    return archive


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
) -> Iterator[ArchiveOfEveryKind]:
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
        yield _build()
        transaction.set_rollback(True)
