"""An agent agrees a payment plan, through the plans service, with the agent's wider rules; and
answers a request the portal queued: agreed (as asked or changed) or refused with a reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.domain.lifecycle import FileState
from amicable.files.ledger import file_balance
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.plans.models import PaymentPlan, PlanStatus
from amicable.plans.requests import request_payment_plan
from tests.factories import make_file, shown_to_debtor
from tests.staff import TODAY, make_staff, sign_in

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


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


# --- a request outside the portal's rules, queued for an agent ----------------------------------


def queued(file: File, *, mentions_difficulties: bool = False) -> PaymentPlan:
    """24 instalments from 1 August, asked in the portal today: for an agent to answer."""
    result = request_payment_plan(
        file=file,
        instalment_count=24,
        first_due_on=date(2025, 8, 1),
        today=TODAY,
        actor="portal",
        mentions_difficulties=mentions_difficulties,
        note="Je suis au chômage.",
    )
    assert result.plan.status == PlanStatus.REQUESTED
    return result.plan


def answer(client: Client, file: File, **data: str) -> int:
    fields = {f"plan-{name}": value for name, value in data.items()}
    return client.post(f"/backoffice/files/{file.reference}/plan/answer/", fields).status_code


def request_item(plan: PaymentPlan) -> WorkItem:
    return WorkItem.objects.get(kind=WorkItemKind.PAYMENT_PLAN_REQUEST, data__plan_id=plan.pk)


def test_the_file_shows_the_request_and_the_form_to_answer_it(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    queued(file, mentions_difficulties=True)
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert 'id="answer-plan"' in html
    assert 'id="agree-plan"' not in html
    facts = html[html.index('id="plan-request"') : html.index("</dl>", html.index("plan-request"))]
    assert "<dd>24</dd>" in facts
    assert "<dd>2025-08-01</dd>" in facts
    assert "more instalments than the rules allow" in facts
    assert "<dd>Je suis au chômage.</dd>" in facts
    assert "explain the payment facilities and free debt mediation" in html
    # The form starts from what the debtor asked.
    assert 'name="plan-instalment_count" value="24"' in html
    assert 'name="plan-first_due_on" value="2025-08-01"' in html


def test_the_answer_form_speaks_the_staff_members_language(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    queued(file)
    page = client.get(f"/backoffice/files/{file.reference}/", HTTP_ACCEPT_LANGUAGE="nl")
    html = page.content.decode()
    for words in (
        "De aanvraag voor een afbetalingsplan beantwoorden",
        "Gevraagde afbetalingen",
        "meer afbetalingen dan de regels toelaten",
        "De aanvraag weigeren",
        "Te veel afbetalingen voor het verschuldigde bedrag",
    ):
        assert words in html


def test_the_request_item_closes_only_with_the_answer(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    item = request_item(queued(file))
    page = client.get(f"/backoffice/items/{item.pk}/")
    assert page.context["closed_by_decision"] is True
    response = client.post(f"/backoffice/items/{item.pk}/close/", {"outcome": "called"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItemStatus.OPEN


def test_an_agent_agrees_to_a_queued_request_with_other_instalments(
    agent: tuple[Client, User], file: File
) -> None:
    client, user = agent
    plan = queued(file)
    status = answer(
        client, file, decision="agree", instalment_count="12", first_due_on="2025-07-01"
    )
    assert status == 302
    plan.refresh_from_db()
    actor = f"staff:{user.username}"
    assert (plan.status, plan.instalment_count, plan.first_due_on, plan.answered_by) == (
        PlanStatus.ACTIVE,
        12,
        date(2025, 7, 1),
        actor,
    )
    assert plan.total == file_balance(file, as_of=TODAY).outstanding
    assert plan.instalments.count() == 12
    file.refresh_from_db()
    assert file.state == FileState.PAYMENT_PLAN
    item = request_item(plan)
    assert (item.status, item.closed_by) == (WorkItemStatus.DONE, actor)
    event = Event.objects.get(kind="payment_plan_agreed")
    assert (event.actor, shown_to_debtor(event), event.data["changed"]) == (actor, True, True)
    # The debtor reads it in French, whatever the agent's language.
    assert event.message.startswith("Nous ne pouvons pas accepter le plan exactement tel que")


def test_an_agent_refuses_a_queued_request_with_its_reason(
    agent: tuple[Client, User], file: File
) -> None:
    client, user = agent
    plan = queued(file)
    assert answer(client, file, decision="refuse", reason="first_due_too_late") == 302
    plan.refresh_from_db()
    assert (plan.status, plan.refusal_reason) == (PlanStatus.REFUSED, "first_due_too_late")
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert request_item(plan).status == WorkItemStatus.DONE
    event = Event.objects.get(kind="payment_plan_refused")
    assert event.actor == f"staff:{user.username}"
    assert "La première mensualité viendrait trop tard" in event.message
    # The file page offers a new plan again.
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert 'id="answer-plan"' not in html
    assert 'id="agree-plan"' in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"decision": "refuse"},
        {"decision": "refuse", "reason": "other"},
        {"decision": "agree", "instalment_count": "", "first_due_on": ""},
        {"decision": "agree", "instalment_count": "100", "first_due_on": "2025-07-01"},
    ],
    ids=["nothing", "no_reason", "other_without_words", "no_instalments", "too_many"],
)
def test_an_incomplete_answer_is_a_form_error_and_changes_nothing(
    agent: tuple[Client, User], file: File, data: dict[str, str]
) -> None:
    client, _ = agent
    plan = queued(file)
    events = Event.objects.count()
    assert answer(client, file, **data) == 400
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REQUESTED
    assert request_item(plan).status == WorkItemStatus.OPEN
    assert Event.objects.count() == events


def test_an_answer_the_plans_service_refuses_changes_nothing(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    plan = queued(file)
    # The first instalment in the past: the form accepts the date, the service does not.
    status = answer(client, file, decision="agree", instalment_count="3", first_due_on="2025-06-01")
    assert status == 409
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REQUESTED
    assert not plan.instalments.exists()


def test_a_request_is_answered_once(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    queued(file)
    assert answer(client, file, decision="refuse", reason="too_long") == 302
    assert answer(client, file, decision="refuse", reason="too_long") == 409
    assert Event.objects.filter(kind="payment_plan_refused").count() == 1


def test_a_compliance_officer_reads_but_does_not_answer(
    compliance: tuple[Client, User], file: File
) -> None:
    client, _ = compliance
    plan = queued(file)
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert 'id="answer-plan"' not in html
    assert answer(client, file, decision="refuse", reason="too_long") == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REQUESTED


def test_the_answer_needs_the_csrf_token(file: File) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), make_staff(Role.AGENT))
    plan = queued(file)
    path = f"/backoffice/files/{file.reference}/plan/answer/"
    data = {"plan-decision": "refuse", "plan-reason": "too_long"}
    assert client.post(path, data).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REQUESTED
    token = client.get(f"/backoffice/files/{file.reference}/").context["csrf_token"]
    assert client.post(path, {**data, "csrfmiddlewaretoken": str(token)}).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REFUSED
