"""Journey 2: the payment plan page, in French and Dutch, own files only."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.domain.references import ogm_format
from amicable.files.models import WorkItem
from amicable.files.numbers import instalment_structured_communication
from amicable.plans.answers import refuse_plan_request
from amicable.plans.models import PaymentPlan, PlanRefusal
from tests.portal.conftest import Cast, sign_in

pytestmark = pytest.mark.usefixtures("_today")


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize(
    ("language", "heading", "rule"),
    [
        ("fr", "Plan de paiement", "au maximum 12 mensualités d’au moins 25,00 €"),
        ("nl", "Afbetalingsplan", "hoogstens 12 maandelijkse afbetalingen van minstens € 25,00"),
    ],
    ids=["fr", "nl"],
)
def test_plan_form_states_the_rules(
    client: Client, cast: Cast, language: str, heading: str, rule: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/plan/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert rule in html.replace("\u00a0", " ")
    assert 'name="instalment_count"' in html


def test_plan_within_the_rules_is_shown_with_each_instalment(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.file.reference}/plan/"
    response = client.post(url, {"instalment_count": "3", "first_due_on": "2025-05-20"})
    assert response.status_code == 302
    assert response["Location"] == url
    html = client.get(url).content.decode()
    assert "Votre plan de paiement de 3 mensualités a été accepté le 02/05/2025." in html
    for k in (1, 2, 3):
        communication = ogm_format(instalment_structured_communication(cast.file.number, k))
        assert communication in html
        assert f'aria-label="Code QR de la mensualité {k}"' in html
    assert html.count('<figure class="qr">') == 3
    for due in ("20/05/2025", "20/06/2025", "20/07/2025"):
        assert due in html
    cast.file.refresh_from_db()
    assert cast.file.state == FileState.PAYMENT_PLAN
    assert 'name="instalment_count"' not in html


def test_plan_outside_the_rules_is_answered_by_an_agent(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.file.reference}/plan/"
    client.post(
        url,
        {"instalment_count": "18", "first_due_on": "2025-05-20", "mentions_difficulties": "on"},
    )
    html = client.get(url).content.decode()
    assert "Un agent l’examinera et vous répondra dans les 5 jours ouvrables." in html
    assert "CPAS" in html
    assert WorkItem.objects.get().kind == "payment_plan_request"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"instalment_count": "3", "first_due_on": "2025-05-01"},
            "La première mensualité ne peut pas être dans le passé.",
        ),
        ({"instalment_count": "1", "first_due_on": "2025-05-20"}, "supérieure ou égale à 2"),
        ({"instalment_count": "", "first_due_on": "2025-05-20"}, "Ce champ est obligatoire."),
    ],
    ids=["past_case", "one_case", "empty_case"],
)
def test_plan_form_errors_are_translated(
    client: Client, cast: Cast, data: dict[str, str], message: str
) -> None:
    sign_in(client, cast)
    response = client.post(f"/files/{cast.file.reference}/plan/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PaymentPlan.objects.exists()


def test_plan_of_another_debtors_file_cannot_be_seen_or_asked(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.stranger_file.reference}/plan/"
    assert client.get(url).status_code == 404
    response = client.post(url, {"instalment_count": "3", "first_due_on": "2025-05-20"})
    assert response.status_code == 404
    assert not PaymentPlan.objects.exists()


def test_a_refused_request_is_explained_above_the_form(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.file.reference}/plan/"
    client.post(url, {"instalment_count": "18", "first_due_on": "2025-05-20"})
    refuse_plan_request(
        plan=PaymentPlan.objects.get(),
        reason=PlanRefusal.TOO_LONG,
        actor="staff:agent",
        today=date(2025, 5, 2),
        now=datetime(2025, 5, 2, 9, tzinfo=UTC),
    )

    html = client.get(url).content.decode()

    assert "Le 02/05/2025, nous vous avons répondu ne pas pouvoir accepter le plan demandé." in html
    assert "un plan avec moins de mensualités" in html
    assert 'name="instalment_count"' in html  # another request may be made
