"""Schemathesis, driven by the API's own OpenAPI document, finds no server error and no
answer that breaks the schema, on any operation (over a small archive)."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.kinds import ArchiveOfEveryKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("generous_rate_limits", "connection_kept_open"),
]


@pytest.fixture
def connection_kept_open() -> Iterator[None]:
    """Schemathesis calls the WSGI handler, whose request signals close the database
    connection, and with it the test's transaction (on PostgreSQL); Django's test client
    keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# No server error, and every answer as documented: its status, content type, headers and
# body. (Not "positive data acceptance": a schema-valid request may still be refused with
# the documented 422, as a date range that ends before it starts or an unclosed bracket
# in the query are on the search page; OpenAPI cannot express either rule.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_it_answers_every_generated_request_within_its_schema_and_without_a_5xx(
    archive: ArchiveOfEveryKind,
) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]
    assert len(operations) == 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=25,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            response = case.call_and_validate(checks=CHECKS)
            assert response.status_code < 500

        check()
