"""POST /files/{reference}/documents: type sniffed from the content, 10 MB, sha256 kept."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.files.models import Document, Event
from tests.intake.conftest import file_payload, post

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _upload(api: Client, reference: str, content: bytes, name: str = "a.pdf", **fields: str):  # type: ignore[no-untyped-def]
    data = {"kind": "invoice", **fields, "file": SimpleUploadedFile(name, content)}
    return api.post(f"/api/v1/files/{reference}/documents", data)


@pytest.fixture
def reference(api: Client) -> str:
    value: str = post(api, "/files", file_payload()).json()["reference"]
    return value


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        pytest.param(PDF, "application/pdf", id="pdf"),
        pytest.param(PNG, "image/png", id="png"),
        pytest.param(JPEG, "image/jpeg", id="jpeg"),
    ],
)
def test_a_document_is_stored_with_its_hash(
    api: Client, reference: str, content: bytes, content_type: str
) -> None:
    response = _upload(api, reference, content, name="scan.bin")

    assert response.status_code == 201
    body = response.json()
    assert body["sha256"] == hashlib.sha256(content).hexdigest()
    assert (body["kind"], body["content_type"], body["size"]) == (
        "invoice",
        content_type,
        len(content),
    )
    assert body["original_name"] == "scan.bin"
    document = Document.objects.get()
    assert document.content.read() == content
    assert document.uploaded_by.startswith("api:energie-test:")
    assert Event.objects.filter(kind="document_uploaded").count() == 1


def test_the_same_document_is_not_stored_twice(api: Client, reference: str) -> None:
    first = _upload(api, reference, PDF)
    again = _upload(api, reference, PDF, name="copy.pdf")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Document.objects.count() == 1


def test_a_document_for_one_claim(api: Client, reference: str) -> None:
    response = _upload(api, reference, PDF, claim="INV-1", kind="first_reminder")

    assert response.status_code == 201
    assert (response.json()["claim"], response.json()["kind"]) == ("INV-1", "first_reminder")


def test_a_document_for_an_unknown_claim_is_refused(api: Client, reference: str) -> None:
    response = _upload(api, reference, PDF, claim="INV-404")

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "claim", "reason": "This file has no claim with this reference."}
    ]
    assert Document.objects.count() == 0


def test_a_renamed_file_that_is_not_a_pdf_is_refused(api: Client, reference: str) -> None:
    response = _upload(api, reference, b"MZ\x90\x00 not a pdf at all", name="invoice.pdf")

    assert response.status_code == 422
    assert response.json() == {
        "errors": [{"field": "file", "reason": "Only PDF, JPEG and PNG files are accepted."}]
    }
    assert Document.objects.count() == 0


def test_a_file_over_10_mb_is_413(api: Client, reference: str) -> None:
    response = _upload(api, reference, PDF + b"\x00" * (10 * 1024 * 1024))

    assert response.status_code == 413
    assert response.json() == {
        "errors": [{"field": "file", "reason": "The file is larger than 10 MB."}]
    }
    assert Document.objects.count() == 0


def test_an_empty_file_is_refused(api: Client, reference: str) -> None:
    response = _upload(api, reference, b"")

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": "file", "reason": "The file is empty."}]}
    assert Document.objects.count() == 0


@pytest.mark.parametrize(
    "kind",
    [pytest.param("receipt", id="unknown"), pytest.param("letter", id="agency_kind")],
)
def test_only_the_creditors_kinds_are_accepted(api: Client, reference: str, kind: str) -> None:
    response = _upload(api, reference, PDF, kind=kind)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "kind",
            "reason": "Input should be 'invoice', 'contract', 'general_terms' or 'first_reminder'",
        }
    ]


def test_a_document_without_a_file_is_refused(api: Client, reference: str) -> None:
    response = api.post(f"/api/v1/files/{reference}/documents", {"kind": "invoice"})

    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "file", "reason": "Field required"}]


@pytest.mark.parametrize(
    "debug", [pytest.param(False, id="production"), pytest.param(True, id="debug")]
)
def test_a_multipart_body_without_boundary_is_400(
    api: Client, reference: str, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug

    response = api.post(
        f"/api/v1/files/{reference}/documents", b"--x\r\n", content_type="multipart/form-data"
    )

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "body",
                "reason": "The request body is not valid multipart/form-data (the Content-Type "
                "must give the boundary that separates the parts).",
            }
        ]
    }
    assert Document.objects.count() == 0


def test_a_form_with_too_many_fields_is_400(api: Client, reference: str) -> None:
    # Django reads at most DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000) fields of a form.
    fields = {f"extra{n}": "x" for n in range(1000)}

    response = _upload(api, reference, PDF, **fields)

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "body",
            "reason": "The request has more fields or files than any operation of this API reads.",
        }
    ]
    assert Document.objects.count() == 0
