"""mark_plans_broken: the plans app ends running plans, set-based, and tells each debtor why."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amicable.files.models import Event
from amicable.plans import services
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.requests import request_payment_plan
from amicable.plans.services import PlanBreak, mark_plans_broken
from tests.factories import make_file, shown_to_debtor

pytestmark = pytest.mark.django_db

AGREED_ON = date(2025, 4, 9)
ON = date(2025, 5, 30)


def running_plan(language: str = "fr") -> PaymentPlan:
    result = request_payment_plan(
        file=make_file(language=language),
        instalment_count=3,
        first_due_on=date(2025, 4, 15),
        today=AGREED_ON,
        actor="portal",
    )
    assert result.plan.status == PlanStatus.ACTIVE
    return result.plan


def break_of(plan: PaymentPlan) -> PlanBreak:
    second = plan.instalments.get(number=2)
    return PlanBreak(
        plan_id=plan.pk,
        instalment=2,
        due_on=second.due_on,
        amount=second.amount,
        received=Decimal("67.32"),
    )


def test_running_plans_are_marked_broken_and_each_debtor_is_told_in_their_language() -> None:
    french, german = running_plan("fr"), running_plan("de")

    marked = mark_plans_broken([break_of(french), break_of(german)], on=ON, actor="daily-run")

    assert sorted(marked) == sorted([french.pk, german.pk])
    for plan in (french, german):
        plan.refresh_from_db()
        assert (plan.status, plan.ended_on) == (PlanStatus.BROKEN, ON)
    events = {e.file_id: e for e in Event.objects.filter(kind="payment_plan_broken")}
    assert set(events) == {french.file_id, german.file_id}
    amount = french.instalments.get(number=2).amount
    assert events[french.file_id].data == {
        "plan": french.pk,
        "instalment": 2,
        "due_on": "2025-05-15",
        "amount": str(amount),
        "received": "67.32",
    }
    assert (events[french.file_id].actor, shown_to_debtor(events[french.file_id])) == (
        "daily-run",
        True,
    )
    assert events[french.file_id].message.startswith(
        "Votre plan de paiement a pris fin\u00a0: la mensualité 2 de "
    )
    assert "échue le 15/05/2025, était toujours impayée le 30/05/2025." in (
        events[french.file_id].message
    )
    assert events[german.file_id].message.startswith("Ihr Zahlungsplan ist beendet: Rate 2 über ")


def test_a_plan_that_no_longer_runs_is_left_as_it_is() -> None:
    plan = running_plan()
    assert mark_plans_broken([break_of(plan)], on=ON, actor="daily-run") == [plan.pk]
    events = Event.objects.count()

    assert mark_plans_broken([break_of(plan)], on=date(2025, 6, 2), actor="daily-run") == []

    plan.refresh_from_db()
    assert (plan.status, plan.ended_on) == (PlanStatus.BROKEN, ON)
    assert Event.objects.count() == events


def test_the_statements_do_not_grow_with_the_number_of_plans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    few = [break_of(running_plan()) for _ in range(2)]
    many = [break_of(running_plan()) for _ in range(6)]
    with CaptureQueriesContext(connection) as for_few:
        mark_plans_broken(few, on=ON, actor="daily-run")
    with CaptureQueriesContext(connection) as for_many:
        mark_plans_broken(many, on=ON, actor="daily-run")
    assert len(for_many) == len(for_few)
    # In chunks of two: the same statements for each chunk, and every plan marked.
    more = [break_of(running_plan()) for _ in range(5)]
    monkeypatch.setattr(services, "BREAK_CHUNK", 2)
    with CaptureQueriesContext(connection) as chunked:
        marked = mark_plans_broken(more, on=ON, actor="daily-run")
    assert sorted(marked) == sorted(b.plan_id for b in more)
    assert len(chunked) > len(for_few)
    assert PaymentPlan.objects.filter(status=PlanStatus.BROKEN).count() == 13
    assert Event.objects.filter(kind="payment_plan_broken").count() == 13
