"""The interface catalogues (archive/locale/<lang>/LC_MESSAGES/django.po) are complete and the
committed .mo files are exactly what the .po files compile to.

The .mo files are committed so that a machine without GNU gettext serves translated pages;
a .po edited without running `manage.py compilemessages` would silently show stale text,
which the last test catches. Modification times are not compared: git does not keep them.
"""

import ast
import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# Every interface language but the one the source strings are written in.
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

# What a translation must carry over unchanged: Python format placeholders, str.format
# fields and HTML tags.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}|<[^<>]+>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def parse_po(path: Path) -> list[Entry]:
    """The live (not obsolete) entries of a .po file, header first. Enough of the format
    for what makemessages writes: flags, msgctxt, msgid(_plural), msgstr(/[n]) with
    continuation lines."""
    entries: list[Entry] = []
    entry = Entry()
    keyword: str | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        match = re.fullmatch(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")', line)
        if match:
            keyword = match.group(1)
            if keyword in ("msgctxt", "msgid") and (entry.msgid or entry.msgstr):
                entries.append(entry)
                entry = Entry()
            entry.line = entry.line or number
            text = ast.literal_eval(match.group(3))
        elif line.startswith('"') and keyword:
            text = ast.literal_eval(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
        if keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + text
        elif keyword == "msgid":
            entry.msgid += text
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + text
        else:
            assert keyword is not None
            index = int(keyword[7:-1]) if "[" in keyword else 0
            entry.msgstr[index] = entry.msgstr.get(index, "") + text
    entries.append(entry)
    assert entries[0].msgid == "", f"{path} has no header"
    return entries


def parse_mo(path: Path) -> dict[str, str]:
    """The catalogue of a GNU .mo file, keys and values as msgfmt stores them (context and
    id joined by EOT, plural ids and forms joined by NUL)."""
    data = path.read_bytes()
    order = "<" if data[:4] == struct.pack("<I", 0x950412DE) else ">"
    _magic, _revision, count, ids_at, strs_at = struct.unpack(order + "5I", data[:20])

    def string(table: int, index: int) -> str:
        start = table + 8 * index
        length, offset = struct.unpack(order + "2I", data[start : start + 8])
        return data[offset : offset + length].decode("utf-8")

    return {string(ids_at, index): string(strs_at, index) for index in range(count)}


def catalogue(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def nplurals(header: str) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", header)
    assert match, "the header has no Plural-Forms"
    return int(match.group(1))


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_translates_every_message(language: str) -> None:
    header, *entries = parse_po(catalogue(language))
    assert entries, f"the {language} catalogue is empty"
    forms = nplurals(header.msgstr[0])
    untranslated = [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in entries
        if not all(entry.msgstr.values())
        or len(entry.msgstr) != (forms if entry.msgid_plural is not None else 1)
    ]
    fuzzy = [f"line {entry.line}: {entry.msgid!r}" for entry in entries if "fuzzy" in entry.flags]
    assert not untranslated, f"untranslated in {language}: {untranslated}"
    assert not fuzzy, f"fuzzy in {language}: {fuzzy}"
    assert "fuzzy" not in header.flags
    assert f"Language: {language}\n" in header.msgstr[0]


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_keeps_placeholders_and_tags_in_translations(language: str) -> None:
    wrong = []
    for entry in parse_po(catalogue(language))[1:]:
        sources = [entry.msgid] if entry.msgid_plural is None else [entry.msgid_plural]
        expected = sorted(PLACEHOLDER.findall(sources[0]))
        for form, text in entry.msgstr.items():
            if sorted(PLACEHOLDER.findall(text)) != expected:
                wrong.append(f"line {entry.line} form {form}: {entry.msgid!r} -> {text!r}")
    assert not wrong, f"placeholders or tags changed in {language}: {wrong}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_it_ships_the_compiled_catalogue_of_the_current_po_file(language: str) -> None:
    compiled = catalogue(language).with_suffix(".mo")
    assert compiled.exists(), f"run `manage.py compilemessages`: {compiled} is missing"
    expected = {}
    for entry in parse_po(catalogue(language)):
        key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\0{entry.msgid_plural}"
        if entry.msgctxt is not None:
            key = f"{entry.msgctxt}\x04{key}"
        expected[key] = "\0".join(entry.msgstr[index] for index in sorted(entry.msgstr))
    # msgfmt leaves this one header field out of the .mo.
    expected[""] = re.sub(r"POT-Creation-Date:[^\n]*\n", "", expected[""])

    assert parse_mo(compiled) == expected, (
        f"{compiled} differs from its .po: run `manage.py compilemessages`"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_it_serves_the_pages_in_the_language_chosen(anonymous: Client, language: str) -> None:
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        expected = [gettext("Skip to content"), gettext("Search the testimonies")]
    assert "Skip to content" not in expected  # the catalogue is loaded, not the English

    page = anonymous.get("/").content.decode()

    assert f'<html lang="{language}"' in page
    assert all(text in page for text in expected)
