"""SQLite keeps no erased words in its files: secure_delete on every connection, and the
-wal file emptied after an erasure, even on a build whose default leaves deleted bytes in
place (simulated here by turning secure_delete off as each connection opens)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

ROOT = Path(__file__).resolve().parents[2]

# What Debian builds in, SQLite's own default is off: every connection starts with it off.
SECURE_DELETE_OFF_BUILD = """
import sqlite3
_connect = sqlite3.dbapi2.connect
def _connect_with_secure_delete_off(*args, **kwargs):
    connection = _connect(*args, **kwargs)
    connection.execute("PRAGMA secure_delete = OFF")
    return connection
sqlite3.dbapi2.connect = _connect_with_secure_delete_off
"""

ERASED_WORDS = ["Pomegranatelanterns", "Zabelgharibyan", "Khndzoresk", "Telephonedcousin"]

ERASURE = """
import json, os, sys
from pathlib import Path
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", verbosity=0)
from archive.accounts.roles import Role
from archive.publishing.consent_changes import withdraw_consent
from archive.publishing.services import withdraw
from tests.factories import make_live_testimony, make_narrator, make_user

narrator = make_narrator(given_name="Anahit", family_name="Zabelgharibyan")
testimony = make_live_testimony(
    narrator=narrator,
    title="Pomegranatelanterns over the gorge",
    transcript="We crossed the bridge at Khndzoresk. Pomegranatelanterns in every window.",
)
archivist = make_user(role=Role.ARCHIVIST)
withdraw(testimony, actor=archivist, reason="Telephonedcousin asked for it")
withdraw_consent(testimony.consent_records.get(), actor=archivist, scope="erase")
# Read the files while the connection is still open: closing the last one checkpoints the
# -wal file into the database by itself.
var = Path(os.environ["ARCHIVE_VAR_DIR"])
found = {
    path.name: [word for word in WORDS if word.encode() in path.read_bytes()]
    for path in sorted(var.glob("archive.sqlite3*"))
}
with connection.cursor() as cursor:
    cursor.execute("PRAGMA secure_delete")
    secure_delete = cursor.fetchone()[0]
Path(sys.argv[1]).write_text(json.dumps({"found": found, "secure_delete": secure_delete}))
"""


def run_erasure(tmp_path: Path) -> dict[str, Any]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "ARCHIVE_VAR_DIR": str(tmp_path / "var"),
        "ARCHIVE_LOG_LEVEL": "CRITICAL",
    }
    script = SECURE_DELETE_OFF_BUILD + f"WORDS = {ERASED_WORDS!r}\n" + ERASURE
    result_file = tmp_path / "result.json"
    subprocess.run(  # noqa: S603 (our own interpreter, our own script)
        [sys.executable, "-c", script, str(result_file)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result_file.read_text())


def test_it_leaves_no_erased_word_in_the_sqlite_files(tmp_path: Path) -> None:
    result = run_erasure(tmp_path)
    assert "archive.sqlite3" in result["found"]
    assert result["found"] == dict.fromkeys(result["found"], [])
    assert result["secure_delete"] == 1


@pytest.mark.django_db
def test_it_turns_secure_delete_on_for_every_new_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if connections["default"].vendor != "sqlite":
        pytest.skip("a SQLite pragma; the PostgreSQL run has the test above")
    connect = sqlite3.dbapi2.connect

    def connect_with_secure_delete_off(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.execute("PRAGMA secure_delete = OFF")
        return connection

    monkeypatch.setattr(sqlite3.dbapi2, "connect", connect_with_secure_delete_off)
    fresh = connections.create_connection("default")
    try:
        with fresh.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone()[0] == 1
    finally:
        fresh.close()
