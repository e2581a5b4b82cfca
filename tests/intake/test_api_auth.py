"""Bearer tokens: who may call, and a creditor reaches only its own files (404 otherwise)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.files.models import Creditor, Document, Event, File, LedgerEntry
from amicable.intake.models import ApiToken
from amicable.intake.tokens import revoke_token
from tests.intake.conftest import claim_payload, file_payload, post

UNAUTHORIZED = {
    "errors": [
        {
            "field": None,
            "reason": "A valid bearer token is required (Authorization: Bearer <token>).",
        }
    ]
}


@pytest.mark.parametrize(
    "authorization",
    [
        pytest.param(None, id="missing"),
        pytest.param("Basic dXNlcjpwYXNz", id="basic_scheme"),
        pytest.param("Bearer", id="empty_token"),
        pytest.param("Bearer amc_" + "x" * 43, id="unknown_token"),
        pytest.param("Bearer not-our-shape\x01", id="odd_characters"),
        pytest.param("Bearer amc_\x00" + "x" * 43, id="nul_byte"),
    ],
)
def test_without_a_valid_token_the_answer_is_401(
    creditor: Creditor, authorization: str | None
) -> None:
    client = Client(headers={"Authorization": authorization} if authorization else {})

    response = client.get("/api/v1/files")

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert response["WWW-Authenticate"] == 'Bearer realm="amicable"'


def test_a_revoked_token_is_401(api: Client, token: str) -> None:
    assert api.get("/api/v1/files").status_code == 200
    revoke_token(token=ApiToken.objects.get(), actor="test")

    response = api.get("/api/v1/files")

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


def test_the_schema_and_the_docs_need_no_token(db: None) -> None:
    client = Client()

    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")

    assert schema.status_code == 200
    assert schema.json()["info"]["version"] == "1"
    assert "/api/v1/files/{reference}/payments" in schema.json()["paths"]
    assert docs.status_code == 200


def _file_of(api: Client) -> str:
    reference: str = post(api, "/files", file_payload()).json()["reference"]
    return reference


def _requests(reference: str) -> list[tuple[str, str, Any]]:
    payment = {"amount": "10.00", "value_date": "2025-06-10", "payment_reference": "P-1"}
    return [
        ("get", f"/api/v1/files/{reference}", None),
        ("post", f"/api/v1/files/{reference}/claims", claim_payload(creditor_reference="INV-9")),
        ("post", f"/api/v1/files/{reference}/payments", payment),
        ("post", f"/api/v1/files/{reference}/withdraw", {"reason": "Not yours."}),
    ]


def test_another_creditors_file_is_404_and_untouched(api: Client, stranger: Client) -> None:
    reference = _file_of(api)
    events = Event.objects.count()

    statuses = []
    for method, path, body in _requests(reference):
        if method == "get":
            response = stranger.get(path)
        else:
            response = stranger.post(path, body, content_type="application/json")
        statuses.append(response.status_code)
        assert response.json() == {"errors": [{"field": None, "reason": "No such file."}]}
    document = stranger.post(
        f"/api/v1/files/{reference}/documents",
        {"kind": "invoice", "file": _pdf()},
    )

    assert statuses == [404, 404, 404, 404]
    assert document.status_code == 404
    file = File.objects.get()
    assert (file.state, file.claims.count()) == ("formal_notice", 1)
    assert LedgerEntry.objects.count() == 1
    assert Document.objects.count() == 0
    assert Event.objects.count() == events


def test_another_creditors_files_are_not_listed(api: Client, stranger: Client) -> None:
    _file_of(api)

    assert stranger.get("/api/v1/files").json() == {"items": [], "next_cursor": None}
    assert stranger.get("/api/v1/files", {"creditor_reference": "FILE-1"}).json()["items"] == []


def test_two_creditors_may_use_the_same_references(api: Client, stranger: Client) -> None:
    mine = post(api, "/files", file_payload())
    theirs = post(stranger, "/files", file_payload())

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["reference"] != theirs.json()["reference"]


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("invoice.pdf", b"%PDF-1.7\n%test\n", content_type="application/pdf")
