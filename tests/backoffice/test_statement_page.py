"""The staff statement page: the back office's sign-in with its second factor and the
reconciliation permission (finance and supervisors), CSRF, upload and report, the queue and its
actions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.files.models import LedgerEntry
from amicable.payments.models import (
    BankMovementRecord,
    MovementAssignment,
    MovementStatus,
    Refund,
    StatementImport,
)
from tests.payments.helpers import coda, credit, debit, import_bytes, movement_of, plain_file
from tests.staff import make_staff, sign_in

pytestmark = pytest.mark.django_db

PAGE = "/backoffice/statements/"


@pytest.fixture
def staff() -> Client:
    """Alice from finance (the accountant role), signed in with password and authenticator."""
    return sign_in(Client(), make_staff(Role.ACCOUNTANT, username="alice"))


def _upload(client: Client, data: bytes, name: str = "day.cod") -> object:
    return client.post(PAGE, {"statement": SimpleUploadedFile(name, data), "format": ""})


def _waiting(amount: str = "150.00", **fields: str) -> BankMovementRecord:
    fields.setdefault("account", "BE62510007547061")
    report = import_bytes(coda(credit(amount, text="?", **fields)))
    return movement_of(report)


@pytest.mark.parametrize("url", [PAGE, f"{PAGE}movements/1/"], ids=["list", "movement"])
def test_anonymous_visitors_are_sent_to_the_back_office_sign_in(client: Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/?next=%2Fbackoffice%2Fstatements")


def test_a_password_alone_is_sent_to_the_second_factor(client: Client) -> None:
    client.force_login(make_staff(Role.ACCOUNTANT))
    movement = _waiting("150.00")

    response = client.post(PAGE, {"statement": SimpleUploadedFile("x.cod", b"0")})
    decision = client.post(
        f"{PAGE}movements/{movement.pk}/", {"action": "dismiss", "dismiss-reason": "no"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/verify/?next=")
    assert decision.status_code == 302
    assert decision["Location"].startswith("/backoffice/sign-in/verify/?next=")
    assert StatementImport.objects.count() == 1  # the test's own import only
    movement.refresh_from_db()
    assert movement.status == MovementStatus.UNMATCHED


@pytest.mark.parametrize("role", [Role.AGENT, Role.COMPLIANCE_OFFICER, None], ids=str)
def test_staff_without_the_reconciliation_permission_are_refused(role: Role | None) -> None:
    client = sign_in(Client(), make_staff(role))
    movement = _waiting("150.00")
    file = plain_file("200.00")

    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}movements/{movement.pk}/").status_code == 403
    upload = _upload(client, coda(credit("20.00", ogm=file.structured_communication), sequence=2))
    assert upload.status_code == 403
    decision = client.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "assign", "assign-file_reference": file.reference},
    )
    assert decision.status_code == 403
    movement.refresh_from_db()
    assert movement.status == MovementStatus.UNMATCHED
    assert not LedgerEntry.objects.filter(kind="payment").exists()


@pytest.mark.parametrize("role", [Role.ACCOUNTANT, Role.SUPERVISOR, Role.ADMINISTRATOR], ids=str)
def test_finance_supervisors_and_administrators_open_the_pages(role: Role) -> None:
    client = sign_in(Client(), make_staff(role))
    movement = _waiting("150.00")

    assert client.get(PAGE).status_code == 200
    assert client.get(f"{PAGE}movements/{movement.pk}/").status_code == 200


def test_an_upload_without_the_csrf_token_is_refused() -> None:
    client = sign_in(Client(enforce_csrf_checks=True), make_staff(Role.ACCOUNTANT))
    assert client.get(PAGE).status_code == 200  # let in: the refusal below is the CSRF check's
    file = plain_file()

    response = _upload(client, coda(credit("20.00", ogm=file.structured_communication)))

    assert response.status_code == 403
    assert StatementImport.objects.count() == 0


def test_the_page_carries_a_csrf_token(staff: Client) -> None:
    response = staff.get(PAGE)

    assert response.status_code == 200
    assert b'name="csrfmiddlewaretoken"' in response.content


def test_an_upload_is_imported_and_reported(staff: Client) -> None:
    file = plain_file("200.00")

    response = _upload(
        staff,
        coda(credit("20.00", ogm=file.structured_communication), credit("7.00", name="X")),
    )

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.new_movements, report.outcomes) == (2, {"matched": 1, "unmatched": 1})
    record = StatementImport.objects.get()
    assert (record.name, record.imported_by) == ("day.cod", "staff:alice")
    assert LedgerEntry.objects.get(kind="payment").actor == "staff:alice"
    waiting = list(response.context["waiting"])
    assert [m.amount for m in waiting] == [Decimal("7.000")]
    assert f'href="{PAGE}movements/{waiting[0].pk}/"'.encode() in response.content


def test_the_same_upload_again_books_nothing(staff: Client) -> None:
    file = plain_file("200.00")
    data = coda(credit("20.00", ogm=file.structured_communication))
    _upload(staff, data)

    response = _upload(staff, data, name="again.cod")

    assert response.context["report"].already_imported
    assert b"This file was imported before: nothing was booked." in response.content
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_an_unreadable_upload_is_shown_with_its_error(staff: Client) -> None:
    response = _upload(staff, b"hello\n")

    assert response.status_code == 422
    assert b"The file cannot be read" in response.content
    assert b"line 1: unknown format" in response.content
    assert StatementImport.objects.count() == 0


def test_the_movement_page_shows_the_suggestions(staff: Client) -> None:
    file = plain_file("150.00")
    movement = _waiting("150.00")

    response = staff.get(f"{PAGE}movements/{movement.pk}/")

    assert response.status_code == 200
    assert file.reference.encode() in response.content
    assert b"it owes this amount" in response.content


def test_an_agent_assigns_from_the_movement_page(staff: Client) -> None:
    file = plain_file("200.00")
    movement = _waiting("150.00")

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "assign", "assign-file_reference": file.reference.lower()},
    )

    assert response.status_code == 302
    assert response["Location"] == PAGE
    movement.refresh_from_db()
    assert (movement.status, movement.file_id, movement.decided_by) == (
        MovementStatus.ASSIGNED,
        file.pk,
        "staff:alice",
    )
    page = staff.get(PAGE)
    assert f"Posted to {file.reference}.".encode() in page.content


def test_an_agent_splits_from_the_movement_page(staff: Client) -> None:
    first, second = plain_file("100.00"), plain_file("80.00")
    movement = _waiting("150.00")

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "split", "split-parts": f"{first.reference} 100,00\n{second.reference} 50.00"},
    )

    assert response.status_code == 302
    assert list(MovementAssignment.objects.order_by("id").values_list("file_id", "amount")) == [
        (first.pk, Decimal("100.00")),
        (second.pk, Decimal("50.00")),
    ]


def test_a_split_that_does_not_add_up_is_shown_and_nothing_is_posted(staff: Client) -> None:
    first, second = plain_file("100.00"), plain_file("80.00")
    movement = _waiting("150.00")

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "split", "split-parts": f"{first.reference} 100\n{second.reference} 10"},
    )

    assert response.status_code == 422
    assert b"The parts add up to 110.00, the payment is 150.00." in response.content
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_an_unknown_file_reference_is_a_form_error(staff: Client) -> None:
    movement = _waiting("150.00")

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "assign", "assign-file_reference": "AM99999999"},
    )

    assert response.status_code == 422
    assert b"No file AM99999999." in response.content
    movement.refresh_from_db()
    assert movement.status == MovementStatus.UNMATCHED


def test_an_agent_marks_for_refund_and_the_refund_is_listed(staff: Client) -> None:
    movement = _waiting("150.00", name="PEETERS AN")

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "refund", "refund-reason": "not one of our debtors"},
    )

    assert response.status_code == 302
    refund = Refund.objects.get()
    page = staff.get(PAGE)
    assert refund.reference.encode() in page.content
    assert list(page.context["refunds"]) == [refund]


def test_an_agent_dismisses_an_outgoing_movement(staff: Client) -> None:
    report = import_bytes(coda(debit("20.00", end_to_end_id="E2E-?", r_type="2", reason="AC04")))
    movement = movement_of(report)

    response = staff.post(
        f"{PAGE}movements/{movement.pk}/",
        {"action": "dismiss", "dismiss-reason": "bank error"},
    )

    assert response.status_code == 302
    movement.refresh_from_db()
    assert (movement.status, movement.reason) == (MovementStatus.IGNORED, "bank error")


def test_an_unknown_movement_is_not_found(staff: Client) -> None:
    assert staff.get(f"{PAGE}movements/999/").status_code == 404


def test_a_long_queue_shows_the_oldest_and_says_how_many_there_are(staff: Client) -> None:
    report = import_bytes(
        coda(*(credit(f"{10 + n}.00", text="?", name=f"PAYER {n}") for n in range(205)))
    )
    movements = BankMovementRecord.objects.filter(statement_import_id=report.statement_import_id)
    Refund.objects.bulk_create(
        Refund(
            movement=m,
            reference=f"AMR{m.pk:08d}",
            amount=m.amount,
            iban="BE68539007547034",
            name="PAYER",
            reason="not ours",
            requested_by="t",
        )
        for m in movements
    )

    page = staff.get(PAGE)

    assert len(page.context["waiting"]) == 200
    assert len(page.context["refunds"]) == 200
    assert page.content.count(b"The 200 oldest of 205.") == 2
    assert b"(205)" in page.content
