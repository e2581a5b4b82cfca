"""An agent agrees a payment plan, through the plans service, with the agent's wider rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.files.ledger import file_balance
from amicable.files.models import Event, File
from amicable.files.services import change_file_state
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.services import request_payment_plan
from tests.backoffice.conftest import TODAY
from tests.factories import make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(db: None) -> File:
    return make_file(today=date(2025, 6, 1))


def agree(client: Client, file: File, **data: str) -> int:
    return client.post(f"/backoffice/files/{file.reference}/plan/", data).status_code


def test_an_agent_agrees_a_plan_beyond_the_portals_rules(
    agent: tuple[Client, User], file: File
) -> None:
    client, user = agent
    # 24 instalments and a first one in 60 days: beyond the self-service rules (12, 30 days).
    status = agree(client, file, instalment_count="24", first_due_on="2025-08-17", note="Chômage.")
    assert status == 302
    plan = PaymentPlan.objects.get(file=file)
    assert (plan.status, plan.instalment_count, plan.first_due_on, plan.requested_by) == (
        PlanStatus.ACTIVE,
        24,
        date(2025, 8, 17),
        f"staff:{user.username}",
    )
    assert plan.total == file_balance(file, as_of=TODAY).outstanding
    assert sum(i.amount for i in plan.instalments.all()) == plan.total
    file.refresh_from_db()
    assert file.state == FileState.PAYMENT_PLAN
    assert Event.objects.get(kind="payment_plan_agreed").actor == f"staff:{user.username}"


def test_the_form_shows_where_a_plan_may_be_agreed(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert 'id="agree-plan"' in html
    request_payment_plan(
        file=file, instalment_count=3, first_due_on=date(2025, 7, 1), today=TODAY, actor="portal"
    )
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert 'id="agree-plan"' not in html
    assert 'id="open-plan"' in html


def test_a_disputed_file_is_settled_before_a_plan(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    assert agree(client, file, instalment_count="3", first_due_on="2025-07-01") == 409
    assert not PaymentPlan.objects.exists()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"instalment_count": "0", "first_due_on": "2025-07-01"}, 400),
        ({"instalment_count": "100", "first_due_on": "2025-07-01"}, 400),
        ({"instalment_count": "3", "first_due_on": "2025-06-01"}, 409),
        ({"instalment_count": "3", "first_due_on": "2026-07-01"}, 409),
    ],
    ids=["none", "too_many", "in_the_past", "beyond_a_year"],
)
def test_an_impossible_plan_is_refused(
    agent: tuple[Client, User], file: File, data: dict[str, str], status: int
) -> None:
    client, _ = agent
    assert agree(client, file, **data) == status
    assert not PaymentPlan.objects.exists()
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE


def test_a_second_plan_is_refused_while_one_runs(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    assert agree(client, file, instalment_count="2", first_due_on="2025-07-01") == 302
    assert agree(client, file, instalment_count="3", first_due_on="2025-07-01") == 409
    assert PaymentPlan.objects.count() == 1
    assert PaymentPlan.objects.get().total > Decimal("0")
