"""An agent records the debtor's written acknowledgement of the debt on the file's page
(docs/legal.md, section 8: it interrupts the prescription, old Civil Code art. 2248)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from amicable.backoffice.roles import Role
from amicable.files.models import Claim, Event, File
from amicable.files.timeline import EventKind
from tests.factories import claim_input, make_file
from tests.staff import make_document, make_staff, sign_in

pytestmark = pytest.mark.django_db


def _file() -> File:
    # Two invoices due 14 February and 14 March 2025: the letter names the whole debt.
    return make_file(
        claims=[claim_input(), claim_input(due_date=date(2025, 3, 14))],
    )


def _post(client: Client, file: File, **data: object) -> object:
    return client.post(f"/backoffice/files/{file.reference}/acknowledgement/", data)


def test_an_agent_records_it_and_every_claim_due_restarts_its_clock() -> None:
    # docs/legal.md section 8: a written acknowledgement interrupts the prescription; the
    # claim the daily run had found time-barred is cleared for the next run to decide again.
    file = _file()
    Claim.objects.filter(file=file).update(time_barred_on=date(2025, 6, 1))
    letter = make_document(file, name="reconnaissance.pdf")
    agent = make_staff(Role.AGENT)
    client = sign_in(Client(), agent)

    response = _post(client, file, on="2025-05-20", document=letter.pk)

    assert response.status_code == 302  # type: ignore[attr-defined]
    claims = list(Claim.objects.filter(file=file).order_by("due_date"))
    assert [(c.prescription_interrupted_on, c.prescription_interruption) for c in claims] == [
        (date(2025, 5, 20), "acknowledgement"),
        (date(2025, 5, 20), "acknowledgement"),
    ]
    assert [c.time_barred_on for c in claims] == [None, None]
    assert all(str(letter.pk) in c.prescription_evidence for c in claims)
    event = Event.objects.get(file=file, kind=EventKind.DEBT_ACKNOWLEDGED)
    assert event.actor == f"staff:{agent.username}"
    assert event.data["on"] == "2025-05-20"
    assert event.data["document_id"] == letter.pk
    assert event.data["claims"] == [c.creditor_reference for c in claims]


def test_only_the_claims_already_due_on_its_date_are_acknowledged() -> None:
    # Nothing owed yet cannot be acknowledged: the March invoice keeps its clock.
    file = _file()
    letter = make_document(file, name="reconnaissance.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))

    _post(client, file, on="2025-03-01", document=letter.pk)

    claims = list(Claim.objects.filter(file=file).order_by("due_date"))
    assert [c.prescription_interrupted_on for c in claims] == [date(2025, 3, 1), None]


def test_a_later_restart_of_the_clock_is_kept() -> None:
    # docs/legal.md section 8: the period runs from the last interruption; a letter recorded
    # late never moves a claim's clock back before a later payment.
    file = _file()
    first, second = Claim.objects.filter(file=file).order_by("due_date")
    Claim.objects.filter(pk=first.pk).update(
        prescription_interrupted_on=date(2025, 6, 2), prescription_interruption="partial_payment"
    )
    letter = make_document(file, name="reconnaissance.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))

    _post(client, file, on="2025-05-20", document=letter.pk)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.prescription_interrupted_on, first.prescription_interruption) == (
        date(2025, 6, 2),
        "partial_payment",
    )
    assert second.prescription_interrupted_on == date(2025, 5, 20)
    event = Event.objects.get(file=file, kind=EventKind.DEBT_ACKNOWLEDGED)
    assert event.data["claims"] == [second.creditor_reference]


def test_a_date_in_the_future_is_refused_with_a_form_error() -> None:
    file = _file()
    letter = make_document(file, name="reconnaissance.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _post(client, file, on=tomorrow.isoformat(), document=letter.pk)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "cannot be dated in the future" in response.content.decode()  # type: ignore[attr-defined]
    assert not Claim.objects.filter(file=file, prescription_interrupted_on__isnull=False).exists()
    assert not Event.objects.filter(file=file, kind=EventKind.DEBT_ACKNOWLEDGED).exists()


def test_a_date_on_or_before_the_due_date_is_refused_with_a_form_error() -> None:
    file = _file()
    letter = make_document(file, name="reconnaissance.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))

    response = _post(client, file, on="2025-02-14", document=letter.pk)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert "dated after the due date (14/02/2025)" in response.content.decode()  # type: ignore[attr-defined]
    assert not Event.objects.filter(file=file, kind=EventKind.DEBT_ACKNOWLEDGED).exists()


def test_the_error_reads_in_the_agent_language() -> None:
    file = _file()
    letter = make_document(file, name="reconnaissance.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))

    response = client.post(
        f"/backoffice/files/{file.reference}/acknowledgement/",
        {"on": "2025-01-01", "document": letter.pk},
        HTTP_ACCEPT_LANGUAGE="fr",
    )

    assert response.status_code == 400
    assert "échéance" in response.content.decode()


def test_a_document_of_another_file_is_refused() -> None:
    file = _file()
    other = make_document(_file(), name="autre.pdf")
    client = sign_in(Client(), make_staff(Role.AGENT))

    response = _post(client, file, on="2025-05-20", document=other.pk)

    assert response.status_code == 400  # type: ignore[attr-defined]
    assert not Event.objects.filter(file=file, kind=EventKind.DEBT_ACKNOWLEDGED).exists()


def test_the_file_page_offers_the_form_to_an_agent_only() -> None:
    file = _file()
    page = f"/backoffice/files/{file.reference}/"
    agent = sign_in(Client(), make_staff(Role.AGENT)).get(page).content.decode()
    accountant = sign_in(Client(), make_staff(Role.ACCOUNTANT)).get(page).content.decode()
    assert 'id="acknowledge-debt"' in agent
    assert 'id="acknowledge-debt"' not in accountant
