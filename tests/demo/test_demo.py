"""`amicable demo`: reproducible, idempotent, every lifecycle state, working sign-in codes."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from amicable.demo.loader import STATE_PLAN, load_demo
from amicable.files import ledger
from amicable.files.access_codes import access_code_matches
from amicable.files.models import File
from amicable.intake.tokens import authenticate_token

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_is_idempotent() -> None:
    first = load_demo(today=date(2026, 5, 20), debtors=36)
    assert first.created_files == 36
    assert {s.value for s in STATE_PLAN} <= set(File.objects.values_list("state", flat=True))
    for file in File.objects.filter(state="paid"):
        assert ledger.file_balance(file, as_of=date(2026, 5, 20)).outstanding == 0
    second = load_demo(today=date(2026, 5, 20), debtors=36)
    assert second.created_files == 0
    assert File.objects.count() == 36
    # Fresh credentials each run; the previous API token is revoked.
    assert authenticate_token(first.api_token) is None
    assert authenticate_token(second.api_token) is not None
    for login in second.logins:
        file = File.objects.get(reference=login.reference)
        assert access_code_matches(
            reference=file.reference, code=login.access_code, stored_hash=file.access_code_hash
        )


def test_demo_command_prints_where_to_go_and_how_to_sign_in() -> None:
    out = StringIO()
    call_command("demo", debtors=12, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/backoffice/" in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "http://127.0.0.1:8000/api/v1/docs" in text
    assert "user 'admin', password 'admin'" in text
    assert " code " in text
