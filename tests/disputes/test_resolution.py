"""Resolving a reasoned dispute (CEL art. XIX.7 §3): confirm and resume, reduce, or cancel."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.domain.lifecycle import FileState
from amicable.files.ledger import charge_indemnity, file_balance, post_payment
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    EntryKind,
    EntrySource,
    Event,
    File,
    LedgerEntry,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.plans.requests import request_payment_plan
from tests.factories import claim_input, make_file, shown_to_debtor
from tests.staff import TODAY

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


def disputed_file(language: str = "fr", *, before: tuple[FileState, ...] = ()) -> File:
    file = make_file(today=date(2025, 6, 1), language=language)
    claim = file.claims.get()
    # The indemnity is charged once the claim is chargeable (the daily run does it).
    charge_indemnity(claim=claim, on=date(2025, 6, 2), actor="daily run")
    for state in (*before, FileState.DISPUTED):
        change_file_state(file=file, new_state=state, actor="portal")
    WorkItem.objects.create(
        kind=WorkItemKind.DISPUTE, file=file, title="Dispute: never received", due_on=TODAY
    )
    return file


def resolve(client: Client, file: File, **data: str) -> int:
    return client.post(f"/backoffice/files/{file.reference}/dispute/", data).status_code


CONFIRMED = {
    "fr": "Nous avons vérifié votre dossier\u00a0: le montant réclamé est dû. Vous recevrez une "
    "nouvelle mise en demeure, qui vous donne à nouveau 14 jours pour payer, demander un plan "
    "de paiement ou nous contacter. La facture vous a été envoyée le 15 janvier.",
    "nl": "We hebben uw dossier nagekeken: het gevorderde bedrag is verschuldigd. U ontvangt een "
    "nieuwe ingebrekestelling, die u opnieuw 14 dagen geeft om te betalen, een afbetalingsplan "
    "te vragen of contact met ons op te nemen. La facture vous a été envoyée le 15 janvier.",
    "de": "Wir haben Ihre Akte geprüft: Der geforderte Betrag ist geschuldet. Sie erhalten eine "
    "neue Inverzugsetzung, die Ihnen erneut 14 Tage gibt, um zu zahlen, einen Zahlungsplan zu "
    "beantragen oder uns zu kontaktieren. La facture vous a été envoyée le 15 janvier.",
    "en": "We checked your file: the amount claimed is due. You will receive a new formal "
    "notice, which gives you again 14 days to pay, ask for a payment plan or contact us. La "
    "facture vous a été envoyée le 15 janvier.",
}


PLAN_GOES_ON = {
    "fr": "Nous avons vérifié votre dossier\u00a0: le montant réclamé est dû. Votre plan de "
    "paiement continue\u00a0: payez les prochaines mensualités comme convenu. Voir la facture.",
    "nl": "We hebben uw dossier nagekeken: het gevorderde bedrag is verschuldigd. Uw "
    "afbetalingsplan loopt verder: betaal de volgende maandelijkse afbetalingen zoals "
    "afgesproken. Voir la facture.",
    "de": "Wir haben Ihre Akte geprüft: Der geforderte Betrag ist geschuldet. Ihr Zahlungsplan "
    "läuft weiter: Zahlen Sie die nächsten Monatsraten wie vereinbart. Voir la facture.",
    "en": "We checked your file: the amount claimed is due. Your payment plan goes on: pay the "
    "next instalments as agreed. Voir la facture.",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_dispute_raised_during_a_running_plan_lets_the_plan_go_on(
    agent: tuple[Client, User], language: str
) -> None:
    """The one rule of every lifted hold: a plan that still runs continues (no new notice)."""
    client, _ = agent
    file = make_file(today=date(2025, 6, 1), language=language)
    change_file_state(file=file, new_state=FileState.WAITING_PERIOD, actor="daily run")
    request_payment_plan(
        file=file, instalment_count=3, first_due_on=TODAY, today=TODAY, actor="portal"
    )
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    assert resolve(client, file, outcome="confirm", explanation="Voir la facture.") == 302
    file.refresh_from_db()
    assert file.state == FileState.PAYMENT_PLAN
    assert Event.objects.get(kind="dispute_resolved").message == PLAN_GOES_ON[language]


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_confirmed_debt_resumes_with_a_new_formal_notice(
    agent: tuple[Client, User], language: str
) -> None:
    client, user = agent
    file = disputed_file(language)
    entries = LedgerEntry.objects.count()
    status = resolve(
        client,
        file,
        outcome="confirm",
        explanation="La facture vous a été envoyée le 15 janvier.",
    )
    assert status == 302
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert LedgerEntry.objects.count() == entries
    event = Event.objects.get(kind="dispute_resolved")
    assert (event.actor, shown_to_debtor(event), event.message) == (
        f"staff:{user.username}",
        True,
        CONFIRMED[language],
    )
    assert event.data["outcome"] == "confirm"
    change = Event.objects.filter(kind="state_changed").latest("id")
    assert (change.actor, change.data) == (
        f"staff:{user.username}",
        {"from": "disputed", "to": "formal_notice"},
    )
    item = WorkItem.objects.get(kind=WorkItemKind.DISPUTE)
    assert (item.status, item.closed_by) == (WorkItemStatus.DONE, f"staff:{user.username}")


def test_a_dispute_raised_before_the_notice_goes_back_to_where_it_stood(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    file = make_file(
        today=date(2025, 6, 1),
        claims=[claim_input(first_reminder_sent_on=date(2025, 6, 2))],
    )
    assert file.state == FileState.GRACE_PERIOD
    change_file_state(file=file, new_state=FileState.DISPUTED, actor="portal")
    resolve(client, file, outcome="confirm", explanation="Facture due.")
    file.refresh_from_db()
    # The first reminder's 14 days still run: no formal notice may skip them (CEL art. XIX.2).
    assert file.state == FileState.GRACE_PERIOD
    assert Event.objects.get(kind="dispute_resolved").message == (
        "Nous avons vérifié votre dossier\u00a0: le montant réclamé est dû. Facture due."
    )


def test_a_dispute_partly_upheld_reduces_the_charge(agent: tuple[Client, User]) -> None:
    client, user = agent
    file = disputed_file("fr")
    claim = file.claims.get()
    indemnity = file_balance(file, as_of=TODAY).indemnity
    status = resolve(
        client,
        file,
        outcome="reduce",
        explanation="L’indemnité est retirée.",
        claim=str(claim.pk),
        component="indemnity",
        amount=str(indemnity),
    )
    assert status == 302
    reduction = LedgerEntry.objects.get(kind=EntryKind.REDUCTION)
    assert (reduction.claim, reduction.component, reduction.amount, reduction.actor) == (
        claim,
        "indemnity",
        -indemnity,
        f"staff:{user.username}",
    )
    assert file_balance(file, as_of=TODAY).indemnity == Decimal("0.00")
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert Event.objects.get(kind="dispute_resolved").message == (
        f"Nous avons vérifié votre dossier et vous donnons partiellement raison\u00a0: "
        f"{indemnity:.2f}".replace(".", ",")
        + "\xa0€ est déduit de ce que vous devez. Vous recevrez une nouvelle mise en demeure, "
        "qui vous donne à nouveau 14 jours pour payer, demander un plan de paiement ou nous "
        "contacter. L’indemnité est retirée."
    )


def test_a_cancelled_debt_is_written_off_and_the_file_closed(agent: tuple[Client, User]) -> None:
    client, user = agent
    file = disputed_file("nl")
    post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=date(2025, 6, 5),
        actor="bank",
        source=EntrySource.STATEMENT,
        source_reference="stmt-1",
    )
    booked = file_balance(file, as_of=date.max, with_accrued_interest=False)
    status = resolve(client, file, outcome="cancel", explanation="Het contract werd opgezegd.")
    assert status == 302
    write_offs = {
        (e.component, e.amount) for e in LedgerEntry.objects.filter(kind=EntryKind.WRITE_OFF)
    }
    claim_balance = booked.claims[0]
    assert write_offs == {
        (component, -amount) for component, amount in claim_balance.charged.items() if amount > 0
    }
    assert all(
        e.actor == f"staff:{user.username}" for e in LedgerEntry.objects.filter(kind="write_off")
    )
    after = file_balance(file, as_of=TODAY)
    assert after.outstanding == Decimal("0.00")
    assert after.credit == Decimal("50.00")
    file.refresh_from_db()
    assert (file.state, file.closed_on) == (FileState.CLOSED, TODAY)
    assert Event.objects.get(kind="dispute_resolved").message == (
        "We hebben uw dossier nagekeken en geven u gelijk: het gevorderde bedrag wordt "
        "geannuleerd en uw dossier wordt afgesloten. De €\xa050,00 die u te veel betaalde, "
        "wordt u terugbetaald. Het contract werd opgezegd."
    )


def _nothing_moved(file: File, entries: int) -> None:
    file.refresh_from_db()
    assert file.state == FileState.DISPUTED
    assert LedgerEntry.objects.count() == entries
    assert not Event.objects.filter(kind="dispute_resolved").exists()
    assert WorkItem.objects.get(kind=WorkItemKind.DISPUTE).status == WorkItemStatus.OPEN


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"outcome": "confirm"}, 400),
        ({"outcome": "reduce", "explanation": "En partie."}, 400),
        (
            {
                "outcome": "reduce",
                "explanation": "Trop.",
                "component": "indemnity",
                "amount": "9999.00",
            },
            409,
        ),
    ],
    ids=["no_explanation", "reduce_without_what", "reduce_more_than_charged"],
)
def test_an_incomplete_or_impossible_resolution_changes_nothing(
    agent: tuple[Client, User], data: dict[str, str], status: int
) -> None:
    client, _ = agent
    file = disputed_file()
    entries = LedgerEntry.objects.count()
    if "component" in data:
        data = {**data, "claim": str(file.claims.get().pk)}
    assert resolve(client, file, **data) == status
    _nothing_moved(file, entries)


def test_only_a_disputed_file_is_resolved(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = make_file(today=date(2025, 6, 1))
    response = client.post(
        f"/backoffice/files/{file.reference}/dispute/",
        {"outcome": "confirm", "explanation": "x"},
    )
    assert response.status_code == 409
    assert "This action is not open on a file in state formal_notice." in response.content.decode()
    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE


def test_a_claim_of_another_file_cannot_be_reduced(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = disputed_file()
    other = make_file(today=date(2025, 6, 1))
    entries = LedgerEntry.objects.count()
    status = resolve(
        client,
        file,
        outcome="reduce",
        explanation="x",
        claim=str(other.claims.get().pk),
        component="principal",
        amount="10.00",
    )
    assert status == 400
    _nothing_moved(file, entries)


def test_the_debtor_sees_the_dispute_end_with_the_decision(agent: tuple[Client, User]) -> None:
    from amicable.disputes.models import DisputeReason, DisputeStatus
    from amicable.disputes.opening import open_dispute

    client, _user = agent
    file = make_file(today=date(2025, 6, 1))
    dispute = open_dispute(
        file=file,
        reason=DisputeReason.ITEM_NOT_RECEIVED,
        explanation="Le colis n'est jamais arrivé.",
        evidence=[],
        today=TODAY,
        actor="portal",
    )
    assert dispute.status == DisputeStatus.OPEN
    status = resolve(client, file, outcome="confirm", explanation="Livré le 3 janvier.")
    assert status == 302
    dispute.refresh_from_db()
    assert dispute.status == DisputeStatus.REJECTED
    assert dispute.resolved_on == TODAY
