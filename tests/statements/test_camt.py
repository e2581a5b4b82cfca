"""The camt.053 reader on built documents: references, batches, reversals, errors, warnings."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from amicable.statements import StatementError, parse_statement
from amicable.statements.camt import parse_camt053
from tests.statements.builders import (
    DATA,
    OUR_ACCOUNT,
    camt_balance,
    camt_document,
    camt_statement,
)
from tests.statements.test_coda import fields, movement_fields

D4 = date(2025, 3, 4)
REFERENCES = (DATA / "camt053_001_02_references.xml").read_bytes()
BATCH = (DATA / "camt053_001_08_batch.xml").read_bytes()


def test_belgian_references_in_a_001_02_statement() -> None:
    result = parse_statement(REFERENCES)

    assert result.format == "camt053"
    # The summary and the balances add up; only the pending entry is reported.
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[4]: status PDNG, not booked: left out"
    ]
    [only] = result.statements
    assert (only.account, only.currency, only.number, only.identity) == (
        OUR_ACCOUNT,
        "EUR",
        "63",
        "BE68539007547034 EUR STMT-2025-063",
    )
    assert (only.opening_balance, only.closing_balance) == (Decimal("1000.00"), Decimal("1122.34"))
    assert (only.opening_date, only.closing_date) == (date(2025, 3, 3), D4)
    common = {"statement": only.identity, "booking_date": D4}
    assert [fields(m) for m in only.movements] == [
        movement_fields(
            **common,
            amount=Decimal("75.50"),
            structured_reference="010806817183",  # Issr BBA
            counterparty_name="PEETERS AN",
            counterparty_account="BE62510007547061",
            counterparty_bic="GEBABEBB",
            end_to_end_id="E2E-OGM-1",
            bank_reference="BANKREF-001",
            transaction_code="PMNT/RCDT/ESCT",
        ),
        movement_fields(
            **common,
            amount=Decimal("150.00"),
            structured_reference="RF18539007547034",  # Issr ISO
            counterparty_name="JANSSENS JAN",
            counterparty_account="BE71096123456769",
            end_to_end_id=None,  # NOTPROVIDED
            bank_reference="BANKREF-002",
            transaction_code="PMNT/RCDT/ESCT",
        ),
        movement_fields(
            **common,
            value_date=None,
            amount=Decimal("12.34"),
            communication="Facture 2025-001 +++020/3430/57642+++",
            counterparty_name="DUPRÉ FRANÇOISE",
            bank_reference="BANKREF-003",
            transaction_code=None,
            information=("VIREMENT SEPA RECU",),
        ),
        movement_fields(
            **common,
            amount=Decimal("-75.50"),  # DBIT: the reversal's own direction (ISO 20022)
            structured_reference="010806817183",
            counterparty_name="PEETERS AN",  # the payer of the reversed credit, not us
            counterparty_account="BE62510007547061",
            end_to_end_id="E2E-OGM-1",
            bank_reference="BANKREF-005",
            transaction_code="PMNT/RCDT/ESCT",
            is_reversal=True,
        ),
        movement_fields(
            **common,
            amount=Decimal("-40.00"),
            structured_reference="123123412328",  # no Tp at all: classified by content
            counterparty_name="MAES PIETER",
            counterparty_account="BE71096123456769",
            counterparty_bic="GKCCBEBB",
            end_to_end_id="E2E-RET-1",
            bank_reference="BANKREF-006",
            transaction_code="PMNT/ICDT/RRTN",
            return_reason="MS02",
        ),
    ]


def test_a_batch_gives_one_movement_per_transaction_in_a_001_08_document() -> None:
    result = parse_statement(BATCH)

    assert result.warnings == []
    first, second = result.statements
    # PRCD (previous closing, debit) stands in for a missing OPBD; DtTm gives the date.
    assert (first.number, first.opening_balance, first.closing_balance, first.closing_date) == (
        "12",
        Decimal("-20.00"),
        Decimal("280.00"),
        D4,
    )
    assert first.currency == "EUR"  # no Acct/Ccy: taken from the entries
    assert [
        (
            m.amount,
            m.structured_reference,
            m.counterparty_name,
            m.counterparty_account,
            m.counterparty_bic,
            m.end_to_end_id,
            m.bank_reference,
            m.information,
        )
        for m in first.movements
    ] == [
        (
            Decimal("100.00"),
            "010806817183",
            "PEETERS AN",
            "BE62510007547061",
            "GEBABEBB",
            "E2E-B-1",
            "BATCH-0001-A",
            (),
        ),
        (
            Decimal("150.00"),
            "090933755493",
            "CLAES MARIE",
            "BE71096123456769",
            None,
            "E2E-B-2",
            "BATCH-0001-B",
            (),
        ),
        # The 16-digit BBA reference is skipped for the next Strd, a valid RF.
        (
            Decimal("50.00"),
            "RF18123456789",
            "MAES PIETER",
            "NL91ABNA0417164300",
            None,
            "E2E-B-3",
            "BATCH-0001-C",
            ("Paid by his partner",),
        ),
    ]
    assert {m.booking_date for m in first.movements} == {D4}
    assert len({m.identity for m in result.movements}) == 4
    [charges] = second.movements
    assert (second.account, second.number, charges.amount, charges.transaction_code) == (
        "BE71096123456769",
        "7",
        Decimal("-12.00"),
        "0437000",
    )
    assert (charges.communication, charges.information) == ("", ("FRAIS DE TENUE DE COMPTE",))


def _prefixed(document: bytes) -> bytes:
    text = document.decode()
    text = re.sub(r"<(/?)([A-Za-z])", r"<\1c:\2", text)
    return text.replace("xmlns=", "xmlns:c=").encode()


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda d: d.replace(b".001.02", b".001.05"), id="other_version"),
        pytest.param(
            lambda d: d.replace(b' xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"', b""),
            id="no_namespace",
        ),
        pytest.param(_prefixed, id="prefixed_namespace"),
        pytest.param(lambda d: b"\xef\xbb\xbf" + d, id="utf8_bom"),
        # The namespace declared after a long comment, and again on a nested element.
        pytest.param(
            lambda d: d.replace(b"<Document", b"<!--" + b"x" * 5000 + b"--><Document", 1).replace(
                b"<Stmt>", b'<Stmt xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
            ),
            id="namespace_declared_later",
        ),
        pytest.param(
            lambda d: d.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"),
            id="utf16",
        ),
    ],
)
def test_elements_are_matched_by_local_name(change: Any) -> None:
    assert parse_statement(change(REFERENCES)) == parse_statement(REFERENCES)


def test_identities_survive_an_overlapping_statement() -> None:
    # The same entry delivered again in another statement (other Id, other balances).
    again = BATCH.replace(b"STMT-BATCH-1", b"STMT-BATCH-2")

    first = parse_statement(BATCH).statements[0].movements
    second = parse_statement(again).statements[0].movements

    assert [m.statement for m in second] != [m.statement for m in first]
    assert [m.identity for m in second] == [m.identity for m in first]


def _entry(
    amount: str = "10.00",
    *,
    indicator: str = "CRDT",
    status: str = "<Sts>BOOK</Sts>",
    dates: str = "<BookgDt><Dt>2025-03-04</Dt></BookgDt>",
    details: str = "",
    reference: str = "",
) -> str:
    return (
        f'<Ntry><Amt Ccy="EUR">{amount}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>{status}'
        f"{dates}{reference}{details}</Ntry>\n"
    )


def _document(*entries: str, opening: str = "0.00", closing: str = "10.00") -> bytes:
    return camt_document(
        camt_statement(
            identifier="S-1",
            account=OUR_ACCOUNT,
            opening=opening,
            closing=closing,
            entries="".join(entries),
        ),
        version="02",
    )


def _batch(*transactions: str, count: int | None = None) -> str:
    batch = "" if count is None else f"<Btch><NbOfTxs>{count}</NbOfTxs></Btch>"
    return f"<NtryDtls>{batch}{''.join(transactions)}</NtryDtls>"


def _transaction(amount: str | None, reference: str = "") -> str:
    amount_element = (
        f'<AmtDtls><TxAmt><Amt Ccy="EUR">{amount}</Amt></TxAmt></AmtDtls>' if amount else ""
    )
    remittance = f"<RmtInf><Ustrd>{reference}</Ustrd></RmtInf>" if reference else ""
    return f"<TxDtls>{amount_element}{remittance}</TxDtls>"


def test_a_batch_without_amounts_is_booked_as_one_movement() -> None:
    result = parse_camt053(
        _document(_entry(details=_batch(_transaction(None, "A"), _transaction(None, "B"))))
    )

    assert [(m.amount, m.communication) for m in result.movements] == [(Decimal("10.00"), "")]
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[1]/NtryDtls: a batch of 2 transactions without an amount in the entry's "
        "currency for each: booked as one movement"
    ]


def test_a_batch_that_does_not_add_up_is_reported() -> None:
    entry = _entry(details=_batch(_transaction("4.00", "A"), _transaction("5.00", "B"), count=3))

    result = parse_camt053(_document(entry, closing="9.00"))

    assert [(m.amount, m.communication) for m in result.movements] == [
        (Decimal("4.00"), "A"),
        (Decimal("5.00"), "B"),
    ]
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[1]/NtryDtls[1]/Btch/NbOfTxs: announces 3 transactions, the batch holds 2",
        "Stmt[1]/Ntry[1]/NtryDtls: the 2 transactions add up to 9.00, the entry is 10.00",
        "Stmt[1]/Bal[2]/Amt: the closing balance is 9.00, but the opening balance 0.00 plus "
        "the booked entries gives 10.00",
    ]


def test_a_booked_entry_without_booking_date_takes_its_value_date() -> None:
    entry = _entry(dates="<ValDt><Dt>2025-03-02</Dt></ValDt>")

    result = parse_camt053(_document(entry))

    assert [m.booking_date for m in result.movements] == [date(2025, 3, 2)]
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[1]/BookgDt: missing: the value date is used"
    ]


def test_unstructured_lines_cut_by_the_bank_are_joined_without_a_space() -> None:
    first = "x" * 139 + "A"
    entry = _entry(
        details="<NtryDtls><TxDtls><RmtInf>"
        f"<Ustrd>{first}</Ustrd><Ustrd>BC</Ustrd><Ustrd>D</Ustrd>"
        "</RmtInf></TxDtls></NtryDtls>"
    )

    [movement] = parse_camt053(_document(entry)).movements

    assert movement.communication == f"{first}BC D"


def test_an_unstructured_text_that_is_exactly_an_ogm_is_the_reference() -> None:
    entry = _entry(details=_batch(_transaction(None, "*** 090/9337/55493 ***")))

    [movement] = parse_camt053(_document(entry)).movements

    assert movement.structured_reference == "090933755493"


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document><BkToCstmrStmt><Stmt><Id>&xxe;</Id></Stmt></BkToCstmrStmt></Document>"""
LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document>&lol3;</Document>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://example.invalid/camt.dtd"><Document/>"""


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        pytest.param(XXE, "DOCTYPE", "a statement never declares a DTD; refused", id="xxe"),
        pytest.param(
            LAUGHS, "DOCTYPE", "a statement never declares a DTD; refused", id="billion_laughs"
        ),
        pytest.param(
            EXTERNAL_DTD, "DOCTYPE", "a statement never declares a DTD; refused", id="external_dtd"
        ),
        pytest.param(
            b"<Document><BkToCstmrStmt></Document>",
            "line 1, column 27",
            "XML error: mismatched tag",
            id="mismatched_tag",
        ),
        pytest.param(
            b"<a>\xff</a>",
            "line 1, column 3",
            "XML error: not well-formed (invalid token)",
            id="invalid_byte",
        ),
        pytest.param(
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02">'
            b"<BkToCstmrAcctRpt/></Document>",
            "Document",
            "a camt.052 account report, not a camt.053 statement",
            id="camt052",
        ),
        pytest.param(
            b"<html><body/></html>",
            "html",
            "a <html> document, not a camt.053 statement",
            id="not_iso20022",
        ),
        pytest.param(
            b"<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>",
            "BkToCstmrStmt",
            "no statement (Stmt) in the document",
            id="no_statement",
        ),
        pytest.param(
            _document(_entry("12,50")),
            "Stmt[1]/Ntry[1]/Amt",
            "amount '12,50' is not a decimal number",
            id="decimal_comma",
        ),
        pytest.param(
            _document(_entry("-5.00")),
            "Stmt[1]/Ntry[1]/Amt",
            "amount '-5.00' is not a decimal number",
            id="negative_amount",
        ),
        pytest.param(
            _document(_entry("1E3")),
            "Stmt[1]/Ntry[1]/Amt",
            "amount '1E3' is not a decimal number",
            id="exponent",
        ),
        pytest.param(
            _document(_entry(indicator="CREDIT")),
            "Stmt[1]/Ntry[1]/CdtDbtInd",
            "'CREDIT' is neither CRDT nor DBIT",
            id="indicator",
        ),
        pytest.param(
            _document(_entry(dates="<BookgDt><Dt>2025-02-30</Dt></BookgDt>")),
            "Stmt[1]/Ntry[1]/BookgDt",
            "'2025-02-30' is not an ISO date",
            id="impossible_date",
        ),
        pytest.param(
            _document(_entry(dates="")),
            "Stmt[1]/Ntry[1]/BookgDt",
            "a booked entry without any date",
            id="no_date",
        ),
        pytest.param(
            _document(_entry("3.33")).replace(b'<Amt Ccy="EUR">3.33</Amt>', b""),
            "Stmt[1]/Ntry[1]/Amt",
            "amount missing",
            id="no_amount",
        ),
        pytest.param(
            _document(_entry()).replace(b"<IBAN>BE68539007547034</IBAN>", b""),
            "Stmt[1]/Acct/Id",
            "no account (IBAN or Othr/Id)",
            id="no_account",
        ),
        pytest.param(
            _document(_entry(details=_batch(_transaction("x")))),
            "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/AmtDtls/TxAmt/Amt",
            "amount 'x' is not a decimal number",
            id="detail_amount",
        ),
        pytest.param(
            camt_document(
                camt_statement(
                    identifier="S", account=OUR_ACCOUNT, opening="1.0.0", closing="1.00", entries=""
                )
            ),
            "Stmt[1]/Bal[1]/Amt",
            "amount '1.0.0' is not a decimal number",
            id="balance_amount",
        ),
    ],
)
def test_malformed_documents_raise_a_clean_error_naming_the_element(
    data: bytes, location: str, message: str
) -> None:
    with pytest.raises(StatementError) as raised:
        parse_statement(data)

    assert (raised.value.location, raised.value.message) == (location, message)


