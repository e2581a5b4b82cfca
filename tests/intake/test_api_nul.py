"""A NUL character anywhere in a request is refused where it enters: 422, field and reason.

PostgreSQL refuses NUL in text, so none may reach a query. Every string of every operation is
tried: the path, the query, the JSON body (values of every type, and keys) and the form.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.files.models import Document, Event, File, LedgerEntry
from tests.intake.conftest import claim_payload, file_payload, post

NUL = "\x00"
REASON = (
    "The character U+0000 is not allowed (control characters, unpaired surrogates and direction "
    "overrides are refused)."
)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PAYMENT = {
    "amount": "50.00",
    "value_date": "2025-06-10",
    "payment_reference": "PAY-1",
    "payer_iban": "BE71096123456769",
    "note": "Virement",
}
BATCH = {"files": [file_payload("FILE-2")]}
FULL_FILE = file_payload(
    "FILE-2",
    debtor={
        **file_payload()["debtor"],
        "country": "BE",
        "phone": "+32 470 12 34 56",
        "birth_date": "1980-05-17",
    },
    claims=[claim_payload(requested_indemnity="25.00", indemnity_percent=None)],
)


def _with_nul(value: Any) -> Any:
    """The value with a NUL inside: in the middle of a text, or instead of anything else."""
    if isinstance(value, str) and value:
        return value[:1] + NUL + value[1:]
    return NUL


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _field(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _replaced(body: Any, path: tuple[str | int, ...]) -> Any:
    changed = copy.deepcopy(body)
    target = changed
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = _with_nul(target[path[-1]])
    return changed


def _body_cases() -> Iterator[Any]:
    for operation, body in [
        ("/files", FULL_FILE),
        ("/files/batch", BATCH),
        ("/files/{reference}/claims", claim_payload(creditor_reference="INV-2")),
        ("/files/{reference}/payments", PAYMENT),
        ("/files/{reference}/withdraw", {"reason": "Settled."}),
    ]:
        for path in _leaves(body):
            yield pytest.param(
                operation, _replaced(body, path), _field(path), id=f"{operation}:{_field(path)}"
            )
    key = {**file_payload("FILE-2"), "note" + NUL: "x"}
    yield pytest.param("/files", key, "note" + NUL, id="/files:a key")


@pytest.fixture
def reference(api: Client) -> str:
    value: str = post(api, "/files", file_payload()).json()["reference"]
    return value


@pytest.fixture
def nothing_written(reference: str) -> Iterator[None]:
    counts = (File.objects.count(), Event.objects.count(), LedgerEntry.objects.count())
    yield
    assert (File.objects.count(), Event.objects.count(), LedgerEntry.objects.count()) == counts
    assert Document.objects.count() == 0


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(("operation", "body", "field"), list(_body_cases()))
def test_a_nul_in_a_json_body_is_refused_with_its_field(
    api: Client, reference: str, operation: str, body: Any, field: str
) -> None:
    response = post(api, operation.format(reference=reference), body)

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": field, "reason": REASON}]}


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", "/claims"),
        ("post", "/documents"),
        ("post", "/payments"),
        ("post", "/withdraw"),
    ],
)
def test_a_nul_in_the_file_reference_is_refused(
    api: Client, reference: str, method: str, path: str
) -> None:
    url = f"/api/v1/files/{reference}%00{path}"

    if method == "get":
        response = api.get(url)
    else:
        response = api.post(url, b"{}", content_type="application/json")

    assert response.status_code == 422
    assert {"field": "reference", "reason": REASON} in response.json()["errors"]


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize(
    "name", ["state", "updated_since", "creditor_reference", "limit", "cursor", "unknown"]
)
def test_a_nul_in_the_query_is_refused(api: Client, name: str) -> None:
    response = api.get("/api/v1/files", {name: "a\x00b"})

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": name, "reason": REASON}]}


@pytest.mark.usefixtures("nothing_written")
def test_a_nul_in_the_balance_date_is_refused(api: Client, reference: str) -> None:
    response = api.get(f"/api/v1/files/{reference}", {"as_of": "2025-06-01\x00"})

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": "as_of", "reason": REASON}]}


@pytest.mark.usefixtures("nothing_written")
@pytest.mark.parametrize("name", ["kind", "claim"])
def test_a_nul_in_a_form_field_is_refused(api: Client, reference: str, name: str) -> None:
    data = {"kind": "invoice", "claim": "INV-1", "file": SimpleUploadedFile("a.pdf", PDF)}
    data[name] = _with_nul(data[name])

    response = api.post(f"/api/v1/files/{reference}/documents", data)

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": name, "reason": REASON}]}


@pytest.mark.usefixtures("nothing_written")
def test_a_nul_in_the_idempotency_key_is_refused(api: Client) -> None:
    response = post(api, "/files", file_payload("FILE-2"), **{"Idempotency-Key": "key\x00"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "reason": "An idempotency key has 1 to 128 visible ASCII characters (no spaces).",
        }
    ]


def test_the_body_is_read_as_json_first(api: Client) -> None:
    """A raw NUL byte outside a JSON string is not JSON at all: 400, like any unreadable body."""
    response = api.post("/api/v1/files", b'{"a": 1}\x00', content_type="application/json")

    assert response.status_code == 400
    assert json.loads(response.content)["errors"][0]["field"] == "body"
