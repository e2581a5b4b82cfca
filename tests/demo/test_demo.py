"""`amicable demo`: reproducible, idempotent, every lifecycle state with the records behind it
(docs/journeys.md: plans, disputes, declarations, payments from bank statements, work queues),
working sign-in codes."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import Client

from amicable.demo.loader import STAFF_PASSWORD, STAFF_USERNAME, STATE_PLAN, load_demo
from amicable.demo.texts import PRODUCTS
from amicable.disputes.models import Declaration, DeclarationKind, Dispute
from amicable.files import ledger
from amicable.files.access_codes import access_code_matches
from amicable.files.models import (
    EntrySource,
    File,
    LedgerEntry,
    Sector,
    WorkItem,
    WorkItemStatus,
)
from amicable.intake.models import ApiToken
from amicable.intake.tokens import authenticate_token, revoke_token
from amicable.payments.models import StatementImport
from amicable.plans.models import PaymentPlan, PlanStatus
from tests.security.production import run

pytestmark = pytest.mark.django_db


def test_demo_covers_every_state_and_is_idempotent() -> None:
    first = load_demo(today=date(2026, 5, 20), debtors=36)
    assert first.created_files == 36
    assert {x.journey for x in first.logins} == {
        "to pay",
        "with a plan",
        "disputed",
        "paid",
        "in debt mediation",
    }
    assert {s.value for s in STATE_PLAN} <= set(File.objects.values_list("state", flat=True))
    for file in File.objects.filter(state="paid"):
        assert ledger.file_balance(file, as_of=date(2026, 5, 20)).outstanding == 0
    second = load_demo(today=date(2026, 5, 20), debtors=36)
    assert second.created_files == 0
    assert File.objects.count() == 36
    # The API token printed by the first run stays valid; no second one is issued.
    assert first.api_token is not None
    assert authenticate_token(first.api_token) is not None
    assert second.api_token is None
    assert second.api_token_prefix == first.api_token_prefix == first.api_token[:12]
    assert ApiToken.objects.filter(revoked_at=None).count() == 1
    for login in second.logins:
        file = File.objects.get(reference=login.reference)
        assert access_code_matches(
            reference=file.reference, code=login.access_code, stored_hash=file.access_code_hash
        )


TODAY = date(2026, 5, 20)
#: The queues an agency works every day: the demo leaves items open in each.
QUEUES = (
    "dispute",
    "debt_mediation",
    "collective_settlement",
    "payment_plan_request",
    "document_request",
    "proof_review",
    "unmatched_movement",
)


def _snapshot() -> list[tuple[str, str, str, str]]:
    """Each file's creditor number, state, debtor and balance: what two runs must agree on.

    The agency's file numbers come from a database sequence, which a rolled-back transaction
    does not rewind on PostgreSQL: they are left out (a fresh database starts at the same one).
    """
    return [
        (
            file.creditor_reference,
            file.state,
            file.debtor.name,
            str(ledger.file_balance(file, as_of=TODAY).outstanding),
        )
        for file in File.objects.select_related("debtor").order_by("creditor_reference")
    ]


def test_every_state_has_the_records_behind_it() -> None:
    """docs/journeys.md: a plan file has its agreed plan, a disputed file its dispute, a file in
    debt mediation or collective settlement its declaration, a paid file payments read from
    the bank's statements (CODA and camt.053), and every queue has items left open."""
    load_demo(today=TODAY, debtors=36)
    for file in File.objects.filter(state="payment_plan"):
        assert PaymentPlan.objects.filter(file=file, status=PlanStatus.ACTIVE).exists(), file
    for file in File.objects.filter(state="disputed"):
        assert Dispute.objects.filter(file=file).exists(), file
    for state, kind in (
        ("debt_mediation", DeclarationKind.DEBT_MEDIATION),
        ("collective_settlement", DeclarationKind.COLLECTIVE_SETTLEMENT),
    ):
        for file in File.objects.filter(state=state):
            assert Declaration.objects.filter(files=file, kind=kind).exists(), file
    names = set(StatementImport.objects.values_list("name", flat=True))
    assert any(n.endswith(".cod") for n in names)
    assert any(n.endswith(".xml") for n in names)
    for file in File.objects.filter(state="paid"):
        assert LedgerEntry.objects.filter(file=file, amount__lt=0).exists(), file
    assert LedgerEntry.objects.filter(
        file__state="paid", source=EntrySource.STATEMENT, amount__lt=0
    ).exists()
    open_kinds = set(
        WorkItem.objects.filter(status=WorkItemStatus.OPEN).values_list("kind", flat=True)
    )
    assert set(QUEUES) <= open_kinds
    # Agents decided older items: some are done.
    assert WorkItem.objects.filter(status=WorkItemStatus.DONE).exists()


def test_a_payment_plan_file_does_not_offer_to_ask_for_a_plan() -> None:
    """docs/journeys.md, journey 2: a file in a plan shows its plan, not the request form."""
    demo = load_demo(today=TODAY, debtors=36)
    [login] = [x for x in demo.logins if x.state == "payment_plan"]
    client = Client()
    response = client.post("/sign-in/", {"reference": login.reference, "code": login.access_code})
    assert response.status_code == 302
    page = client.get(f"/files/{login.reference}/plan/").content.decode()
    assert 'name="instalment_count"' not in page
    plan = PaymentPlan.objects.get(file__reference=login.reference, status=PlanStatus.ACTIVE)
    assert plan.instalments.exists()
    [disputed] = [x for x in demo.logins if x.state == "disputed"]
    assert Dispute.objects.filter(file__reference=disputed.reference).exists()