# -- hostile documents -----------------------------------------------------------------------


def _with_prolog(prolog: bytes, document: bytes, epilog: bytes = b"") -> bytes:
    """``document`` (its XML declaration replaced by ``prolog``), then ``epilog``."""
    return prolog + document.split(b"\n", 1)[1] + epilog


# A statement whose communication is an entity: expanded, it would read "EXPANDED".
_WITH_ENTITY = _document(_entry(details=_batch(_transaction(None, "&e;"))))
_DTD = b'<!DOCTYPE Document [<!ENTITY e "EXPANDED">]>\n'


@pytest.mark.parametrize(
    ("data", "location"),
    [
        # The DTD check's own parse failed on the comment (a "--" inside one), the failure was
        # taken for "malformed, let the real parse say so", and the namespace stripping then
        # made the comment valid: the DTD behind it was read and its entity expanded.
        pytest.param(
            _with_prolog(b'<?xml version="1.0"?>\n<!-- <x xmlns="--"/> -->\n' + _DTD, _WITH_ENTITY),
            "line 2, column 17",
            id="comment_broken_until_rewritten",
        ),
        # Well-formed as received: a comment hides the DTD, and the root is the empty element
        # at the end. Taking the namespace declaration out of the comment's "<a -" (as a start
        # tag) closed the comment early: the DTD came out, and the statement after it was read.
        pytest.param(
            _with_prolog(
                b'<?xml version="1.0"?>\n<!-- <a - xmlns="x"-> ' + _DTD,
                _WITH_ENTITY,
                b"<?x -->\n<Document/> ?>",
            ),
            "line 15, column 12",
            id="comment_opened_by_the_rewriting",
        ),
    ],
)
def test_a_dtd_hidden_from_the_check_is_never_read(data: bytes, location: str) -> None:
    with pytest.raises(StatementError) as raised:
        parse_statement(data)

    assert raised.value.location == location
    assert raised.value.message.startswith("XML error: ")


