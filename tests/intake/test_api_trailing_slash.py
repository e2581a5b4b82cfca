"""Every path of the API answers the same with and without a trailing slash (/files/, /files).

Each operation of the OpenAPI document is called both ways, with the same kind of request, and
gets the same answer: a created file, a page, a refused body... never a 404 or a redirect.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.intake.conftest import claim_payload, file_payload, post

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# The operations of the document with the status of a valid call, then the two pages.
OPERATIONS = {
    ("post", "/api/v1/files"): 201,
    ("get", "/api/v1/files"): 200,
    ("post", "/api/v1/files/batch"): 200,
    ("get", "/api/v1/files/{reference}"): 200,
    ("post", "/api/v1/files/{reference}/claims"): 201,
    ("post", "/api/v1/files/{reference}/documents"): 201,
    ("post", "/api/v1/files/{reference}/payments"): 201,
    ("post", "/api/v1/files/{reference}/withdraw"): 200,
}
PAGES = {("get", "/api/v1/openapi.json"): 200, ("get", "/api/v1/docs"): 200}


def _call(api: Client, method: str, url: str, attempt: str) -> Any:
    """The operation's request; ``attempt`` keeps the two calls' references apart."""
    if method == "get":
        return api.get(url)
    if url.endswith("/files") or url.endswith("/files/"):
        return api.post(url, file_payload(f"FILE-{attempt}"), content_type="application/json")
    if "/batch" in url:
        return post_json(api, url, {"files": [file_payload(f"BATCH-{attempt}")]})
    if "/claims" in url:
        claim = claim_payload(creditor_reference=f"INV-{attempt}")
        return post_json(api, url, claim)
    if "/documents" in url:
        content = PDF + attempt.encode()
        return api.post(url, {"kind": "invoice", "file": SimpleUploadedFile("a.pdf", content)})
    if "/payments" in url:
        payment = {"amount": "10.00", "value_date": "2025-06-10", "payment_reference": attempt}
        return post_json(api, url, payment)
    return post_json(api, url, {"reason": "Settled."})


def post_json(api: Client, url: str, body: Any) -> Any:
    return api.post(url, body, content_type="application/json")


def test_the_list_covers_every_operation_of_the_document(api: Client) -> None:
    document = api.get("/api/v1/openapi.json").json()
    operations = {(method, path) for path, item in document["paths"].items() for method in item}

    assert operations == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), [*OPERATIONS, *PAGES])
def test_a_trailing_slash_answers_the_same(api: Client, method: str, path: str) -> None:
    reference = post(api, "/files", file_payload("FILE-0")).json()["reference"]
    url = path.format(reference=reference)

    without = _call(api, method, url, "a")
    with_slash = _call(api, method, f"{url}/", "b")

    status = {**OPERATIONS, **PAGES}[method, path]
    assert (without.status_code, with_slash.status_code) == (status, status)
    assert with_slash["Content-Type"] == without["Content-Type"]


@pytest.mark.parametrize("url", ["/api/v1/files/", "/api/v1/files/AM99999999/"])
def test_a_trailing_slash_keeps_the_errors_of_the_api(api: Client, url: str) -> None:
    response = api.get(url) if url.endswith("9/") else post_json(api, url, {"creditor": "x"})

    assert response.status_code in {404, 422}
    assert response.json()["errors"]
