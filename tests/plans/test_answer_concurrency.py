"""Two agents answering the same request at once: one answer wins, the other is refused.

The answer locks the file, then the plan, and checks that the plan still waits for an answer:
row locks between real connections are what this tests, so it runs on PostgreSQL.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection, connections
from django.utils import translation

from amicable.files.models import Event, WorkItem, WorkItemKind, WorkItemStatus
from amicable.plans.answers import agree_plan_request, refuse_plan_request
from amicable.plans.errors import PlanError
from amicable.plans.models import PlanRefusal, PlanStatus
from amicable.plans.requests import request_payment_plan
from tests.factories import make_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two database connections to race"
    ),
]

TODAY = date(2025, 5, 6)
NOW = datetime(2025, 5, 6, 9, 15, tzinfo=UTC)


def test_two_agents_answering_at_once_give_one_answer() -> None:
    plan = request_payment_plan(
        file=make_file(),
        instalment_count=24,
        first_due_on=date(2025, 7, 1),
        today=date(2025, 5, 2),
        actor="portal",
    ).plan
    start = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def answer(agree: bool) -> None:
        try:
            start.wait()
            with translation.override("en"):
                if agree:
                    agree_plan_request(plan=plan, actor="staff:ann", today=TODAY, now=NOW)
                else:
                    refuse_plan_request(
                        plan=plan,
                        reason=PlanRefusal.TOO_LONG,
                        actor="staff:bob",
                        today=TODAY,
                        now=NOW,
                    )
            outcomes.append("agreed" if agree else "refused")
        except PlanError as error:
            outcomes.append(f"refused: {error}")
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    agents = [threading.Thread(target=answer, args=(agree,)) for agree in (True, False)]
    for agent in agents:
        agent.start()
    for agent in agents:
        agent.join()

    assert errors == []
    assert sorted(outcomes)[-1] == "refused: This payment plan request was already answered."
    winner = sorted(outcomes)[0]
    plan.refresh_from_db()
    expected = {"agreed": PlanStatus.ACTIVE, "refused": PlanStatus.REFUSED}[winner]
    assert plan.status == expected
    answers = Event.objects.filter(kind__in=["payment_plan_agreed", "payment_plan_refused"])
    assert answers.count() == 1
    item = WorkItem.objects.get(kind=WorkItemKind.PAYMENT_PLAN_REQUEST)
    assert item.status == WorkItemStatus.DONE
