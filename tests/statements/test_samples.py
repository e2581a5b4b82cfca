"""The readers on the real third-party sample files (when /work/shared/samples is present).

Each sample has its expected outcome written out: statements, every booked amount, the
structured references and the exact warnings. Several samples are inconsistent on purpose
(docs/formats.md, section 7): they must give warnings, never an error. A new sample without an
expectation fails, so none is silently ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from amicable.statements import ParseResult, parse_statement

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "samples"
SAMPLE_FILES = (
    sorted(path for path in SAMPLES.glob("*/*") if path.name != "README.md")
    if SAMPLES.exists()
    else []
)


@dataclass(frozen=True)
class Expected:
    format: str
    # "account currency number opening closing opening-date closing-date movements"
    statements: list[str]
    amounts: str  # every booked amount, in file order, separated by blanks
    references: dict[int, str]
    warnings: list[str]


EXPECTED = {
    "genkgo-camt_camt053.v2.minimal.xml": Expected(
        format="camt053",
        statements=[
            "NL26VAYB8060476890 EUR 12312 18.15 -27.00 2014-12-30 2014-12-31 1",
        ],
        amounts="8.85",
        # Issr BBA with a 16-digit Ref: not an OGM, by content.
        references={},
        warnings=["Stmt[1]/Bal[2]/Amt: balance in SEK, the account is in EUR; not checked"],
    ),
    "genkgo-camt_camt053.v8.xml": Expected(
        format="camt053",
        statements=[
            "NL26VAYB8060476890 EUR 12312 18.15 -27.00 2014-12-30 2014-12-30 1",
        ],
        amounts="8.85",
        references={},
        warnings=[
            "Stmt[1]/Ntry[1]/NtryDtls/TxDtls[1]: amount SEK 0 differs from the entry's EUR 8.85;"
            " the entry's is used",
            "Stmt[1]/Bal[2]/Amt: balance in SEK, the account is in EUR; not checked",
        ],
    ),
    "subite-camt-to-coda_account_statement.xml": Expected(
        format="camt053",
        statements=[
            "BE86463768548050 EUR MSG43831462-XICUEK 0.00 0.00 2024-03-01 2024-10-01 3",
        ],
        amounts="-789903.41 -0.99 789904.40",
        references={},
        warnings=[],
    ),
    "tryton-account_statement_sepa_camt.053.001.02.xml": Expected(
        format="camt053",
        statements=[
            "BE55442968847144 EUR 130 2000.00 1900.00 2009-04-28 2009-04-29 1",
        ],
        amounts="-100.00",
        references={},
        warnings=[
            "Stmt[1]/TxsSummry/TtlNtries/Sum: announces 6852.79, the booked entries give 100.00",
            "Stmt[1]/TxsSummry/TtlCdtNtries/NbOfNtries: announces 1, the booked entries give 0",
            "Stmt[1]/TxsSummry/TtlCdtNtries/Sum: announces 1024.03, the booked entries give 0.00",
        ],
    ),
    "coda_standard_coda.cod": Expected(
        format="coda",
        statements=[
            "BE68539007547034 EUR 017 57900.00 58900.00 2015-03-30 2015-03-31 2",
        ],
        amounts="500.86 200.00",
        references={0: "100000834941", 1: "100000835749"},  # types 101 and 102
        warnings=[
            "line 13: record 8 is for account BE02035918134040 EUR, record 1 for "
            "BE68539007547034 EUR",
            "line 14: record 9 announces 27 records, the statement has 12",
            "line 14: record 9 credit total is 1000.00, the movements 700.86",
            "line 13: the new balance is 58900.00, but the old balance 57900.00 plus the "
            "movements gives 58600.86",
        ],
    ),
    "febelfin-coda_CODA.txt": Expected(
        format="coda",
        statements=[
            "BE47435000000080 EUR 001 0.00 9405296.99 2006-12-06 2006-12-07 67",
        ],
        # Globalisations 0007, 0008 (by the customer) and 0043, 0044 (by the bank) are booked
        # through their details; type-3 totals (0003, 0004, 0027...) are booked themselves.
        amounts=(
            "-2578.25 11.21 1075.00 30.86 -10.61 2500.00 -4000.00 -27000.00 -97000.00 "
            "-747.69 -565.64 -588.63 -880.61 95.00 163.17 65.61 180.00 -104.23 -2.27 "
            "-21.70 -100.00 8.50 -300.00 -4.41 1.26 160.50 -49000.00 -0.98 6.05 91.00 "
            "-495.79 12064698.67 -2501250.00 -10678.03 -302710.75 1475.94 -120.85 9344.50 "
            "0.03 -24.20 -279.50 -56003.59 -321.04 130.50 2448.00 -10.89 6730.24 600.00 "
            "1080.00 25.25 173.00 7.00 642.20 -36.72 -6509.35 -21.94 810.00 -120.85 139.20 "
            "10239.93 817.56 387258.82 159.59 -500.00 -23846.32 -1.96 -34.80"
        ),
        references={60: "269021157996", 62: "702600521948"},
        warnings=[],
    ),
    "oca-l10n-belgium-7.0_Coda_iban_v2_3_multi_statements.txt": Expected(
        format="coda",
        statements=[
            "BE13001676096039 EUR 036 39698.09 39575.69 2014-03-28 2014-03-29 1",
            "BE13001676096039 EUR 037 39575.69 139575.69 2014-03-29 2014-03-31 1",
        ],
        amounts="-122.40 100000.00",
        references={},
        warnings=[],
    ),
    "oca-l10n-belgium_Ontvangen_CODA.2012-01-11-18.59.15.txt": Expected(
        format="coda",
        statements=[
            "BE46737018594236 EUR 003 11812.70 13646.05 2010-07-27 2012-01-11 5",
        ],
        amounts="-435.00 3044.45 -479.04 -479.04 63.74",
        references={1: "240283842818"},
        warnings=[
            "line 23: record 8 is for account BE44734024486445 EUR, record 1 for "
            "BE46737018594236 EUR",
            "line 23: the new balance is 13646.05, but the old balance 11812.70 plus the "
            "movements gives 13527.81",
        ],
    ),
}


def _statements(result: ParseResult) -> list[str]:
    return [
        f"{s.account} {s.currency} {s.number} {s.opening_balance} {s.closing_balance} "
        f"{s.opening_date} {s.closing_date} {len(s.movements)}"
        for s in result.statements
    ]


if SAMPLE_FILES:  # the samples are third-party data kept outside the repository

    @pytest.mark.parametrize("path", SAMPLE_FILES, ids=[path.name for path in SAMPLE_FILES])
    def test_sample_file(path: Path) -> None:
        expected = EXPECTED[path.name]

        result = parse_statement(path.read_bytes())

        assert result.format == expected.format
        assert _statements(result) == expected.statements
        assert [str(m.amount) for m in result.movements] == expected.amounts.split()
        assert {
            index: m.structured_reference
            for index, m in enumerate(result.movements)
            if m.structured_reference
        } == expected.references
        assert [str(w) for w in result.warnings] == expected.warnings
        identities = [m.identity for m in result.movements]
        assert len(set(identities)) == len(identities)

    @pytest.mark.parametrize(
        "path",
        [path for path in SAMPLE_FILES if not EXPECTED[path.name].warnings],
        ids=lambda path: path.name,
    )
    def test_consistent_samples_book_exactly_the_balance_change(path: Path) -> None:
        result = parse_statement(path.read_bytes())

        for statement in result.statements:
            assert statement.opening_balance is not None
            assert statement.closing_balance is not None
            booked = sum((m.amount for m in statement.movements), Decimal(0))
            assert statement.opening_balance + booked == statement.closing_balance

    def test_every_sample_has_an_expectation() -> None:
        assert {path.name for path in SAMPLE_FILES} == set(EXPECTED)

    def test_febelfin_globalisation_details_keep_their_own_counterparty() -> None:
        result = parse_statement((SAMPLES / "coda" / "febelfin-coda_CODA.txt").read_bytes())

        details = [m for m in result.movements if m.bank_reference == "IHMI00002 TBOGOVOVERS"]
        assert [
            (m.amount, m.counterparty_name, m.counterparty_account, m.transaction_code)
            for m in details
        ] == [(Decimal("-27000.00"), "T.P.F.  S.A.", "BE40068226750863", "50113000")]

    def test_oca_sample_reads_the_ogm_payment_and_its_counterparty() -> None:
        path = SAMPLES / "coda" / "oca-l10n-belgium_Ontvangen_CODA.2012-01-11-18.59.15.txt"
        payment = parse_statement(path.read_bytes()).movements[1]

        assert (
            payment.structured_reference,
            payment.amount,
            payment.counterparty_name,
            payment.counterparty_account,
            payment.counterparty_bic,
            payment.transaction_code,
        ) == (
            "240283842818",
            Decimal("3044.45"),
            "PARTNER 2",
            "BE61310126985517",
            "BBRUBEBB",
            "00150000",
        )
