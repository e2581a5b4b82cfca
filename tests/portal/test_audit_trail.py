"""Every action of the debtor in the portal is on the file's timeline and, when an agent must
act on it, in a staff queue with its due date; every upload shows with its review status."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import time_machine
from django.test import Client

from amicable.files.models import Event, WorkItem
from tests.factories import shown_to_debtor
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import pdf_upload

pytestmark = pytest.mark.usefixtures("_today", "letter_agency")


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


MEDIATOR = {"mediator_name": "S. Lambert", "mediator_organisation": "", "mediator_phone": "1"}

ACTIONS: dict[str, tuple[Callable[[Client, str], object], str, str | None, str]] = {
    "statement": (
        lambda c, r: c.get(f"/files/{r}/statement.pdf"),
        "statement_downloaded",
        None,
        "2025-05-02",
    ),
    "plan_within_rules": (
        lambda c, r: c.post(
            f"/files/{r}/plan/", {"instalment_count": "2", "first_due_on": "2025-05-10"}
        ),
        "payment_plan_agreed",
        None,
        "",
    ),
    "plan_outside_rules": (
        lambda c, r: c.post(
            f"/files/{r}/plan/", {"instalment_count": "40", "first_due_on": "2025-05-10"}
        ),
        "payment_plan_requested",
        "payment_plan_request",
        "2025-05-09",
    ),
    "proof": (
        lambda c, r: c.post(
            f"/files/{r}/payments/",
            {"paid_to": "agency", "paid_on": "2025-04-20", "amount": "10", "proof": pdf_upload()},
        ),
        "proof_of_payment_uploaded",
        "proof_review",
        "2025-05-07",
    ),
    "dispute": (
        lambda c, r: c.post(f"/files/{r}/disagree/never-signed/", {"explanation": "Non."}),
        "dispute_opened",
        "dispute",
        "2025-05-16",
    ),
    "documents": (
        lambda c, r: c.post(f"/files/{r}/disagree/", {"kinds": ["contract"]}),
        "documents_requested",
        "document_request",
        "2025-05-06",
    ),
    "debt_mediation": (
        lambda c, r: c.post(f"/files/{r}/difficulties/mediation/", MEDIATOR),
        "debt_mediation_declared",
        "debt_mediation",
        "2025-05-09",
    ),
    "collective_settlement": (
        lambda c, r: c.post(
            f"/files/{r}/difficulties/settlement/",
            {**MEDIATOR, "admissibility_date": "2025-04-01", "court_decision": pdf_upload()},
        ),
        "collective_settlement_declared",
        "collective_settlement",
        "2025-05-09",
    ),
}


@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_action_is_on_the_timeline_and_in_the_queue(
    client: Client, cast: Cast, action: str
) -> None:
    do, event_kind, queue_kind, due = ACTIONS[action]
    sign_in(client, cast)
    response = do(client, cast.file.reference)
    assert response.status_code in (200, 302)  # type: ignore[attr-defined]
    event = Event.objects.filter(file=cast.file, kind=event_kind).get()
    assert (event.actor, shown_to_debtor(event)) == ("portal", True)
    items = list(WorkItem.objects.values_list("kind", "due_on"))
    if queue_kind is None:
        assert items == []
    else:
        assert [(kind, day.isoformat()) for kind, day in items] == [(queue_kind, due)]


def test_every_upload_shows_on_the_file_page_with_its_status(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    reference = cast.file.reference
    ACTIONS["proof"][0](client, reference)
    client.post(
        f"/files/{reference}/disagree/amount-wrong/",
        {"explanation": "Le montant est faux.", "evidence": [pdf_upload("depot.pdf")]},
    )
    html = client.get(f"/files/{reference}/").content.decode()
    section = html.split('id="uploads-heading"', 1)[1]
    assert section.count('<li class="card">') == 2
    assert "Preuve de paiement" in section
    assert "Preuve de votre contestation" in section
    assert section.count("Reçu, en cours de vérification par un agent") == 2
