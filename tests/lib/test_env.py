import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from archive.lib.env import (
    database_from_url,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]


def test_it_reads_booleans_in_the_usual_spellings(monkeypatch):
    for word, expected in [
        ("1", True),
        ("yes", True),
        ("On", True),
        ("0", False),
        ("false", False),
    ]:
        monkeypatch.setenv("ARCHIVE_FLAG", word)
        assert env_bool("ARCHIVE_FLAG", not expected) is expected


def test_it_returns_the_default_for_unset_or_blank_variables(monkeypatch):
    monkeypatch.delenv("ARCHIVE_FLAG", raising=False)
    assert env_bool("ARCHIVE_FLAG", True) is True
    monkeypatch.setenv("ARCHIVE_FLAG", "  ")
    assert env_int("ARCHIVE_FLAG", 7) == 7
    assert env_str("ARCHIVE_FLAG", "fallback") == "fallback"


def test_it_refuses_a_malformed_boolean_naming_the_variable(monkeypatch):
    monkeypatch.setenv("ARCHIVE_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match=r"ARCHIVE_DEBUG='maybe' is not a boolean"):
        env_bool("ARCHIVE_DEBUG", False)


def test_it_refuses_a_malformed_or_too_small_number(monkeypatch):
    monkeypatch.setenv("ARCHIVE_HSTS_SECONDS", "a year")
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("ARCHIVE_HSTS_SECONDS", 0)
    monkeypatch.setenv("ARCHIVE_HSTS_SECONDS", "-5")
    with pytest.raises(ImproperlyConfigured, match="below the minimum of 0"):
        env_int("ARCHIVE_HSTS_SECONDS", 0, minimum=0)


def test_it_splits_lists_on_commas(monkeypatch):
    monkeypatch.setenv("ARCHIVE_ALLOWED_HOSTS", " archive.example.org, ,www.archive.example.org ")
    assert env_list("ARCHIVE_ALLOWED_HOSTS") == ["archive.example.org", "www.archive.example.org"]


def test_it_reads_a_postgres_url_with_options():
    database = database_from_url(
        "DATABASE_URL", "postgres://archive:s%40cret@db.internal:6432/testimonies?sslmode=require"
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["NAME"], database["USER"], database["PASSWORD"]) == (
        "testimonies",
        "archive",
        "s@cret",
    )
    assert (database["HOST"], database["PORT"]) == ("db.internal", "6432")
    assert database["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/archive", "scheme 'mysql'"),
        ("postgres://localhost", "names no database"),
        ("postgres://localhost:port/archive", "port that is not a number"),
    ],
)
def test_it_refuses_a_database_url_it_cannot_use(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        database_from_url("DATABASE_URL", url)


def test_it_reads_one_of_a_fixed_set_of_words_and_refuses_others(monkeypatch):
    monkeypatch.delenv("ARCHIVE_S3_ENCRYPTION", raising=False)
    assert env_choice("ARCHIVE_S3_ENCRYPTION", "AES256", ["AES256", "aws:kms"]) == "AES256"
    monkeypatch.setenv("ARCHIVE_S3_ENCRYPTION", "aws:kms")
    assert env_choice("ARCHIVE_S3_ENCRYPTION", "AES256", ["AES256", "aws:kms"]) == "aws:kms"
    monkeypatch.setenv("ARCHIVE_S3_ENCRYPTION", "aes256")
    with pytest.raises(ImproperlyConfigured, match=r"ARCHIVE_S3_ENCRYPTION='aes256'; use one"):
        env_choice("ARCHIVE_S3_ENCRYPTION", "AES256", ["AES256", "aws:kms"])


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "DATABASE_"))}
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_stops_at_start_up_on_a_malformed_variable(tmp_path):
    result = run_manage("check", env={"ARCHIVE_DEBUG": "perhaps", "ARCHIVE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ARCHIVE_DEBUG='perhaps' is not a boolean" in result.stderr


def test_it_requires_a_secret_key_in_production(tmp_path):
    result = run_manage("check", env={"ARCHIVE_DEBUG": "0", "ARCHIVE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "ARCHIVE_SECRET_KEY must be set" in result.stderr


def test_it_passes_the_deployment_checklist_with_production_variables(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={
            "ARCHIVE_DEBUG": "0",
            "ARCHIVE_SECRET_KEY": "x7$Qm2!vR9#pL4@wZ8^nB6&cT1*eY5(uJ3)kH0_gF" * 2,
            "ARCHIVE_ALLOWED_HOSTS": "archive.example.org",
            "ARCHIVE_EMAIL_HOST": "smtp.example.org",
            "ARCHIVE_VAR_DIR": str(tmp_path),
        },
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