def test_a_root_tag_of_a_megabyte_is_read_the_slow_way() -> None:
    # The namespace pattern backtracks over a run of blanks: given this tag, it would take hours.
    padded = REFERENCES.replace(b"<Document ", b"<Document" + b" " * 1_000_000 + b" ", 1)

    assert parse_statement(padded) == parse_statement(REFERENCES)


def test_the_dtd_check_reads_the_document_as_received() -> None:
    # The same DTD in plain view is refused by the check itself, before any parse.
    data = _with_prolog(b'<?xml version="1.0"?>\n<!-- a comment -->\n' + _DTD, _WITH_ENTITY)

    with pytest.raises(StatementError) as raised:
        parse_statement(data)

    assert (raised.value.location, raised.value.message) == (
        "DOCTYPE",
        "a statement never declares a DTD; refused",
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_document(_entry(details=_batch(_transaction(None, "A\x00B")))), id="byte"),
        pytest.param(_document(_entry(details=_batch(_transaction(None, "A&#0;B")))), id="decimal"),
        pytest.param(_document(_entry(details=_batch(_transaction(None, "A&#x0;")))), id="hex"),
    ],
)
def test_a_nul_character_is_an_xml_error(data: bytes) -> None:
    # XML 1.0 has no NUL character, written or referenced: nothing holding one is ever read.
    with pytest.raises(StatementError) as raised:
        parse_statement(data)

    assert raised.value.message.startswith("XML error: ")


