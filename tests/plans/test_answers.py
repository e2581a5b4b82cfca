"""An agent answers a plan request outside the rules: agreed (as asked or changed) or refused.

The request is made on Friday 2 May 2025 (24 instalments from 1 July: too many, too small,
too late for the portal's rules); the agent answers on Tuesday 6 May.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import translation

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Event,
    File,
    LedgerEntry,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.numbers import instalment_structured_communication
from amicable.plans.answers import agree_plan_request, refuse_plan_request
from amicable.plans.errors import PlanError
from amicable.plans.models import Instalment, PaymentPlan, PlanRefusal, PlanStatus
from amicable.plans.requests import request_payment_plan
from tests.factories import make_file, shown_to_debtor

pytestmark = pytest.mark.django_db

ASKED_ON = date(2025, 5, 2)
TODAY = date(2025, 5, 6)
NOW = datetime(2025, 5, 6, 9, 15, tzinfo=UTC)
AGENT = "staff:ann"


@pytest.fixture(autouse=True)
def _staff_language() -> Iterator[None]:
    """The agent reads English; what the debtor reads is in the debtor's language whatever it."""
    with translation.override("en"):
        yield


def requested(
    *, language: str = "fr", mentions_difficulties: bool = False, file: File | None = None
) -> PaymentPlan:
    file = file or make_file(language=language)
    result = request_payment_plan(
        file=file,
        instalment_count=24,
        first_due_on=date(2025, 7, 1),
        today=ASKED_ON,
        actor="portal",
        mentions_difficulties=mentions_difficulties,
    )
    assert result.plan.status == PlanStatus.REQUESTED
    return result.plan


def item_of(plan: PaymentPlan) -> WorkItem:
    return WorkItem.objects.get(kind=WorkItemKind.PAYMENT_PLAN_REQUEST, data__plan_id=plan.pk)


def state_of(plan: PaymentPlan) -> FileState:
    return File.objects.get(pk=plan.file_id).file_state


def test_an_agent_agrees_to_a_request_as_asked() -> None:
    plan = requested()
    asked_total = plan.total

    agreed = agree_plan_request(plan=plan, actor=AGENT, today=TODAY, now=NOW)

    agreed.refresh_from_db()
    # The plan covers the balance of the day it is agreed: four more days of interest.
    balance = ledger.file_balance(agreed.file, as_of=TODAY).outstanding
    assert balance > asked_total
    assert (
        agreed.status,
        agreed.instalment_count,
        agreed.first_due_on,
        agreed.total,
        agreed.agreed_on,
        agreed.answered_on,
        agreed.answered_by,
    ) == (PlanStatus.ACTIVE, 24, date(2025, 7, 1), balance, TODAY, TODAY, AGENT)
    instalments = list(agreed.instalments.all())
    assert [i.number for i in instalments] == list(range(1, 25))
    assert sum(i.amount for i in instalments) == balance
    assert instalments[-1].due_on == date(2027, 6, 1)
    assert instalments[2].structured_communication == instalment_structured_communication(
        agreed.file.number, 3
    )
    assert state_of(agreed) is FileState.PAYMENT_PLAN
    event = Event.objects.get(file=agreed.file, kind="payment_plan_agreed")
    assert (event.actor, shown_to_debtor(event)) == (AGENT, True)
    assert event.data["changed"] is False
    assert event.data["requested"] == {"instalments": 24, "first_due_on": "2025-07-01"}
    assert event.message.startswith(
        "Nous acceptons votre plan de paiement. 24 mensualités à partir du 01/07/2025, pour "
    )
    item = item_of(agreed)
    assert (item.status, item.closed_by, item.closed_at) == (WorkItemStatus.DONE, AGENT, NOW)
    assert item.outcome == f"agreed: 24 instalments from 2025-07-01 on {balance}"


