"""The CODA 2.x reader on built files: references, encodings, globalisations, errors, warnings."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from amicable.domain.references import find_ogms
from amicable.statements import BankMovement, StatementError, parse_statement
from amicable.statements.coda import decode, parse_coda
from tests.statements.builders import (
    D3,
    D4,
    DATA,
    OUR_ACCOUNT,
    CodaStatement,
    Movement,
    accented_utf8,
    coda_file,
    coda_lines,
    data_files,
)


def fields(movement: BankMovement) -> dict[str, Any]:
    """Every field but the identity hash (checked on its own)."""
    values = dataclasses.asdict(movement)
    del values["identity"]
    return values


def movement_fields(**given: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "account": OUR_ACCOUNT,
        "currency": "EUR",
        "value_date": D4,
        "structured_reference": None,
        "communication": "",
        "counterparty_name": None,
        "counterparty_account": None,
        "counterparty_bic": None,
        "end_to_end_id": None,
        "bank_reference": None,
        "transaction_code": "00150000",
        "return_reason": None,
        "is_reversal": False,
        "information": (),
    }
    return values | given


def read(name: str) -> bytes:
    return (DATA / name).read_bytes()


def statement(*movements: Movement, **options: Any) -> CodaStatement:
    values: dict[str, Any] = {
        "account": OUR_ACCOUNT,
        "opening": Decimal("100.00"),
        "opened_on": D3,
        "closed_on": D4,
        "movements": movements,
    }
    return CodaStatement(**(values | options))


def lines_of(*movements: Movement, **options: Any) -> list[str]:
    return coda_lines(statement(*movements, **options))


def parse_lines(lines: list[str]) -> Any:
    return parse_coda(("\n".join(lines) + "\n").encode("ascii"))


def test_data_files_are_built_by_the_builders() -> None:
    assert sorted(path.name for path in DATA.glob("*.cod")) == sorted(data_files())
    for name, content in data_files().items():
        assert read(name) == content, name


def test_references_are_classified_by_content_in_a_crlf_file() -> None:
    data = read("coda_references_crlf.cod")
    assert data.count(b"\n") == data.count(b"\r\n") == 18

    result = parse_statement(data)

    assert result.format == "coda"
    assert result.warnings == []
    [only] = result.statements
    statement_identity = "BE68539007547034 EUR 042/042 2025-03-04"
    assert (only.account, only.currency, only.number, only.identity) == (
        OUR_ACCOUNT,
        "EUR",
        "042",
        statement_identity,
    )
    assert (only.opening_balance, only.closing_balance) == (Decimal("1000.00"), Decimal("1325.84"))
    assert (only.opening_date, only.closing_date, only.is_duplicate) == (D3, D4, False)
    common = {"statement": statement_identity, "booking_date": D4}
    assert [fields(m) for m in only.movements] == [
        movement_fields(
            **common,
            amount=Decimal("150.00"),
            structured_reference="RF18539007547034",  # type 100
            counterparty_name="JANSSENS JAN",
            counterparty_account="BE71096123456769",
            counterparty_bic="GKCCBEBB",
            end_to_end_id="E2E-RF-1",
            bank_reference="REF-RF-1",
            information=("001 JANSSENS JAN",),
        ),
        movement_fields(
            **common,
            amount=Decimal("75.50"),
            structured_reference="010806817183",  # type 101
            counterparty_name="PEETERS AN",
            counterparty_account="BE62510007547061",
            counterparty_bic="GEBABEBB",
            bank_reference="REF-OGM-101",
        ),
        movement_fields(
            **common,
            value_date=D3,
            amount=Decimal("20.00"),
            structured_reference="090933755493",  # type 102, rebuilt by the bank
            counterparty_name="CLAES MARIE",
            counterparty_account="BE96370121620105",  # Belgian BBAN 370-1216201-05 as IBAN
            bank_reference="REF-OGM-102",
        ),
        movement_fields(
            **common,
            amount=Decimal("33.00"),
            communication="000003505158",  # type 101 with wrong check digits: shown, not matched
            bank_reference="REF-BAD-101",
        ),
        movement_fields(
            **common,
            value_date=None,
            amount=Decimal("12.34"),
            communication="Facture 2025-001 +++020/3430/57642+++ merci",
            bank_reference="REF-FREE-1",
        ),
        movement_fields(
            **common,
            amount=Decimal("40.00"),
            structured_reference="240283842818",  # free text that is exactly an OGM
            communication="+++240/2838/42818+++",
            bank_reference="REF-FREE-2",
        ),
        movement_fields(
            **common,
            amount=Decimal("-5.00"),
            communication="Frais de tenue de compte, mois de fevrier, forfait",
            transaction_code="00437000",
        ),
    ]
    assert find_ogms(only.movements[4].communication) == ["020343057642"]


def test_lf_and_crlf_files_read_the_same() -> None:
    crlf = read("coda_references_crlf.cod")

    assert parse_statement(crlf.replace(b"\r\n", b"\n")) == parse_statement(crlf)


def test_a_cp1252_file_is_decoded_before_it_is_sliced() -> None:
    data = read("coda_accented_cp1252.cod")
    assert b"\x80" in data  # the euro sign: cp1252, not UTF-8 nor latin-1

    result = parse_statement(data)

    assert result.warnings == []
    first, second = result.movements
    assert first.communication == "Réf. dossier AM00000012 – solde 61 €, reçu avec mes excuses"
    assert first.counterparty_name == "FRANÇOISE DUPRÉ"
    assert (second.counterparty_name, second.structured_reference) == (
        "JÜRGEN MÜLLER",
        "123123412328",
    )
    assert second.information == ("001 JÜRGEN MÜLLER, KÖLN",)
    assert second.counterparty_account == "DE89370400440532013000"


def test_a_utf8_file_reads_like_its_cp1252_twin() -> None:
    utf8 = accented_utf8()
    assert max(len(line) for line in utf8.split(b"\n")) > 128  # bytes; 128 characters each

    assert parse_statement(utf8) == parse_statement(read("coda_accented_cp1252.cod"))


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    data = coda_file(
        # 0x9D is undefined in cp1252, and not a UTF-8 lead byte either.
        statement(Movement(Decimal("1.00"), D4, D4, counterparty_name="\x9dANDRÉ")),
        encoding="latin-1",
    )

    [movement] = parse_statement(data).movements

    assert movement.counterparty_name == "\x9dANDRÉ"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"plain", "plain", id="ascii"),
        pytest.param("Müller".encode(), "Müller", id="utf8"),
        pytest.param("Müller €".encode("cp1252"), "Müller €", id="cp1252"),
        pytest.param(b"\x81\xe9", "\x81é", id="latin1_fallback"),
        pytest.param(b"\xef\xbb\xbfM\xc3\xbc", "Mü", id="utf8_bom"),
        pytest.param("Mü".encode("utf-16"), "Mü", id="utf16_bom"),
    ],
)
def test_decode(data: bytes, expected: str) -> None:
    assert decode(data) == expected


def test_a_bom_that_lies_is_a_clean_error() -> None:
    with pytest.raises(StatementError, match=r"^file: not valid utf-8-sig text"):
        decode(b"\xef\xbb\xbf\xff")


def test_a_bank_globalisation_is_booked_through_its_details() -> None:
    result = parse_statement(read("coda_globalisation.cod"))

    assert result.warnings == []
    movements = result.movements
    assert [
        (m.amount, m.structured_reference, m.counterparty_name, m.transaction_code)
        for m in movements
    ] == [
        (Decimal("100.00"), "010806817183", "PEETERS AN", "60150000"),
        (Decimal("150.00"), "090933755493", "CLAES MARIE", "60150000"),
        (Decimal("50.00"), "123123412328", "MAES PIETER", "60150000"),
        # A type-3 total is one payment; its type-8 records only break it down.
        (Decimal("95.00"), None, "OLGERDIN EHF", "34150000"),
        (Decimal("10.00"), None, None, "00150000"),
    ]
    assert [m.end_to_end_id for m in movements[:3]] == ["E2E-GLOB-1", "E2E-GLOB-2", "E2E-GLOB-3"]
    [only] = result.statements
    assert only.closing_balance == sum((m.amount for m in movements), Decimal(0))


def test_a_customer_globalisation_is_booked_through_its_details() -> None:
    result = parse_lines(
        lines_of(
            Movement(Decimal("-30.00"), D4, D4, code="10105000", globalisation=1),
            Movement(Decimal("-10.00"), D4, D4, sequence=1, detail=1, code="50105000"),
            Movement(Decimal("-20.00"), D4, D4, sequence=1, detail=2, code="50105000"),
        )
    )

    assert [m.amount for m in result.movements] == [Decimal("-10.00"), Decimal("-20.00")]
    assert result.warnings == []


def test_details_that_do_not_add_up_to_their_globalisation_are_reported() -> None:
    result = parse_lines(
        lines_of(
            Movement(Decimal("300.00"), D4, D4, code="20150000", globalisation=1),
            Movement(Decimal("100.00"), D4, D4, sequence=1, detail=1, code="60150000"),
            Movement(Decimal("150.00"), D4, D4, sequence=1, detail=2, code="60150000"),
        )
    )

    assert [m.amount for m in result.movements] == [Decimal("100.00"), Decimal("150.00")]
    assert [str(w) for w in result.warnings] == [
        "line 3: the details of globalisation 0001 add up to 250.00, its total is 300.00; "
        "the details are booked"
    ]


def test_details_without_their_total_are_booked() -> None:
    # A "separate application" file carries the details with zero balances.
    result = parse_lines(
        lines_of(
            Movement(Decimal("100.00"), D4, D4, sequence=1, detail=1, code="60150000"),
            Movement(Decimal("-100.00"), D4, D4, sequence=1, detail=2, code="60150000"),
            opening=Decimal("0"),
        )
    )

    assert [m.amount for m in result.movements] == [Decimal("100.00"), Decimal("-100.00")]


def test_several_statements_in_one_file_and_a_returned_payment() -> None:
    result = parse_statement(read("coda_two_statements_return.cod"))

    assert result.warnings == []
    first, second = result.statements
    assert [(s.number, s.opening_balance, s.closing_balance) for s in result.statements] == [
        ("010", Decimal("500.00"), Decimal("750.00")),
        ("011", Decimal("750.00"), Decimal("500.00")),
    ]
    assert second.information == (
        "Votre gestionnaire de compte a change.",
        "Merci de votre confiance.",
    )
    [payment], [returned] = first.movements, second.movements
    assert (payment.amount, payment.return_reason, payment.booking_date) == (
        Decimal("250.00"),
        None,
        date(2025, 3, 10),
    )
    assert fields(returned) == movement_fields(
        statement="BE68539007547034 EUR 011/011 2025-03-11",
        booking_date=date(2025, 3, 11),
        value_date=date(2025, 3, 10),
        amount=Decimal("-250.00"),
        structured_reference="123123412328",
        counterparty_name="MAES PIETER",
        counterparty_account="BE71096123456769",
        counterparty_bic="GKCCBEBB",
        end_to_end_id="E2E-PAY-1",
        bank_reference="RETURN-1",
        transaction_code="00149000",
        return_reason="AC04",
    )
    assert payment.identity != returned.identity


def test_a_reversal_r_transaction_is_marked() -> None:
    result = parse_lines(
        lines_of(Movement(Decimal("-5.00"), D4, D4, r_type="4", reason="MS03", end_to_end_id="X"))
    )

    [movement] = result.movements
    assert (movement.is_reversal, movement.return_reason) == (True, "MS03")


def test_an_r_type_with_data_of_an_older_layout_is_ignored() -> None:
    # Before CODA 2.3 these positions held other data (febelfin sample: "4" then "3246").
    result = parse_lines(lines_of(Movement(Decimal("5.00"), D4, D4, r_type="4", reason="3246")))

    [movement] = result.movements
    assert (movement.is_reversal, movement.return_reason) == (False, None)


def test_identities_are_stable_and_unique() -> None:
    data = read("coda_references_crlf.cod")
    first, again = parse_statement(data).movements, parse_statement(data).movements

    assert [m.identity for m in first] == [m.identity for m in again]
    assert len({m.identity for m in first}) == len(first)
    assert all(len(m.identity) == 64 for m in first)


def test_a_duplicate_file_gives_the_same_identities_and_says_so() -> None:
    base = statement(Movement(Decimal("5.00"), D4, D4, communication="A"))
    original = parse_statement(coda_file(base))
    duplicate = parse_statement(coda_file(dataclasses.replace(base, duplicate=True)))

    assert [m.identity for m in duplicate.movements] == [m.identity for m in original.movements]
    assert duplicate.statements[0].is_duplicate is True
    assert [str(w) for w in duplicate.warnings] == [
        "line 1: the bank marks this file as a duplicate of one already sent"
    ]


def test_identities_stay_unique_when_the_sequence_wraps_after_9999() -> None:
    same = {"amount": Decimal("5.00"), "booking_date": D4, "value_date": D4}
    result = parse_lines(
        lines_of(
            Movement(**same, sequence=1),
            Movement(**same, sequence=9999),
            Movement(**same, sequence=10_000),  # written 0000
            Movement(**same, sequence=10_001),  # written 0001, like the first
        )
    )

    assert [m.bank_reference for m in result.movements] == [None] * 4
    assert len({m.identity for m in result.movements}) == 4


def test_an_empty_statement_has_no_new_balance_record() -> None:
    lines = lines_of()
    without_8 = [line for line in lines if line[0] != "8"]
    without_8[-1] = without_8[-1][:16] + "000001" + without_8[-1][22:]

    result = parse_lines(without_8)

    [only] = result.statements
    assert (only.movements, only.opening_balance, only.closing_balance, only.closing_date) == (
        [],
        Decimal("100.00"),
        Decimal("100.00"),
        D3,
    )
    assert result.warnings == []


MOVEMENT = Movement(Decimal("12.50"), D4, D4, communication="PAYMENT")


def _replace(line: str, start: int, text: str) -> str:
    return line[:start] + text + line[start + len(text) :]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda ls: [*ls[:2], ls[2] + " ", *ls[3:]],
            "line 3: record is 129 characters long, not 128",
            id="record_too_long",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 40, "x"), *ls[3:]],
            "line 3: amount '00000000x012500' is not a 15-digit amount",
            id="amount_not_digits",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 31, "2"), *ls[3:]],
            "line 3: amount sign '2' is neither 0 nor 1",
            id="amount_sign",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 115, "310225"), *ls[3:]],
            "line 3: entry date '310225' is not a date (DDMMYY)",
            id="impossible_entry_date",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 47, "04 325"), *ls[3:]],
            "line 3: value date '04 325' is not a date (DDMMYY)",
            id="value_date_not_digits",
        ),
        pytest.param(
            lambda ls: [*ls[:1], _replace(ls[1], 58, "000000"), *ls[2:]],
            "line 2: old balance date '000000' is not a date (DDMMYY)",
            id="old_balance_date",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 2, "00A1"), *ls[3:]],
            "line 3: sequence and detail numbers '00A10000' are not digits",
            id="sequence_not_digits",
        ),
        pytest.param(
            lambda ls: ls[:-1], "line 4: the file ends before its trailer record 9", id="no_trailer"
        ),
        pytest.param(
            lambda ls: [ls[0], *ls[2:]],
            "line 2: record 21 outside a statement's movements",
            id="no_old_balance",
        ),
        pytest.param(
            lambda ls: [ls[1], *ls], "line 1: not a CODA file: no header record 0", id="no_header"
        ),
        pytest.param(
            lambda ls: [*ls[:2], "5" + ls[2][1:], *ls[3:]],
            "line 3: unknown record type '5'",
            id="unknown_record",
        ),
        pytest.param(
            lambda ls: [*ls[:2], "24" + ls[2][2:], *ls[3:]],
            "line 3: unknown record type '24'",
            id="unknown_record_2x",
        ),
        pytest.param(
            lambda ls: [*ls[:2], "22" + ls[2][2:], *ls[3:]],
            "line 3: record 2.2 before any record 2.1",
            id="continuation_first",
        ),
        pytest.param(
            lambda ls: [*ls[:2], ls[1], *ls[2:]],
            "line 3: old balance record 1 not right after a header record 0",
            id="two_old_balances",
        ),
        pytest.param(
            lambda ls: [*ls[:3], ls[0], *ls[3:]],
            "line 4: header record 0 before the previous trailer record 9",
            id="header_inside",
        ),
        pytest.param(
            lambda ls: [*ls, ls[2]],
            "line 6: record 21 outside a statement's movements",
            id="movement_after_trailer",
        ),
        pytest.param(
            lambda ls: [*ls[:4], ls[3], ls[4]],
            "line 5: new balance record 8 outside a statement",
            id="new_balance_twice",
        ),
        pytest.param(
            lambda ls: [ls[0][:127] + "1", *ls[1:]],
            "line 1: CODA version 1 is not supported; ask the bank for version 2",
            id="version_1",
        ),
        pytest.param(
            lambda ls: [ls[0], _replace(ls[1], 1, "7"), *ls[2:]],
            "line 2: unknown account structure '7'",
            id="account_structure",
        ),
        pytest.param(
            lambda ls: [ls[0], _replace(ls[1], 39, "E1R"), *ls[2:]],
            "line 2: currency 'E1R' is not a currency code",
            id="currency",
        ),
        pytest.param(
            lambda ls: [*ls[:-1], _replace(ls[-1], 16, "00000x")],
            "line 5: record count '00000x' is not a number",
            id="trailer_count",
        ),
        pytest.param(
            lambda ls: [*ls[:-2], ls[-1]],
            "line 4: trailer record 9 without a new balance record 8",
            id="movements_without_new_balance",
        ),
        pytest.param(
            lambda ls: [*ls[:2], _replace(ls[2], 70, "\x00"), *ls[3:]],
            "line 3: position 71 holds a NUL character (byte 0), which no CODA record contains: "
            "the file is damaged or not a CODA file",
            id="nul_in_a_communication",
        ),
        pytest.param(
            lambda ls: [*ls[:-1], ls[-1][:127] + "\x00"],
            "line 5: position 128 holds a NUL character (byte 0), which no CODA record contains: "
            "the file is damaged or not a CODA file",
            id="nul_in_a_trailer",
        ),
    ],
)
def test_malformed_files_raise_a_clean_error_naming_the_line(change: Any, expected: str) -> None:
    lines = change(lines_of(MOVEMENT))

    with pytest.raises(StatementError) as raised:
        parse_lines(lines)

    assert str(raised.value) == expected


def test_a_utf16_file_without_its_byte_order_mark_is_refused_at_its_first_nul() -> None:
    data = ("\n".join(lines_of(MOVEMENT)) + "\n").encode("utf-16-le")

    with pytest.raises(StatementError) as raised:
        parse_statement(data, format="coda")

    assert raised.value.location == "line 1"
    assert raised.value.message.startswith("position 2 holds a NUL character (byte 0)")


def test_the_largest_amounts_are_read_exactly() -> None:
    largest = Decimal("999999999999.999")
    lines = lines_of(
        Movement(largest, D4, D4), Movement(-largest, D4, D4), opening=-largest, closing=-largest
    )

    result = parse_lines(lines)

    assert [m.amount for m in result.movements] == [largest, -largest]
    assert (result.statements[0].opening_balance, result.warnings) == (-largest, [])


def test_an_empty_file_is_an_error() -> None:
    with pytest.raises(StatementError, match=r"^file: the file is empty$"):
        parse_coda(b"\n\r\n")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(
            lambda ls: [*ls[:3], ls[3][:127].rstrip(), ls[4]],
            ["line 4: record is 63 characters long, not 128; padded with blanks"],
            id="trailing_blanks_stripped",
        ),
        pytest.param(
            lambda ls: [*ls[:3], "", *ls[3:]],
            ["line 4: blank line skipped"],
            id="blank_line",
        ),
        pytest.param(
            lambda ls: [*ls[:-1], _replace(ls[-1], 16, "000009")],
            ["line 5: record 9 announces 9 records, the statement has 3"],
            id="record_count",
        ),
        pytest.param(
            lambda ls: [*ls[:-1], _replace(ls[-1], 37, "000000000099000")],
            [
                "line 5: record 9 credit total is 99.00, the movements 12.50",
            ],
            id="credit_total",
        ),
        pytest.param(
            lambda ls: [*ls[:-1], _replace(ls[-1], 22, "000000000001000")],
            ["line 5: record 9 debit total is 1.00, the movements 0.00"],
            id="debit_total",
        ),
        pytest.param(
            lambda ls: [*ls[:3], _replace(ls[3], 42, "000000000999000"), ls[4]],
            [
                "line 4: the new balance is 999.00, but the old balance 100.00 plus the "
                "movements gives 112.50"
            ],
            id="balance",
        ),
        pytest.param(
            lambda ls: [*ls[:3], _replace(ls[3], 4, "BE71096123456769"), ls[4]],
            [
                "line 4: record 8 is for account BE71096123456769 EUR, record 1 for "
                "BE68539007547034 EUR"
            ],
            id="record_8_account",
        ),
        pytest.param(
            lambda ls: [*ls[:3], "4 00010000" + " " * 22 + "EARLY".ljust(95) + "0", *ls[3:]],
            ["line 4: free communication record 4 before the new balance (8)"],
            id="record_4_before_8",
        ),
        pytest.param(
            lambda ls: [ls[0][:127] + " ", *ls[1:]],
            ["line 1: version code ' ', read as CODA 2"],
            id="version_blank",
        ),
    ],
)
def test_integrity_problems_are_warnings_naming_the_line(change: Any, expected: list[str]) -> None:
    lines = change(lines_of(MOVEMENT))

    result = parse_lines(lines)

    assert [str(w) for w in result.warnings] == expected
    assert [m.amount for m in result.movements] == [Decimal("12.50")]


def test_a_continuation_with_another_sequence_is_reported() -> None:
    lines = lines_of(Movement(Decimal("1.00"), D4, D4, end_to_end_id="E2E", communication="X"))
    lines[3] = _replace(lines[3], 2, "0002")

    result = parse_lines(lines)

    assert [str(w) for w in result.warnings] == [
        "line 4: record 2.2 has sequence '0002', its movement record 2.1 (line 3) has '0001'"
    ]
    assert result.movements[0].end_to_end_id == "E2E"


def test_information_records_give_the_counterparty_name_when_2_3_has_none() -> None:
    result = parse_lines(
        lines_of(Movement(Decimal("1.00"), D4, D4, information_name="LONG NAME OF THE PAYER SRL"))
    )

    [movement] = result.movements
    assert movement.counterparty_name == "LONG NAME OF THE PAYER SRL"
    assert movement.information == ("001 LONG NAME OF THE PAYER SRL",)


def test_a_free_communication_is_joined_across_records_without_inventing_spaces() -> None:
    text = "A" * 50 + " split-wo" + "rd across the records, and 2.3 carries the end of it!"
    result = parse_lines(lines_of(Movement(Decimal("1.00"), D4, D4, communication=text)))

    assert result.movements[0].communication == text


def test_a_movement_read_twice_is_reported() -> None:
    lines = lines_of(MOVEMENT)
    lines.insert(3, lines[2])
    lines[-1] = _replace(lines[-1], 16, "000004")
    lines[-1] = _replace(lines[-1], 37, "000000000025000")
    lines[-2] = _replace(lines[-2], 42, "000000000125000")

    result = parse_lines(lines)

    assert [m.amount for m in result.movements] == [Decimal("12.50"), Decimal("12.50")]
    assert result.movements[0].identity == result.movements[1].identity
    assert [str(w) for w in result.warnings] == [
        "statement 001: the movement of 2025-03-04 for 12.50 (bank reference none) was already "
        "read in this file"
    ]


def test_a_breakdown_without_its_total_is_reported_and_not_booked() -> None:
    result = parse_lines(
        lines_of(
            Movement(Decimal("100.00"), D4, D4, sequence=1, detail=1, code="84150000"),
            Movement(Decimal("-5.00"), D4, D4, sequence=1, detail=2, code="84137000"),
            closing=Decimal("100.00"),
        )
    )

    assert result.movements == []
    assert [str(w) for w in result.warnings] == [
        "line 3: sequence 0001 has neither a total nor a detail of type 5, 6 or 7: nothing booked"
    ]