def _refusal(data: bytes) -> tuple[str, str]:
    with pytest.raises(StatementError) as raised:
        parse_statement(data)
    return raised.value.location, raised.value.message


BEYOND = "is beyond the largest amount a statement may hold, 999999999999.999"


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        pytest.param(
            _document(_entry("99999999999999.99")),
            "Stmt[1]/Ntry[1]/Amt",
            f"amount '99999999999999.99' {BEYOND}",
            id="entry",
        ),
        pytest.param(
            _document(_entry("1000000000000")),
            "Stmt[1]/Ntry[1]/Amt",
            f"amount '1000000000000' {BEYOND}",
            id="thirteen_digits",
        ),
        pytest.param(
            _document(_entry("1" * 100_000)),
            "Stmt[1]/Ntry[1]/Amt",
            f"amount '{'1' * 40}'... {BEYOND}",
            id="hundred_thousand_digits",
        ),
        pytest.param(
            _document(_entry("10.0001")),
            "Stmt[1]/Ntry[1]/Amt",
            "amount '10.0001' has more than three decimals",
            id="fourth_decimal",
        ),
        pytest.param(
            _document(_entry(), opening="1000000000000.00"),
            "Stmt[1]/Bal[1]/Amt",
            f"amount '1000000000000.00' {BEYOND}",
            id="balance",
        ),
        pytest.param(
            _document(
                _entry(details=_batch(_transaction("12000000000000.00"), _transaction("1.00")))
            ),
            "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]/AmtDtls/TxAmt/Amt",
            f"amount '12000000000000.00' {BEYOND}",
            id="transaction",
        ),
    ],
)
def test_an_amount_beyond_what_is_stored_is_refused(
    data: bytes, location: str, message: str
) -> None:
    assert _refusal(data) == (location, message)


