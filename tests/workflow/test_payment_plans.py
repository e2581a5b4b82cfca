"""A payment plan whose instalment stays unpaid is marked broken and collection resumes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.files.models import Event, File, LedgerEntry
from amicable.plans.answers import refuse_plan_request
from amicable.plans.models import PaymentPlan, PlanRefusal, PlanStatus
from amicable.plans.requests import request_payment_plan
from amicable.plans.selectors import InstalmentStatus, plan_schedule
from amicable.workflow.models import LetterRequest
from tests.factories import pay
from tests.workflow.conftest import (
    MONDAY,
    collection_file,
    collection_files,
    pending_file,
    produce,
    run,
    snapshot,
    state_of,
)

pytestmark = pytest.mark.django_db


def plan_on(file: File) -> PaymentPlan:
    """Three monthly instalments from Tuesday 15 April 2025, agreed on 9 April."""
    result = request_payment_plan(
        file=file,
        instalment_count=3,
        first_due_on=date(2025, 4, 15),
        today=date(2025, 4, 9),
        actor="debtor",
    )
    assert result.accepted
    return result.plan


def test_unpaid_instalment_breaks_the_plan_after_its_tolerance() -> None:
    file = collection_file()
    plan = plan_on(file)
    first, second = plan.instalments.all()[:2]
    pay(file, first.amount, date(2025, 4, 14), "first")
    assert second.due_on == date(2025, 5, 15)

    run(date(2025, 4, 30))
    run(date(2025, 5, 29))  # 14 days after the due date: still tolerated
    assert state_of(file) is FileState.PAYMENT_PLAN
    # The plans app reads the second instalment as late, as the run does.
    statuses = [view.status for view in plan_schedule(plan, today=date(2025, 5, 30))]
    assert statuses == [InstalmentStatus.PAID, InstalmentStatus.LATE, InstalmentStatus.DUE]

    result = run(date(2025, 5, 30))

    plan.refresh_from_db()
    assert plan.status == PlanStatus.BROKEN
    assert state_of(file) is FileState.IN_COLLECTION
    event = Event.objects.get(file=file, kind="payment_plan_broken")
    assert event.data == {
        "plan": plan.pk,
        "instalment": 2,
        "due_on": "2025-05-15",
        "amount": str(second.amount),
        "received": str(first.amount),
    }
    assert result.counts["plans_broken"] == 1


def test_plan_paid_on_time_keeps_running() -> None:
    file = collection_file()
    plan = plan_on(file)
    first, second, _ = plan.instalments.all()
    pay(file, first.amount, date(2025, 4, 14), "first")
    pay(file, second.amount, date(2025, 5, 20), "second")  # late, within the tolerance
    run(date(2025, 6, 2))
    plan.refresh_from_db()
    assert (plan.status, state_of(file)) == (PlanStatus.ACTIVE, FileState.PAYMENT_PLAN)


def test_a_broken_plan_is_marked_once() -> None:
    file = collection_file()
    plan_on(file)
    run(date(2025, 5, 1))
    assert state_of(file) is FileState.IN_COLLECTION
    after = snapshot()
    run(date(2025, 5, 1))
    assert snapshot() == after


def test_a_respected_plan_brings_no_reminder_and_no_cost() -> None:
    """While the instalments are paid on time nothing is added but the interest the contract
    provides: no follow-up reminder is sent, so no reminder cost is charged (CEL art. XIX.2 and
    XIX.4), whereas the same file without a plan gets its reminders and their cost."""
    planned, unplanned = collection_files(2, regular_supply=False)
    plan = plan_on(planned)
    for instalment in plan.instalments.all():
        pay(planned, instalment.amount, instalment.due_on, f"instalment-{instalment.number}")
    for day in (date(2025, 4, 30), date(2025, 5, 20), date(2025, 6, 10), date(2025, 6, 30)):
        run(day)
        produce("follow_up_reminder", on=day)
    run(date(2025, 7, 15))

    def reminders(file: File) -> int:
        return LetterRequest.objects.filter(file=file, kind="follow_up_reminder").count()

    def costs(file: File) -> int:
        return LedgerEntry.objects.filter(file=file, component=Component.REMINDER_COST).count()

    assert reminders(unplanned) > 0
    assert costs(unplanned) > 0
    assert (reminders(planned), costs(planned)) == (0, 0)
    plan.refresh_from_db()
    assert (plan.status, state_of(planned)) == (PlanStatus.ACTIVE, FileState.PAYMENT_PLAN)


def test_a_plan_request_waiting_for_an_agent_holds_collection_xix7() -> None:
    """CEL art. XIX.7 §3: asking for a plan is a stop button; the waiting period does not turn
    into collection while an agent has not answered, and does once the request is refused."""
    file = pending_file(regular_supply=False)
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    run(date(2025, 3, 18))
    produce("formal_notice", on=date(2025, 3, 19), file=file)
    run(date(2025, 3, 20))
    assert state_of(file) is FileState.WAITING_PERIOD
    asked = request_payment_plan(
        file=file,
        instalment_count=60,  # beyond what the rules accept at once: an agent decides
        first_due_on=date(2025, 4, 15),
        today=date(2025, 3, 25),
        actor="debtor",
    )
    assert not asked.accepted

    held = run(date(2025, 4, 8))
    run(date(2025, 5, 6))

    assert state_of(file) is FileState.WAITING_PERIOD
    assert held.counts["held_for_plan_request"] == 1
    follow_ups = LetterRequest.objects.filter(file=file).exclude(
        kind__in=["first_reminder", "formal_notice"]
    )
    assert not follow_ups.exists()
    refuse_plan_request(
        plan=asked.plan,
        reason=PlanRefusal.TOO_LONG,
        actor="staff:agent",
        today=date(2025, 5, 6),
        now=datetime(2025, 5, 6, 10, tzinfo=UTC),
    )

    run(date(2025, 5, 7))

    assert state_of(file) is FileState.IN_COLLECTION
