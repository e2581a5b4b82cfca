"""What the statement readers accept is what the database stores: limits, extremes, refusals.

Run on PostgreSQL (``DATABASE_URL``) these show that nothing a reader accepts is refused by the
database (a 500 on the staff page), and that what it refuses is a clean error naming the line or
element, before anything is written.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import DecimalValidator
from django.db import models
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.files.models import LedgerEntry
from amicable.payments.models import (
    BankMovementRecord,
    BankStatement,
    MovementAssignment,
    MovementStatus,
    Refund,
    StatementImport,
)
from amicable.statements.model import MAX_AMOUNT, WIDTHS
from tests.payments.helpers import BOOKED, coda, credit, import_bytes, movement_of, plain_file
from tests.staff import make_staff, sign_in
from tests.statements.builders import OUR_ACCOUNT, CodaStatement, camt_document, coda_file

pytestmark = pytest.mark.django_db

CENT = Decimal("0.01")
PAGE = "/backoffice/statements/"


def _fits(value: Decimal, field: models.Field[object, object]) -> bool:
    assert isinstance(field, models.DecimalField)
    try:
        DecimalValidator(field.max_digits, field.decimal_places)(value)
    except ValidationError:
        return False
    return True


def test_each_width_a_reader_allows_is_the_width_stored() -> None:
    movement = {
        name: BankMovementRecord._meta.get_field(name).max_length
        for name in WIDTHS
        if not name.startswith("statement_")
    }
    statement = {
        "statement_number": BankStatement._meta.get_field("number").max_length,
        "statement_identity": BankStatement._meta.get_field("identity").max_length,
    }

    assert movement | statement == WIDTHS
    assert BankStatement._meta.get_field("account").max_length == WIDTHS["account"]
    assert BankStatement._meta.get_field("currency").max_length == WIDTHS["currency"]


def test_the_largest_amount_a_reader_allows_is_the_largest_stored() -> None:
    # A movement and its statement's balances keep the amount as read; a payment posted to a
    # ledger, its assignment and a refund keep it in whole cents (a fraction is never posted).
    as_read = [
        BankMovementRecord._meta.get_field("amount"),
        BankStatement._meta.get_field("opening_balance"),
        BankStatement._meta.get_field("closing_balance"),
    ]
    in_cents = [
        LedgerEntry._meta.get_field("amount"),
        MovementAssignment._meta.get_field("amount"),
        Refund._meta.get_field("amount"),
    ]
    largest_in_cents = MAX_AMOUNT.quantize(CENT, rounding=ROUND_DOWN)

    assert all(_fits(-MAX_AMOUNT, field) for field in as_read)
    assert all(_fits(-largest_in_cents, field) for field in in_cents)
    # One cent more would not fit a ledger.
    assert not all(_fits(largest_in_cents + CENT, field) for field in in_cents)


def test_the_largest_coda_payment_is_stored_posted_and_its_excess_refunded() -> None:
    file = plain_file("200.00")
    largest = credit(
        "999999999999.99",
        ogm=file.structured_communication,
        name="N" * 35,
        account="BE71096123456769",
    )
    data = coda_file(
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("-999999999999.999"),
            opened_on=BOOKED,
            closed_on=BOOKED,
            movements=[largest],
        )
    )

    report = import_bytes(data)

    movement = movement_of(report)
    assert (movement.amount, movement.status) == (
        Decimal("999999999999.99"),
        MovementStatus.MATCHED,
    )
    assert BankStatement.objects.get().opening_balance == Decimal("-999999999999.999")
    assert Refund.objects.get().amount == Decimal("999999999799.99")


def _widest_camt() -> bytes:
    """A camt.053 statement whose every stored text has the largest width allowed."""
    name = "N" * 140
    return camt_document(
        f"<Stmt><Id>{'I' * 35}</Id><LglSeqNb>{'9' * 35}</LglSeqNb>"
        f"<Acct><Id><Othr><Id>{'A' * 34}</Id></Othr></Id><Ccy>EUR</Ccy></Acct>"
        '<Ntry><Amt Ccy="EUR">999999999999.999</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-05-09</Dt></BookgDt>"
        f"<AcctSvcrRef>{'R' * 35}</AcctSvcrRef>"
        f"<BkTxCd><Prtry><Cd>{'C' * 35}</Cd></Prtry></BkTxCd>"
        f"<NtryDtls><TxDtls><Refs><EndToEndId>{'E' * 35}</EndToEndId>"
        f"<AcctSvcrRef>{'T' * 35}</AcctSvcrRef></Refs>"
        f"<RltdPties><Dbtr><Nm>{name}</Nm></Dbtr>"
        f"<DbtrAcct><Id><Othr><Id>{'B' * 34}</Id></Othr></Id></DbtrAcct></RltdPties>"
        "<RltdAgts><DbtrAgt><FinInstnId><BICFI>GKCCBEBBXXX</BICFI></FinInstnId></DbtrAgt>"
        f"</RltdAgts><RmtInf><Ustrd>{'U' * 140}</Ustrd></RmtInf>"
        f"<RtrInf><Rsn><Prtry>{'P' * 35}</Prtry></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>"
        "</Stmt>"
    )


def test_the_widest_camt_statement_is_stored_as_read() -> None:
    report = import_bytes(_widest_camt(), name="widest.xml")

    movement = movement_of(report)
    statement = BankStatement.objects.get()
    assert (statement.account, statement.number) == ("A" * 34, "9" * 35)
    assert (
        movement.amount,
        movement.counterparty_name,
        movement.counterparty_account,
        movement.counterparty_bic,
        movement.end_to_end_id,
        movement.bank_reference,
        movement.transaction_code,
        movement.return_reason,
    ) == (
        Decimal("999999999999.999"),
        "N" * 140,
        "B" * 34,
        "GKCCBEBBXXX",
        "E" * 35,
        "T" * 35,
        "C" * 35,
        "P" * 35,
    )


@pytest.fixture
def staff() -> Client:
    return sign_in(Client(), make_staff(Role.ACCOUNTANT))


@pytest.mark.parametrize(
    ("data", "name", "shown"),
    [
        pytest.param(
            _widest_camt().replace(b">999999999999.999<", b">99999999999999.99<"),
            "big.xml",
            b"Stmt[1]/Ntry[1]/Amt: amount &#x27;99999999999999.99&#x27; is beyond the largest "
            b"amount a statement may hold, 999999999999.999",
            id="camt_amount",
        ),
        pytest.param(
            _widest_camt().replace(b"N" * 140, b"N" * 141),
            "long.xml",
            b"Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/RltdPties/Dbtr/Nm: ",
            id="camt_name",
        ),
        pytest.param(
            coda(credit("20.00", text="ONE\x00TWO")),
            "nul.cod",
            b"line 3: position 66 holds a NUL character (byte 0), which no CODA record "
            b"contains: the file is damaged or not a CODA file",
            id="coda_nul",
        ),
    ],
)
def test_a_value_the_database_cannot_store_is_refused_by_the_reader(
    staff: Client, data: bytes, name: str, shown: bytes
) -> None:
    response = staff.post(PAGE, {"statement": SimpleUploadedFile(name, data), "format": ""})

    assert response.status_code == 422
    assert shown in response.content
    assert StatementImport.objects.count() == 0
    assert BankMovementRecord.objects.count() == 0