def test_the_largest_amounts_are_read_exactly() -> None:
    data = _document(
        _entry("999999999999.999"),
        _entry("999999999999.999", indicator="DBIT"),
        _entry("12.5000", indicator="DBIT"),
        opening="999999999999.999",
        closing="999999999987.499",
    )

    result = parse_statement(data)

    assert [m.amount for m in result.movements] == [
        Decimal("999999999999.999"),
        Decimal("-999999999999.999"),
        Decimal("-12.50"),
    ]
    assert result.warnings == []


def _detail(inner: str) -> str:
    return _entry(details=f"<NtryDtls><TxDtls>{inner}</TxDtls></NtryDtls>")


_IN_DETAIL = "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]"


@pytest.mark.parametrize(
    ("data", "location", "message"),
    [
        pytest.param(
            _document(_entry()).replace(b"BE68539007547034", b"BE68 5390 0754 7034 " + b"0" * 19),
            "Stmt[1]/Acct/Id/IBAN",
            "'BE685390075470340000000000000000000' is 35 characters long; at most 34 are allowed",
            id="account",
        ),
        pytest.param(
            _document(_entry()).replace(b"<Id>S-1</Id>", b"<Id>" + b"S" * 36 + b"</Id>"),
            "Stmt[1]/Id",
            f"'{'S' * 36}' is 36 characters long; at most 35 are allowed",
            id="statement_id",
        ),
        pytest.param(
            _document(_entry()).replace(b"<LglSeqNb>42<", b"<LglSeqNb>" + b"4" * 36 + b"<"),
            "Stmt[1]/LglSeqNb",
            f"'{'4' * 36}' is 36 characters long; at most 35 are allowed",
            id="statement_number",
        ),
        pytest.param(
            _document(_entry(reference=f"<AcctSvcrRef>{'R' * 36}</AcctSvcrRef>")),
            "Stmt[1]/Ntry[1]/AcctSvcrRef",
            f"'{'R' * 36}' is 36 characters long; at most 35 are allowed",
            id="bank_reference",
        ),
        pytest.param(
            _document(_entry(details=f"<BkTxCd><Prtry><Cd>{'C' * 36}</Cd></Prtry></BkTxCd>")),
            "Stmt[1]/Ntry[1]/BkTxCd/Prtry/Cd",
            f"'{'C' * 36}' is 36 characters long; at most 35 are allowed",
            id="transaction_code",
        ),
        pytest.param(
            _document(_detail(f"<Refs><EndToEndId>{'E' * 36}</EndToEndId></Refs>")),
            f"{_IN_DETAIL}/Refs/EndToEndId",
            f"'{'E' * 36}' is 36 characters long; at most 35 are allowed",
            id="end_to_end_id",
        ),
        pytest.param(
            _document(_detail(f"<Refs><AcctSvcrRef>{'R' * 36}</AcctSvcrRef></Refs>")),
            f"{_IN_DETAIL}/Refs/AcctSvcrRef",
            f"'{'R' * 36}' is 36 characters long; at most 35 are allowed",
            id="transaction_reference",
        ),
        pytest.param(
            _document(_detail(f"<RltdPties><Dbtr><Nm>{'N' * 141}</Nm></Dbtr></RltdPties>")),
            f"{_IN_DETAIL}/RltdPties/Dbtr/Nm",
            f"'{'N' * 40}'... is 141 characters long; at most 140 are allowed",
            id="counterparty_name",
        ),
        pytest.param(
            _document(
                _detail(
                    "<RltdPties><DbtrAcct><Id><IBAN>BE71096123456769"
                    + "0" * 19
                    + "</IBAN></Id></DbtrAcct></RltdPties>"
                )
            ),
            f"{_IN_DETAIL}/RltdPties/DbtrAcct/Id/IBAN",
            "'BE710961234567690000000000000000000' is 35 characters long; at most 34 are allowed",
            id="counterparty_account",
        ),
        pytest.param(
            _document(
                _detail(
                    "<RltdPties><Dbtr><Nm>JAN</Nm></Dbtr></RltdPties><RltdAgts><DbtrAgt>"
                    "<FinInstnId><BICFI>GKCCBEBBXXXX1</BICFI></FinInstnId></DbtrAgt></RltdAgts>"
                )
            ),
            f"{_IN_DETAIL}/RltdAgts/DbtrAgt/FinInstnId/BICFI",
            "'GKCCBEBBXXXX1' is 13 characters long; at most 11 are allowed",
            id="counterparty_bic",
        ),
        pytest.param(
            _document(_detail(f"<RtrInf><Rsn><Prtry>{'P' * 36}</Prtry></Rsn></RtrInf>")),
            f"{_IN_DETAIL}/RtrInf/Rsn/Prtry",
            f"'{'P' * 36}' is 36 characters long; at most 35 are allowed",
            id="return_reason",
        ),
        pytest.param(
            _document(_entry()).replace(b"<Ccy>EUR</Ccy>", b"<Ccy>EURO</Ccy>"),
            "Stmt[1]/Acct/Ccy",
            "currency 'EURO' is not a currency code",
            id="account_currency",
        ),
        pytest.param(
            _document(_entry().replace('Ccy="EUR"', 'Ccy="eur"')),
            "Stmt[1]/Ntry[1]/Amt/@Ccy",
            "currency 'eur' is not a currency code",
            id="amount_currency",
        ),
    ],
)
def test_a_text_longer_than_what_is_stored_is_refused(
    data: bytes, location: str, message: str
) -> None:
    assert _refusal(data) == (location, message)


