"""Journey 3 end to end: a proof sent on the portal, confirmed by the bank statement that follows.

What the debtor declares with the proof (amount, structured communication) is what the import
of the bank statement compares with each payment it posts (amicable.proofs.bank).
"""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from amicable.files.models import Document, Event, ReviewStatus, WorkItem, WorkItemStatus
from tests.factories import shown_to_debtor
from tests.payments.helpers import coda, credit, import_bytes, movement_of
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import pdf_upload


def _send_proof(client: Client, cast: Cast, **declared: str) -> None:
    with time_machine.travel("2025-05-08 10:00 +02:00", tick=False):
        sign_in(client, cast)
        response = client.post(
            f"/files/{cast.file.reference}/payments/",
            {"paid_to": "agency", "paid_on": "2025-05-07", "proof": pdf_upload(), **declared},
        )
    assert response.status_code == 302


def test_a_declared_amount_confirms_the_proof_when_the_payment_arrives(
    client: Client, cast: Cast
) -> None:
    # The debtor declares the file's structured communication, but their bank sent the payment
    # with the file number typed in the free communication: the amount is what matches.
    _send_proof(
        client,
        cast,
        amount="122,40",
        structured_communication=f"+++{cast.file.structured_communication[:3]}/"
        f"{cast.file.structured_communication[3:7]}/{cast.file.structured_communication[7:]}+++",
    )
    document = Document.objects.get(file=cast.file)
    assert document.review_status == ReviewStatus.PENDING

    with time_machine.travel("2025-05-12 08:00 +02:00", tick=False):
        report = import_bytes(coda(credit("122.40", text=f"paiement {cast.file.reference}")))

    movement = movement_of(report)
    assert movement.structured_reference in ("", None)
    document.refresh_from_db()
    item = WorkItem.objects.get(document=document)
    assert (document.review_status, document.review_reason) == (
        ReviewStatus.CONFIRMED,
        f"bank movement {movement.pk} of 122.40 EUR",
    )
    assert (item.status, item.outcome) == (
        WorkItemStatus.DONE,
        f"confirmed by bank movement {movement.pk}",
    )
    assert report.proofs_confirmed == 1
    event = Event.objects.get(file=cast.file, kind="proof_confirmed")
    assert (event.message, shown_to_debtor(event)) == (
        "Votre preuve de paiement «\u00a0extrait.pdf\u00a0» est confirmée\u00a0: nous avons reçu "
        "votre paiement de 122,40\u00a0€ du 9 mai 2025.",
        True,
    )
    with time_machine.travel("2025-05-12 09:00 +02:00", tick=False):
        sign_in(client, cast)
        html = client.get(f"/files/{cast.file.reference}/payments/").content.decode()
    assert "Confirmé par votre paiement bancaire" in html


@pytest.mark.parametrize(
    "declared",
    [{"amount": "75,00"}, {"amount": "122,40"}],
    ids=["other_amount", "same_amount_on_another_file"],
)
def test_a_payment_that_does_not_bear_the_proof_out_leaves_it_pending(
    client: Client, cast: Cast, declared: dict[str, str]
) -> None:
    _send_proof(client, cast, **declared)
    # 122.40 arrives, for this file when 75.00 was declared, else for another debtor's file.
    paid_for = cast.file if declared["amount"] == "75,00" else cast.stranger_file
    with time_machine.travel("2025-05-12 08:00 +02:00", tick=False):
        report = import_bytes(coda(credit("122.40", text=paid_for.reference)))

    document = Document.objects.get(file=cast.file)
    assert document.review_status == ReviewStatus.PENDING
    assert WorkItem.objects.get(document=document).status == WorkItemStatus.OPEN
    assert report.proofs_confirmed == 0