def test_an_agent_agrees_to_other_instalments_and_says_so() -> None:
    plan = requested(language="nl")

    agreed = agree_plan_request(
        plan=plan,
        instalment_count=1,
        first_due_on=date(2025, 6, 2),
        note_for_debtor="Betaal alles in één keer.",
        actor=AGENT,
        today=TODAY,
        now=NOW,
    )

    agreed.refresh_from_db()
    assert (agreed.instalment_count, agreed.first_due_on, agreed.answer_note) == (
        1,
        date(2025, 6, 2),
        "Betaal alles in één keer.",
    )
    assert list(agreed.instalments.values_list("number", "due_on", "amount")) == [
        (1, date(2025, 6, 2), agreed.total)
    ]
    event = Event.objects.get(file=agreed.file, kind="payment_plan_agreed")
    assert event.data["changed"] is True
    total = event.data["total"].replace(".", ",")
    assert event.message == (
        "We kunnen het plan niet precies aanvaarden zoals u het vroeg, maar we aanvaarden het "
        f"volgende. 1 maandelijkse afbetaling vanaf 02/06/2025, voor € {total}, het saldo van "
        "uw dossier vandaag. Elke afbetaling heeft haar eigen gestructureerde mededeling: u vindt "
        "ze in uw dossier, met hun bedragen en vervaldagen. Betaal alles in één keer."
    ).replace("€ ", "€\u00a0")
    assert item_of(agreed).outcome.endswith("(changed)")


def test_agreeing_adds_nothing_to_what_the_debtor_owes() -> None:
    plan = requested()
    entries = LedgerEntry.objects.count()
    before = ledger.file_balance(plan.file, as_of=TODAY).outstanding
    agreed = agree_plan_request(plan=plan, actor=AGENT, today=TODAY, now=NOW)
    assert LedgerEntry.objects.count() == entries
    assert ledger.file_balance(agreed.file, as_of=TODAY).outstanding == before == agreed.total


def test_an_agent_refuses_a_request_with_its_reason() -> None:
    plan = requested(language="de")

    refused = refuse_plan_request(
        plan=plan, reason=PlanRefusal.TOO_LONG, actor=AGENT, today=TODAY, now=NOW
    )

    refused.refresh_from_db()
    assert (
        refused.status,
        refused.refusal_reason,
        refused.answered_on,
        refused.answered_by,
        refused.agreed_on,
    ) == (PlanStatus.REFUSED, "too_long", TODAY, AGENT, None)
    assert not Instalment.objects.exists()
    # The request never moved the file, nor does its refusal.
    assert state_of(refused) is FileState.FORMAL_NOTICE
    event = Event.objects.get(file=refused.file, kind="payment_plan_refused")
    assert (event.actor, shown_to_debtor(event), event.data["reason"]) == (
        AGENT,
        True,
        "too_long",
    )
    assert event.message == (
        "Wir können den von Ihnen beantragten Zahlungsplan nicht annehmen. So viele Raten sind "
        "für den Betrag, den Sie schulden, nicht möglich; ein Plan mit weniger Raten kann "
        "vereinbart werden. Sie können in Ihrer Akte einen anderen Plan beantragen, mit der "
        "strukturierten Mitteilung Ihrer Akte zahlen, was Ihnen möglich ist, oder uns anrufen."
    )
    item = item_of(refused)
    assert (item.status, item.outcome) == (WorkItemStatus.DONE, "refused (too_long)")
    # The debtor may ask again: a refused request blocks nothing.
    again = request_payment_plan(
        file=refused.file,
        instalment_count=3,
        first_due_on=date(2025, 5, 20),
        today=TODAY,
        actor="portal",
    )
    assert again.accepted


@pytest.mark.parametrize("difficulties", [True, False], ids=["difficulties", "none"])
def test_a_refusal_points_to_free_debt_mediation_when_the_debtor_mentioned_difficulties(
    difficulties: bool,
) -> None:
    plan = requested(mentions_difficulties=difficulties)
    refuse_plan_request(
        plan=plan, reason=PlanRefusal.CREDITOR_REFUSES, actor=AGENT, today=TODAY, now=NOW
    )
    message = Event.objects.get(kind="payment_plan_refused").message
    assert "Le créancier n’accepte pas de plan de paiement pour cette dette." in message
    assert ("médiation de dettes gratuite" in message) is difficulties


