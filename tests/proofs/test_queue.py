"""One review item per file collects the proofs a debtor sends; it closes with the last one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.files.models import File, ReviewStatus, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.uploads import check_upload
from amicable.proofs.bank import BankPayment, confirm_proofs
from amicable.proofs.submission import DeclaredPayment, submit_proof_of_payment
from tests.factories import make_file
from tests.portal.uploads import MINIMAL_PDF

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


def _send(file: File, n: int, **declared: object) -> int:
    document = submit_proof_of_payment(
        file=file,
        upload=check_upload(MINIMAL_PDF + f"%{n}\n".encode()),
        original_name=f"extrait-{n}.pdf",
        declared=DeclaredPayment(paid_to="agency", **declared),  # type: ignore[arg-type]
        today=date(2025, 6, 18),
        actor="portal",
    )
    return document.pk


def _item() -> WorkItem:
    return WorkItem.objects.get(kind=WorkItemKind.PROOF_REVIEW)


def test_the_item_stays_open_until_every_proof_is_reviewed(agent: tuple[Client, User]) -> None:
    client, _user = agent
    file = make_file(today=date(2025, 6, 1))
    first, second = _send(file, 1), _send(file, 2)
    page = client.get(f"/backoffice/items/{_item().pk}/").content.decode()
    assert f'id="proof-{first}"' in page
    assert f'id="proof-{second}"' in page

    url = f"/backoffice/files/{file.reference}/documents/{first}/review/"
    assert client.post(url, {"decision": "reject", "reason": "unreadable"}).status_code == 302
    assert _item().status == WorkItemStatus.OPEN

    url = f"/backoffice/files/{file.reference}/documents/{second}/review/"
    assert client.post(url, {"decision": "accept"}).status_code == 302
    item = _item()
    assert (item.status, item.outcome) == (WorkItemStatus.DONE, "accepted")

    # A proof sent after the item closed opens a new one.
    _send(file, 3)
    assert (
        WorkItem.objects.filter(kind=WorkItemKind.PROOF_REVIEW, status=WorkItemStatus.OPEN).count()
        == 1
    )


def test_the_bank_confirms_the_proof_it_bears_out_and_the_item_waits_for_the_others() -> None:
    file = make_file(today=date(2025, 6, 1))
    confirmed = _send(file, 1, amount=Decimal("60.00"))
    waiting = _send(file, 2, amount=Decimal("75.00"))

    count = confirm_proofs(
        [
            BankPayment(
                movement_id=7,
                file_id=file.pk,
                amount=Decimal("60.00"),
                on=date(2025, 6, 17),
                structured_reference="",
                by_communication=False,
            )
        ],
        {file.pk: "fr"},
        actor="test:import",
    )

    assert count == 1
    statuses = dict(file.documents.values_list("pk", "review_status"))
    assert statuses == {confirmed: ReviewStatus.CONFIRMED, waiting: ReviewStatus.PENDING}
    assert _item().status == WorkItemStatus.OPEN