def test_a_pending_entry_with_a_malformed_amount_is_not_read() -> None:
    pending = _entry("n/a", status="<Sts><Cd>PDNG</Cd></Sts>")

    result = parse_camt053(_document(_entry(), pending))

    assert [m.amount for m in result.movements] == [Decimal("10.00")]
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[2]: status PDNG, not booked: left out"
    ]


def test_an_entry_without_status_is_left_out() -> None:
    result = parse_camt053(_document(_entry(status=""), closing="0.00"))

    assert result.movements == []
    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Ntry[1]: status missing, not booked: left out"
    ]


def test_summary_totals_are_checked_against_the_booked_entries() -> None:
    summary = (
        "<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>10.00</Sum>"
        "<TtlNetNtry><Amt>10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd></TtlNetNtry></TtlNtries>"
        "<TtlDbtNtries><NbOfNtries>0</NbOfNtries><Sum>0</Sum></TtlDbtNtries></TxsSummry>\n"
    )

    result = parse_camt053(_document(summary, _entry()))

    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/TxsSummry/TtlNtries/NbOfNtries: announces 2, the booked entries give 1",
        "Stmt[1]/TxsSummry/TtlNtries/TtlNetNtry/Amt: announces a net 10.00 DBIT, the booked "
        "entries give 10.00",
    ]


def test_balances_in_another_currency_are_not_compared() -> None:
    document = _document(_entry()).replace(
        camt_balance("CLBD", "10.00", "2025-03-04").encode(),
        camt_balance("CLBD", "10.00", "2025-03-04").replace("EUR", "USD").encode(),
    )

    result = parse_camt053(document)

    assert [str(w) for w in result.warnings] == [
        "Stmt[1]/Bal[2]/Amt: balance in USD, the account is in EUR; not checked"
    ]


def test_an_entry_read_twice_is_reported() -> None:
    entry = _entry(reference="<AcctSvcrRef>SAME-REF</AcctSvcrRef>")

    result = parse_camt053(_document(entry, entry, closing="20.00"))

    assert [str(w) for w in result.warnings] == [
        "statement 42: the movement of 2025-03-04 for 10.00 (bank reference SAME-REF) was "
        "already read in this file"
    ]
