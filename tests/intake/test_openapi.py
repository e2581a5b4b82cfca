"""The OpenAPI document the API serves is valid OpenAPI 3.1, as a client generator reads it."""

from __future__ import annotations

from typing import Any

from django.test import Client
from openapi_spec_validator import OpenAPIV31SpecValidator


def _document() -> dict[str, Any]:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_the_served_document_is_valid_openapi_3_1() -> None:
    document = _document()

    assert document["openapi"].startswith("3.1")
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in OpenAPIV31SpecValidator(document).iter_errors()
    ]
    assert errors == []


def test_every_operation_has_a_plain_operation_id() -> None:
    document = _document()

    ids = {
        operation["operationId"]
        for path in document["paths"].values()
        for operation in path.values()
    }
    assert ids == {
        "create_file",
        "create_files_batch",
        "list_files",
        "get_file",
        "add_claim",
        "upload_document",
        "report_payment",
        "withdraw_file",
    }
