import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.django_db
def test_it_reports_a_reachable_database(anonymous):
    response = anonymous.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: a PostgreSQL URL on a port where nothing listens.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("ARCHIVE_", "DATABASE_"))},
        "DJANGO_SETTINGS_MODULE": "archive.settings",
        "DATABASE_URL": "postgres://archive@127.0.0.1:9/archive?connect_timeout=2",
        "ARCHIVE_VAR_DIR": str(tmp_path),
        "ARCHIVE_LOG_LEVEL": "CRITICAL",
        "ARCHIVE_ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer == {"status": 503, "body": {"database": "unreachable"}}


def test_it_refuses_other_methods(anonymous, db):
    assert anonymous.post(reverse("healthz")).status_code == 405
