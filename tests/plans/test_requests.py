"""request_payment_plan: agreed at once within the rules, otherwise in the agents' queue."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File, WorkItem, WorkItemKind
from amicable.files.numbers import instalment_structured_communication
from amicable.plans.errors import PlanError
from amicable.plans.models import Instalment, PaymentPlan, PlanStatus
from amicable.plans.requests import request_payment_plan
from amicable.plans.rules import Breach
from amicable.plans.selectors import InstalmentStatus, plan_schedule
from tests.factories import make_file

pytestmark = pytest.mark.django_db

TODAY = date(2025, 5, 2)  # Friday
# 200.00 principal + interest 2025-03-20..2025-05-02 (44 days at 8 %) = 1.92 -> 201.92.
BALANCE = Decimal("201.92")


def _file() -> File:
    file = make_file()
    assert file.state == FileState.FORMAL_NOTICE
    return file


def test_plan_within_the_rules_is_agreed_at_once() -> None:
    file = _file()
    result = request_payment_plan(
        file=file, instalment_count=6, first_due_on=date(2025, 5, 15), today=TODAY, actor="portal"
    )
    assert result.accepted is True
    assert result.breaches == ()
    plan = PaymentPlan.objects.get()
    assert (plan.status, plan.total, plan.agreed_on) == (PlanStatus.ACTIVE, BALANCE, TODAY)
    rows = list(Instalment.objects.filter(plan=plan).values_list("number", "due_on", "amount"))
    assert rows == [
        (1, date(2025, 5, 15), Decimal("33.67")),
        (2, date(2025, 6, 15), Decimal("33.65")),
        (3, date(2025, 7, 15), Decimal("33.65")),
        (4, date(2025, 8, 15), Decimal("33.65")),
        (5, date(2025, 9, 15), Decimal("33.65")),
        (6, date(2025, 10, 15), Decimal("33.65")),
    ]
    communications = list(
        Instalment.objects.filter(plan=plan).values_list("structured_communication", flat=True)
    )
    assert communications == [
        instalment_structured_communication(file.number, k) for k in range(1, 7)
    ]
    file.refresh_from_db()
    assert file.state == FileState.PAYMENT_PLAN
    assert list(Event.objects.filter(file=file).values_list("kind", flat=True))[-2:] == [
        "state_changed",
        "payment_plan_agreed",
    ]
    assert not WorkItem.objects.exists()


def test_plan_outside_the_rules_goes_to_an_agent_in_five_working_days() -> None:
    file = _file()
    result = request_payment_plan(
        file=file,
        instalment_count=24,
        first_due_on=date(2025, 7, 1),
        today=TODAY,
        actor="portal",
        mentions_difficulties=True,
        note="Je suis au chômage.",
    )
    assert result.accepted is False
    assert result.breaches == (
        Breach.TOO_MANY_INSTALMENTS,
        Breach.INSTALMENT_TOO_SMALL,
        Breach.FIRST_DUE_TOO_LATE,
    )
    plan = PaymentPlan.objects.get()
    assert plan.status == PlanStatus.REQUESTED
    assert not Instalment.objects.exists()
    item = WorkItem.objects.get()
    assert item.kind == WorkItemKind.PAYMENT_PLAN_REQUEST
    assert item.file == file
    # Friday 2 May 2025 + 5 working days = Friday 9 May.
    assert item.due_on == date(2025, 5, 9)
    assert item.data == {
        "plan_id": plan.pk,
        "instalments": 24,
        "first_due_on": "2025-07-01",
        "total": "201.92",
        "breaches": ["too_many_instalments", "instalment_too_small", "first_due_too_late"],
        "mentions_difficulties": True,
    }
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert Event.objects.filter(file=file, kind="payment_plan_requested").count() == 1


def test_plan_on_a_disputed_file_goes_to_an_agent() -> None:
    file = _file()
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="test")
    result = request_payment_plan(
        file=file, instalment_count=2, first_due_on=TODAY, today=TODAY, actor="portal"
    )
    assert result.breaches == (Breach.FILE_STAGE,)
    file.refresh_from_db()
    assert file.state == FileState.DISPUTED


@pytest.mark.parametrize(
    ("count", "first_due"),
    [(2, date(2025, 5, 1)), (100, TODAY), (0, TODAY)],
    ids=["past_case", "hundred_case", "zero_case"],
)
def test_impossible_requests_write_nothing(count: int, first_due: date) -> None:
    file = _file()
    events = Event.objects.count()
    with pytest.raises(PlanError):
        request_payment_plan(
            file=file, instalment_count=count, first_due_on=first_due, today=TODAY, actor="p"
        )
    assert not PaymentPlan.objects.exists()
    assert Event.objects.count() == events


def test_a_second_request_waits_for_the_first() -> None:
    file = _file()
    request_payment_plan(
        file=file, instalment_count=24, first_due_on=TODAY, today=TODAY, actor="portal"
    )
    with pytest.raises(PlanError):
        request_payment_plan(
            file=file, instalment_count=2, first_due_on=TODAY, today=TODAY, actor="portal"
        )
    assert PaymentPlan.objects.count() == 1
    assert WorkItem.objects.count() == 1


def test_schedule_marks_instalments_paid_in_order() -> None:
    file = _file()
    result = request_payment_plan(
        file=file, instalment_count=3, first_due_on=date(2025, 5, 10), today=TODAY, actor="p"
    )
    ledger.post_payment(
        file=file,
        amount=Decimal("70.00"),
        value_date=date(2025, 5, 9),
        actor="bank",
        source="statement",
        source_reference="mv-plan-1",
    )
    schedule = plan_schedule(result.plan, today=date(2025, 6, 20))
    assert [(v.number, v.amount, v.status) for v in schedule] == [
        (1, Decimal("67.32"), InstalmentStatus.PAID),
        (2, Decimal("67.30"), InstalmentStatus.LATE),
        (3, Decimal("67.30"), InstalmentStatus.DUE),
    ]
