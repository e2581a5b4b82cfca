"""A client generated from the live OpenAPI document (openapi-python-client) works end to end.

The document is read from the running server, the client is generated into a temporary folder
(offline: the generator needs no network), imported, and used against the live server as a
creditor would: create a file, read it, page through the list, report a payment, withdraw.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from amicable.files.models import File
from amicable.intake.tokens import issue_token
from tests.factories import make_creditor
from tests.intake.conftest import file_payload

PACKAGE = "amicable_api_client"
GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def client_package(live_server: Any, tmp_path: Path) -> Iterator[ModuleType]:
    """The generated client package, importable for the test's duration."""
    url = f"{live_server.url}/api/v1/openapi.json"
    with urllib.request.urlopen(url) as response:
        document = json.load(response)
    (tmp_path / "openapi.json").write_text(json.dumps(document))
    # No post hooks: the formatter is not what this test is about.
    (tmp_path / "config.yaml").write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    generated = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            "openapi.json",
            "--config",
            "config.yaml",
            "--meta",
            "none",
            "--fail-on-warning",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]


def _module(name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_a_generated_client_creates_reads_pages_pays_and_withdraws(
    client_package: ModuleType, live_server: Any
) -> None:
    creditor = make_creditor(reference="energie-test")
    secret = issue_token(creditor=creditor, name="client", actor="test").secret
    client = client_package.AuthenticatedClient(base_url=live_server.url, token=secret)
    files = "api.files"
    models = _module("models")

    created = _module(f"{files}.create_file").sync_detailed(
        client=client, body=models.FileIn.from_dict(file_payload("FILE-1"))
    )
    assert created.status_code == 201
    reference = created.parsed.reference
    assert File.objects.get(reference=reference).creditor == creditor

    read = _module(f"{files}.get_file").sync(client=client, reference=reference)
    assert isinstance(read, models.FileOut)
    assert (read.reference, read.creditor_reference, read.state.value) == (
        reference,
        "FILE-1",
        "formal_notice",
    )
    assert read.debtor.name == "Marie Dupont"
    assert read.claims[0].principal == "200.00"

    for number in (2, 3):
        again = _module(f"{files}.create_file").sync_detailed(
            client=client, body=models.FileIn.from_dict(file_payload(f"FILE-{number}"))
        )
        assert again.status_code == 201
    pages: list[list[str]] = []
    cursor = None
    list_files = _module(f"{files}.list_files")
    while True:
        page = list_files.sync(client=client, limit=2, cursor=cursor)
        assert isinstance(page, models.FilePageOut)
        pages.append([item.creditor_reference for item in page.items])
        cursor = page.next_cursor
        if not isinstance(cursor, str):
            break
    assert pages == [["FILE-1", "FILE-2"], ["FILE-3"]]

    paid = _module("api.payments.report_payment").sync_detailed(
        client=client,
        reference=reference,
        body=models.PaymentIn(
            amount="50.00", value_date=date(2025, 6, 10), payment_reference="PAY-1"
        ),
    )
    assert paid.status_code == 201
    assert [(a.component, a.amount) for a in paid.parsed.allocations] == [
        ("interest", "3.59"),
        ("principal", "46.41"),
    ]
    assert paid.parsed.balance.paid == "50.00"

    withdrawn = _module(f"{files}.withdraw_file").sync(
        client=client, reference=reference, body=models.WithdrawIn(reason="Settled.")
    )
    assert isinstance(withdrawn, models.FileOut)
    assert (withdrawn.state.value, withdrawn.closed_reason) == (
        "closed",
        "Withdrawn by the creditor: Settled.",
    )

    refused = _module(f"{files}.get_file").sync_detailed(client=client, reference="AM99999999")
    assert refused.status_code == 404
    assert isinstance(refused.parsed, models.ErrorOut)
    assert refused.parsed.errors[0].reason == "No such file."
