"""The API against its own OpenAPI document (schemathesis, in-process WSGI, a real token).

Schemathesis's default checks must find nothing: no server error, only documented status codes
and content types, responses that match their schema, and no answer without authentication.
Generated requests go to each operation on its own, then in scenarios that follow the document's
OpenAPI links (create a file, then read it, add a claim, attach a document, report a payment,
withdraw it).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
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
from tests.intake.conftest import file_payload

APPLICATION = WSGIHandler()
# Read from the running application, as a client reads it (the document needs no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPLICATION)
DEFAULT_CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,
]
HEALTH_CHECKS = [HealthCheck.too_slow, HealthCheck.filter_too_much]


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
    suppress_health_check=[*HEALTH_CHECKS, HealthCheck.function_scoped_fixture],
)
def test_api_conforms_to_its_schema(case: Any, bearer: str) -> None:
    checks = list(DEFAULT_CHECKS)
    # A batch answers 200 with each invalid file refused on its own (by design: one bad file
    # must not refuse the others), so schema-invalid items are not a refused request there.
    if not case.path.endswith("/batch"):
        checks.append(negative_data_rejection)
    case.call_and_validate(headers={"Authorization": f"Bearer {bearer}"}, checks=checks)


def test_scenarios_through_the_links_conform(bearer: str) -> None:
    headers = {"Authorization": f"Bearer {bearer}"}
    answered: Counter[tuple[str, int]] = Counter()

    class Scenarios(schema.as_state_machine()):  # type: ignore[misc]
        # Each scenario starts from the same database, so that Hypothesis can replay it.
        def setup(self) -> None:
            self.savepoint = transaction.savepoint()

        def teardown(self) -> None:
            transaction.savepoint_rollback(self.savepoint)

        def before_call(self, case: Any) -> None:
            # A generated file almost never passes the legal checks (dates in the past, the
            # first reminder after the due date...): every other one is a valid file, so that
            # the scenarios go on through the links with a real file.
            # The choice depends on the generated body only: Hypothesis replays it exactly.
            number = zlib.crc32(repr(case.body).encode())
            if case.operation.label == "POST /api/v1/files" and number % 2 == 0:
                case.body = file_payload(f"FILE-{number}")

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": headers}

        def after_call(self, response: Any, case: Any) -> None:
            answered[(case.operation.label, response.status_code)] += 1

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=DEFAULT_CHECKS, headers=headers)

    Scenarios.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=HEALTH_CHECKS,
        )
    )

    # The scenarios did reach the linked operations with a file they had just created.
    reached = {
        operation
        for (operation, status), count in answered.items()
        if count and status in {200, 201}
    }
    assert reached >= {
        "POST /api/v1/files",
        "GET /api/v1/files/{reference}",
        "POST /api/v1/files/{reference}/withdraw",
    }, answered


def test_a_body_over_the_size_limit_conforms(bearer: str) -> None:
    """13 MB where 12 MB are accepted: a documented 413 in the API's error shape."""
    case = schema["/api/v1/files"]["POST"].Case(
        body={"creditor_reference": "FILE-1", "padding": "x" * (13 * 1024 * 1024)},
        media_type="application/json",
    )

    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {bearer}"}, checks=DEFAULT_CHECKS
    )

    assert response.status_code == 413