def _as_fresh_database() -> None:
    """A fresh database numbers its rows and files from the start. PostgreSQL's sequences do
    not go back with a rolled-back transaction (SQLite's counters do): restart them, so that
    the second run sees the ids and file numbers a fresh database gives."""
    if connection.vendor == "postgresql":
        sequences = connection.introspection.sequence_list()
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
                cursor.execute(statement)
            cursor.execute("ALTER SEQUENCE amicable_file_number RESTART WITH 1")


def test_two_runs_on_fresh_databases_give_the_same_files_and_amounts() -> None:
    with transaction.atomic():
        _as_fresh_database()
        load_demo(today=TODAY, debtors=30)
        first = _snapshot()
        transaction.set_rollback(True)
    assert not File.objects.exists()
    _as_fresh_database()
    load_demo(today=TODAY, debtors=30)
    assert _snapshot() == first
    assert len(first) == 30


def test_demo_texts_are_in_the_debtors_language() -> None:
    """Issue 12: a Dutch-speaking debtor's invoice reads in Dutch, a German one's in German."""
    load_demo(today=TODAY, debtors=36)
    for file in File.objects.select_related("creditor", "debtor").prefetch_related("claims"):
        products = PRODUCTS[Sector(file.creditor.sector)][file.debtor.language]
        for claim in file.claims.all():
            assert claim.description in products, (file.debtor.language, claim.description)


def test_demo_command_prints_where_to_go_and_how_to_sign_in(settings: LazySettings) -> None:
    settings.DEBUG = True
    out = StringIO()
    call_command("demo", debtors=12, stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/backoffice/" in text
    assert "http://127.0.0.1:8000/admin/" in text
    assert "http://127.0.0.1:8000/api/v1/docs" in text
    assert "user 'admin', password 'admin'" in text
    assert " code " in text


def test_with_debug_off_the_demo_is_refused_without_the_explicit_flag(
    settings: LazySettings,
) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match=r"DEBUG is off: this looks like a production"):
        call_command("demo", debtors=12, stdout=StringIO())
    assert not User.objects.exists()
    assert not File.objects.exists()


def test_with_the_flag_in_production_the_superuser_gets_a_random_password_shown_once(
    settings: LazySettings,
) -> None:
    settings.DEBUG = False
    out = StringIO()
    call_command("demo", debtors=12, allow_production=True, stdout=out)
    admin = User.objects.get(username=STAFF_USERNAME)
    assert not admin.check_password(STAFF_PASSWORD)
    [password] = re.findall(r"user 'admin', password '([^']+)' \(shown only now", out.getvalue())
    assert len(password) >= 20
    assert admin.check_password(password)
    # Run again: the password is not shown again, and stays what it was.
    again = StringIO()
    call_command("demo", debtors=12, allow_production=True, stdout=again)
    assert password not in again.getvalue()
    assert "user 'admin', with the password it already has" in again.getvalue()
    assert User.objects.get(username=STAFF_USERNAME).check_password(password)


def test_in_production_the_known_demo_password_left_by_a_test_run_is_replaced(
    settings: LazySettings,
) -> None:
    load_demo(today=date(2026, 5, 20), debtors=12)
    assert User.objects.get(username=STAFF_USERNAME).check_password(STAFF_PASSWORD)
    settings.DEBUG = False
    out = StringIO()
    call_command("demo", debtors=12, allow_production=True, stdout=out)
    [password] = re.findall(r"password '([^']+)' \(shown only now", out.getvalue())
    admin = User.objects.get(username=STAFF_USERNAME)
    assert admin.check_password(password)
    assert not admin.check_password(STAFF_PASSWORD)


def test_amicable_demo_run_with_production_settings_refuses(tmp_path: Path) -> None:
    done = run(["-m", "amicable", "demo"], tmp_path)
    assert done.returncode == 1
    assert "DEBUG is off: this looks like a production installation." in done.stderr
    assert "--allow-production" in done.stderr
    assert done.stdout == ""


def test_running_the_demo_again_keeps_the_printed_token_and_says_so(
    settings: LazySettings,
) -> None:
    settings.DEBUG = True
    first, again = StringIO(), StringIO()
    call_command("demo", debtors=12, stdout=first)
    printed = re.search(r"amc_[A-Za-z0-9_-]+", first.getvalue())
    assert printed is not None
    token = printed.group()

    call_command("demo", debtors=12, stdout=again)

    assert authenticate_token(token) is not None
    text = again.getvalue()
    assert token not in text
    assert f"first run ({token[:12]}...) is still valid" in text
    assert "amicable create-api-token lumen-energy" in text


def test_a_revoked_demo_token_is_replaced_by_the_next_run() -> None:
    first = load_demo(today=date(2026, 5, 20), debtors=12)
    assert first.api_token is not None
    revoke_token(token=ApiToken.objects.get(), actor="test")

    second = load_demo(today=date(2026, 5, 20), debtors=12)

    assert second.api_token is not None
    assert authenticate_token(second.api_token) is not None
    assert authenticate_token(first.api_token) is None