def test_another_reason_is_the_agents_own_words() -> None:
    plan = requested()
    with pytest.raises(PlanError):
        refuse_plan_request(plan=plan, reason=PlanRefusal.OTHER, actor=AGENT, today=TODAY, now=NOW)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REQUESTED
    assert item_of(plan).status == WorkItemStatus.OPEN

    refuse_plan_request(
        plan=plan,
        reason=PlanRefusal.OTHER,
        note_for_debtor="Nous attendons d’abord la décision du médiateur.",
        actor=AGENT,
        today=TODAY,
        now=NOW,
    )
    message = Event.objects.get(kind="payment_plan_refused").message
    assert message.startswith(
        "Nous ne pouvons pas accepter le plan de paiement que vous avez demandé. Nous attendons "
        "d’abord la décision du médiateur. Vous pouvez demander un autre plan"
    )


@pytest.mark.parametrize("first", ["agree", "refuse"])
@pytest.mark.parametrize("second", ["agree", "refuse"])
def test_a_request_is_answered_once(first: str, second: str) -> None:
    plan = requested()
    answer = {
        "agree": lambda: agree_plan_request(plan=plan, actor=AGENT, today=TODAY, now=NOW),
        "refuse": lambda: refuse_plan_request(
            plan=plan, reason=PlanRefusal.TOO_LONG, actor="staff:bob", today=TODAY, now=NOW
        ),
    }
    answer[first]()
    events = Event.objects.count()
    with pytest.raises(PlanError, match="already answered"):
        answer[second]()
    assert Event.objects.count() == events
    plan.refresh_from_db()
    assert plan.status == (PlanStatus.ACTIVE if first == "agree" else PlanStatus.REFUSED)


def test_a_disputed_file_is_settled_before_its_plan_is_agreed() -> None:
    file = make_file()
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    plan = requested(file=file)
    with pytest.raises(PlanError, match="disputed"):
        agree_plan_request(plan=plan, actor=AGENT, today=TODAY, now=NOW)
    plan.refresh_from_db()
    assert (plan.status, state_of(plan)) == (PlanStatus.REQUESTED, FileState.DISPUTED)
    assert item_of(plan).status == WorkItemStatus.OPEN
    # Refusing needs no settled file: the debtor is answered either way.
    refuse_plan_request(plan=plan, reason=PlanRefusal.TOO_LONG, actor=AGENT, today=TODAY, now=NOW)
    assert state_of(plan) is FileState.DISPUTED


@pytest.mark.parametrize(
    ("count", "first_due_on"),
    [(3, date(2025, 5, 5)), (100, date(2025, 6, 1)), (3, date(2026, 5, 7))],
    ids=["in_the_past", "beyond_99", "beyond_a_year"],
)
def test_impossible_instalments_are_refused_and_nothing_is_written(
    count: int, first_due_on: date
) -> None:
    plan = requested()
    events = Event.objects.count()
    with pytest.raises(PlanError):
        agree_plan_request(
            plan=plan,
            instalment_count=count,
            first_due_on=first_due_on,
            actor=AGENT,
            today=TODAY,
            now=NOW,
        )
    plan.refresh_from_db()
    assert (plan.status, plan.instalment_count, plan.answered_by) == (
        PlanStatus.REQUESTED,
        24,
        "",
    )
    assert not Instalment.objects.exists()
    assert Event.objects.count() == events
    assert state_of(plan) is FileState.FORMAL_NOTICE


def test_a_request_paid_off_meanwhile_cannot_be_agreed() -> None:
    plan = requested()
    balance = ledger.file_balance(plan.file, as_of=TODAY).outstanding
    ledger.post_payment(
        file=plan.file,
        amount=balance,
        value_date=TODAY,
        actor="test",
        source="statement",
        source_reference="all-of-it",
    )
    with pytest.raises(PlanError, match="Nothing remains"):
        agree_plan_request(plan=plan, actor=AGENT, today=TODAY, now=NOW)
    plan.refresh_from_db()
    assert (plan.status, plan.total) == (PlanStatus.REQUESTED, Decimal("201.92"))
