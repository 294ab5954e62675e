"""The client's address behind proxies: taken from a configured number of hops of
X-Forwarded-For, never from what the client wrote itself, and used alike by the login
lockout, the API's limit and the access and audit logs."""

from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client, RequestFactory
from django.urls import reverse

from archive.audit.models import AuditEntry
from archive.lib.client_address import address_block, client_address, parse_address
from archive.public.models import AccessRecord
from tests.conftest import client_for
from tests.factories import TEST_PASSWORD, make_testimony, make_verified_consent

PROXY = "10.0.0.7"
ALICE = "203.0.113.5"
BOB = "198.51.100.9"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def address(settings: Any, hops: int, forwarded: str | None, peer: str = PROXY) -> str | None:
    settings.PROXY_HOPS = hops
    headers: dict[str, Any] = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_a_proxy_it_ignores_x_forwarded_for(settings):
    assert address(settings, 0, ALICE, peer=BOB) == BOB


def test_behind_one_proxy_it_takes_the_entry_the_proxy_wrote(settings):
    assert address(settings, 1, ALICE) == ALICE
    # A client that writes its own header first cannot choose its address.
    assert address(settings, 1, f"{BOB}, 192.0.2.1, {ALICE}") == ALICE


def test_behind_two_proxies_it_counts_two_entries_from_the_right(settings):
    assert address(settings, 2, f"{BOB}, {ALICE}, 10.0.0.3") == ALICE
    # Reached through the inner proxy alone: its one entry is still a proxy's word.
    assert address(settings, 2, ALICE) == ALICE


def test_it_falls_back_to_the_peer_when_the_header_is_missing_or_not_an_address(settings):
    assert address(settings, 1, None) == PROXY
    assert address(settings, 1, f"{ALICE}, unknown") == PROXY
    assert address(settings, 1, f"{ALICE}, <script>") == PROXY


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("203.0.113.5:41234", "203.0.113.5"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("2001:DB8:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.5", "203.0.113.5"),
        ("", None),
        ("example.org", None),
        ("1" * 100, None),
    ],
)
def test_it_reads_the_forms_proxies_write(written, read):
    assert parse_address(written) == read


def test_it_counts_ipv6_clients_by_their_64_network():
    assert address_block("2001:db8:1:2:a::1") == address_block("2001:db8:1:2:b::7")
    assert address_block("2001:db8:1:2::1") != address_block("2001:db8:1:3::1")
    assert address_block(ALICE) == ALICE
    assert address_block(None) == "unknown"


# Through the whole stack, as gunicorn hands requests over behind one proxy (REMOTE_ADDR is
# the proxy), with the README's ARCHIVE_BEHIND_PROXY=1.


def behind_proxy(client_ip: str, forged: str = "") -> dict[str, Any]:
    chain = f"{forged}, {client_ip}" if forged else client_ip
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


@pytest.fixture
def one_proxy(settings: Any) -> None:
    settings.PROXY_HOPS = 1
    settings.AXES_FAILURE_LIMIT = 3
    cache.clear()


def log_in(username: str, password: str, **meta: Any) -> Any:
    return Client().post(
        reverse("accounts:login"), {"username": username, "password": password}, **meta
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("one_proxy")
def test_one_clients_bad_passwords_do_not_lock_out_another_behind_the_same_proxy(researcher):
    for _ in range(3):
        log_in(researcher.username, "wrong password", **behind_proxy(ALICE))

    assert log_in(researcher.username, TEST_PASSWORD, **behind_proxy(ALICE)).status_code == 429
    # A forged first entry does not get Alice out of her lock.
    assert (
        log_in(researcher.username, TEST_PASSWORD, **behind_proxy(ALICE, forged=BOB)).status_code
        == 429
    )
    assert log_in(researcher.username, TEST_PASSWORD, **behind_proxy(BOB)).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("one_proxy")
def test_the_apis_address_limit_counts_each_client_behind_the_proxy(settings):
    settings.API_RATE_LIMIT_PER_IP = 2
    client = Client()
    answers = [client.get("/api/places/", **behind_proxy(ALICE)).status_code for _ in range(3)]
    # Forging entries to the left buys no fresh allowance.
    forged = client.get("/api/places/", **behind_proxy(ALICE, forged="192.0.2.77")).status_code

    assert answers == [200, 200, 429]
    assert forged == 429
    assert client.get("/api/places/", **behind_proxy(BOB)).status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("one_proxy")
def test_the_access_and_audit_logs_record_the_client(archivist):
    testimony = make_testimony()
    record = make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    record.evidence.save("form.pdf", ContentFile(PDF))
    client = client_for(archivist)

    response: Any = client.get(
        reverse("consent_evidence_file", args=[record.pk]), **behind_proxy(ALICE, forged=BOB)
    )
    b"".join(response.streaming_content)
    client.post(
        reverse("api_tokens"),
        {"action": "create", "name": "scripts", "valid_for": "30"},
        **behind_proxy(ALICE, forged=BOB),
    )

    assert AccessRecord.objects.get().ip_address == ALICE
    assert AuditEntry.objects.get(action="api.token.create").ip_address == ALICE


def hops_read_from(env: dict[str, str], tmp_path: Any) -> str:
    from tests.lib.test_env import run_manage

    code = "from django.conf import settings; print(settings.PROXY_HOPS)"
    result = run_manage("shell", "-c", code, env={**env, "ARCHIVE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_behind_a_proxy_as_the_readme_says_it_trusts_one_hop_unless_told(tmp_path):
    assert hops_read_from({}, tmp_path) == "0"
    assert hops_read_from({"ARCHIVE_BEHIND_PROXY": "1"}, tmp_path) == "1"
    assert hops_read_from({"ARCHIVE_BEHIND_PROXY": "1", "ARCHIVE_PROXY_HOPS": "2"}, tmp_path) == "2"
