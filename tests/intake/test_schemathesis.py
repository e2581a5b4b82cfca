"""The API against its own OpenAPI document: generated requests never cause a server error, and
every response matches the schema (schemathesis, in-process WSGI, a real token)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from amicable.intake.tokens import issue_token
from tests.factories import make_creditor, make_file

APPLICATION = WSGIHandler()
# Read from the running application, as a client reads it (the document needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPLICATION)


@pytest.fixture
def bearer(db: None) -> Iterator[str]:
    """A valid token of a creditor that has one file, for every generated request."""
    # Django closes the database connection at the end of each request, which would end the
    # test's transaction; the test client switches that off the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    creditor = make_creditor()
    make_file(creditor=creditor)
    try:
        yield issue_token(creditor=creditor, name="schemathesis", actor="test").secret
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)
def test_api_conforms_to_its_schema(case: Any, bearer: str) -> None:
    checks = [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
        ignored_auth,
    ]
    # A batch answers 200 with each invalid file refused on its own (by design: one bad file
    # must not refuse the others), so schema-invalid items are not a refused request there.
    if not case.path.endswith("/batch"):
        checks.append(negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"}, checks=checks)
