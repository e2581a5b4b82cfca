"""Letters itemise what they claim, with the law's words, in the debtor's language (CEL
art. XIX.4, XIX.7 §2).

The files are the letters' cast (``tests/letters/conftest.py``): principal 200.00 due on
14 February 2025, the creditor's paper reminder of 3 March 2025 (period to 19 March), interest
from 20 March. The formal notice is dated Wednesday 2 April 2025: 14 days of interest.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Creditor, File
from amicable.letters.assembly import build_letter_data
from amicable.letters.rendering import render_letter
from amicable.letters.services import produce_letter, reprint_letter
from tests.factories import claim_input, make_creditor
from tests.letters.conftest import brussels, file_in
from tests.letters.reading import pdf_text

pytestmark = pytest.mark.django_db

ON = date(2025, 4, 2)
AT = brussels(2025, 4, 2, 9, 30)


def _notice(file: File, kind: LetterKind = LetterKind.FORMAL_NOTICE, on: date = ON) -> str:
    """The letter as the debtor reads it, apostrophes straightened."""
    outcome = produce_letter(file=file, kind=kind, actor="t", on=on, at=AT)
    assert outcome.errors == ()
    assert outcome.letter is not None
    return pdf_text(reprint_letter(outcome.letter)).replace("’", "'")


# --- interest: rate, basis and period on every line ------------------------------------------


@pytest.mark.parametrize(
    ("language", "line", "basis", "never"),
    [
        pytest.param(
            "fr",
            "Intérêts de retard du 20 mars 2025 au 2 avril 2025, au taux annuel de 4,50 %",
            "Taux d'intérêt légal : le taux du contrat (12,00 %) dépasse le maximum légal, la "
            "clause est donc réputée non écrite (art. XIX.4 CDE).",
            "taux prévu par le contrat",
            id="fr",
        ),
        pytest.param(
            "nl",
            "Verwijlinteresten van 20 maart 2025 tot en met 2 april 2025, tegen 4,50% per jaar",
            "Wettelijke rentevoet: de rentevoet van het contract (12,00%) ligt boven het "
            "wettelijke maximum, zodat het beding als niet geschreven wordt beschouwd "
            "(art. XIX.4 WER).",
            "rentevoet van het contract,",
            id="nl",
        ),
        pytest.param(
            "de",
            "Verzugszinsen vom 20. März 2025 bis 2. April 2025 zu 4,50 % jährlich",
            "Gesetzlicher Zinssatz: Der vertragliche Zinssatz von 12,00 % übersteigt den "
            "gesetzlichen Höchstsatz, daher gilt die Klausel als nicht geschrieben "
            "(Art. XIX.4 WBR).",
            "Vertraglicher Zinssatz,",
            id="de",
        ),
        pytest.param(
            "en",
            "Late-payment interest from 20 March 2025 to 2 April 2025, at 4.50% a year",
            "The legal interest rate: the contract's rate of 12.00% is above the legal maximum, "
            "so the clause is deemed unwritten (art. XIX.4 CEL).",
            "The contract's rate,",
            id="en",
        ),
    ],
)
def test_a_void_interest_clause_is_named_the_legal_interest_rate_with_its_rate_and_period(
    language: str, line: str, basis: str, never: str
) -> None:
    # A contract of 2024 at 12 %: above the 11.5 % of H1 2025, the clause is deemed unwritten
    # and the civil legal rate of 2025 (4.50 %) applies: 200.00 x 4.5 % x 14 / 365 = 0.34.
    file = file_in(
        FileState.FORMAL_NOTICE,
        claims=[claim_input(interest_rate=Decimal("12"))],
        language=language,
    )

    text = _notice(file)

    assert line in text
    assert basis in text
    assert never.casefold() not in text.casefold()
    data = build_letter_data(file=file, kind=LetterKind.FORMAL_NOTICE, on=ON)
    assert [i.amount for i in data.items if i.component == "interest"] == [Decimal("0.34")]
    assert ledger.file_balance(file, as_of=ON).interest == Decimal("0.34")


def test_the_contracts_rate_is_named_as_such_within_the_half_year_maximum() -> None:
    file = file_in(FileState.FORMAL_NOTICE)  # 8 % a year, within the 11.5 % of H1 2025

    text = _notice(file)

    assert "Intérêts de retard du 20 mars 2025 au 2 avril 2025, au taux annuel de 8,00 %" in text
    assert (
        "Taux prévu par le contrat, dans la limite du taux maximal légal fixé pour chaque "
        "semestre (art. XIX.4 CDE)."
    ) in text
    assert "taux d'intérêt légal" not in text.casefold()


def test_an_older_contracts_rate_is_cut_to_the_half_years_maximum_and_says_so() -> None:
    # A contract of 2022 keeps its 12 %, cut each day to the maximum: 11.5 % in H1 2025.
    file = file_in(
        FileState.FORMAL_NOTICE,
        claims=[claim_input(interest_rate=Decimal("12"), contract_date=date(2022, 5, 1))],
    )

    text = _notice(file)

    assert "au taux annuel de 11,50 %" in text
    assert (
        "Taux du contrat (12,00 %), ramené au taux maximal légal de ce semestre (art. XIX.4 CDE)."
    ) in text


def test_interest_across_a_half_year_gets_one_line_per_rate_that_adds_up() -> None:
    # 12 % in a contract of 2022, from 20 March to 9 July 2025: 11.5 % to 30 June, 10.5 % after.
    on = date(2025, 7, 9)
    file = file_in(
        FileState.FORMAL_NOTICE,
        claims=[claim_input(interest_rate=Decimal("12"), contract_date=date(2022, 5, 1))],
    )

    data = build_letter_data(file=file, kind=LetterKind.FORMAL_NOTICE, on=on)

    lines = [(i.label, i.amount) for i in data.items if i.component == "interest"]
    assert [label for label, _amount in lines] == [
        "Intérêts de retard du 20\u00a0mars\u00a02025 au 30\u00a0juin\u00a02025, au taux "
        "annuel de 11,50\u00a0%",
        "Intérêts de retard du 1er\u00a0juillet\u00a02025 au 9\u00a0juillet\u00a02025, au taux "
        "annuel de 10,50\u00a0%",
    ]
    balance = ledger.file_balance(file, as_of=on)
    assert sum((amount for _label, amount in lines), Decimal(0)) == balance.interest
    assert data.total == balance.outstanding


def test_interest_partly_paid_shows_the_lines_and_what_was_paid() -> None:
    file = file_in(FileState.IN_COLLECTION)
    ledger.book_interest(file=file, through=date(2025, 3, 31), actor="t")  # 12 days: 0.52
    ledger.post_payment(
        file=file,
        amount=Decimal("0.30"),
        value_date=date(2025, 4, 1),
        actor="t",
        source="statement",
        source_reference="part-of-the-interest",
    )

    data = build_letter_data(file=file, kind=LetterKind.FOLLOW_UP_REMINDER, on=ON)

    items = [(i.component, i.label, i.amount) for i in data.items]
    interest = [amount for component, _label, amount in items if component == "interest"]
    assert sum(interest, Decimal(0)) == Decimal("0.61")  # the 14 days, as counted
    assert ("payment", "Déjà payé sur les intérêts", Decimal("-0.30")) in items
    balance = ledger.file_balance(file, as_of=ON)
    assert balance.outstanding_of(Component.INTEREST) == Decimal("0.31")
    assert data.total == balance.outstanding
    text = pdf_text(render_letter(data))
    assert "Déjà payé sur les intérêts -0,30 €" in text


def test_a_claim_declaration_shows_the_interest_booked_up_to_admissibility() -> None:
    # A collective debt settlement stops interest at admissibility (Judicial Code art. 1675/7):
    # the file no longer accrues it, and the letter shows the lines of the days booked, which
    # add up to the interest the ledger holds.
    file = file_in(FileState.IN_COLLECTION)
    debtor = file.debtor
    debtor.admissibility_date = date(2025, 4, 1)
    debtor.mediator_name = "Anne Lambert"
    debtor.save()
    ledger.stop_interest_at(file=file, stops_on=date(2025, 4, 1), actor="t")
    change_file_state(file=file, new_state=FileState.COLLECTIVE_SETTLEMENT, actor="t")
    file.refresh_from_db()

    data = build_letter_data(file=file, kind=LetterKind.MEDIATOR_CLAIM_DECLARATION, on=ON)

    lines = [(i.label, i.amount) for i in data.items if i.component == "interest"]
    assert lines == [
        (
            "Intérêts de retard du 20\u00a0mars\u00a02025 au 31\u00a0mars\u00a02025, au taux "
            "annuel de 8,00\u00a0%",
            Decimal("0.52"),
        )
    ]
    assert data.total == data.ledger_total == ledger.file_balance(file, as_of=ON).outstanding


def test_no_interest_clause_means_no_interest_line_and_no_rate_announced() -> None:
    file = file_in(
        FileState.FORMAL_NOTICE, claims=[claim_input(interest_clause=False, interest_rate=None)]
    )

    notice = _notice(file)
    reminder = _notice(file, LetterKind.FIRST_REMINDER)

    assert "Intérêts de retard" not in notice
    assert "intérêts de retard" not in reminder
    assert "0,00 %" not in reminder
    assert (
        "Si le montant n'est pas payé à cette date, le contrat permet d'y ajouter une indemnité "
        "forfaitaire de 25,00 €, dans les limites fixées par l'article XIX.4 du Code de droit "
        "économique."
    ) in reminder


def test_the_first_reminder_names_the_legal_interest_rate_when_the_clause_sets_none() -> None:
    file = file_in(FileState.FORMAL_NOTICE, claims=[claim_input(interest_rate=None)], language="nl")

    reminder = _notice(file, LetterKind.FIRST_REMINDER)

    assert (
        "een forfaitaire schadevergoeding van € 25,00 en verwijlinteresten tegen de wettelijke "
        "rentevoet, momenteel 4,50% per jaar worden aangerekend"
    ) in reminder


# --- the indemnity: the clause and the cap that limited it ---------------------------------


@pytest.mark.parametrize(
    ("language", "explained"),
    [
        pytest.param(
            "fr",
            "Clause du contrat : 10,00 % du solde de 200,00 €, avec un minimum de 25,00 €, soit "
            "25,00 € ; le maximum légal sur ce solde est de 35,00 € (art. XIX.4 CDE).",
            id="fr",
        ),
        pytest.param(
            "nl",
            "Beding in het contract: 10,00% van het saldo van € 200,00, met een minimum van "
            "€ 25,00, ofwel € 25,00; het wettelijke maximum op dit saldo bedraagt € 35,00 "
            "(art. XIX.4 WER).",
            id="nl",
        ),
        pytest.param(
            "de",
            "Vertragsklausel: 10,00 % des offenen Betrags von 200,00 €, mindestens jedoch "
            "25,00 €, also 25,00 €; bei diesem Betrag liegt die gesetzliche Obergrenze bei "
            "35,00 € (Art. XIX.4 WBR).",
            id="de",
        ),
        pytest.param(
            "en",
            "Contract clause of 10.00% of the balance of €200.00, with a minimum of €25.00, that "
            "is €25.00; the legal maximum on this balance is €35.00 (art. XIX.4 CEL).",
            id="en",
        ),
    ],
)
def test_the_indemnity_line_says_how_it_was_computed(language: str, explained: str) -> None:
    file = file_in(FileState.IN_COLLECTION, language=language)
    (claim,) = file.claims.all()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="t")

    text = _notice(file, LetterKind.FOLLOW_UP_REMINDER)

    assert explained in text


def test_a_fixed_indemnity_above_the_cap_of_an_older_contract_says_it_was_reduced() -> None:
    file = file_in(
        FileState.IN_COLLECTION,
        claims=[
            claim_input(
                indemnity_percent=None,
                indemnity_minimum=None,
                indemnity_fixed=Decimal("50.00"),
                contract_date=date(2022, 5, 1),
            )
        ],
    )
    (claim,) = file.claims.all()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="t")

    text = _notice(file, LetterKind.FOLLOW_UP_REMINDER)

    assert (
        "Clause du contrat : montant forfaitaire de 50,00 € ; le maximum légal sur un solde de "
        "200,00 € est de 35,00 € (art. XIX.4 CDE). Le contrat ayant été conclu avant le 1er "
        "septembre 2023, ce montant est ramené au maximum légal."
    ) in text


def test_the_files_cap_is_named_when_it_limited_an_invoices_indemnity() -> None:
    # Two invoices of 800.00 and 39,000.00, 10 % each, contracts of 2022: the first takes 80.00,
    # the second is cut to what the cap of 2,000.00 on 39,800.00 leaves, 1,920.00.
    claims = [
        claim_input(
            principal=Decimal(principal),
            indemnity_minimum=None,
            contract_date=date(2022, 5, 1),
            due_date=due,
        )
        for principal, due in (("800.00", date(2025, 2, 10)), ("39000.00", date(2025, 2, 14)))
    ]
    file = file_in(FileState.IN_COLLECTION, claims=claims)
    for claim in file.claims.order_by("due_date"):
        ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="t")

    text = _notice(file, LetterKind.FOLLOW_UP_REMINDER)

    assert "Indemnité forfaitaire, facture" in text
    assert (
        "Ensemble, les indemnités de toutes les factures du dossier ne peuvent dépasser "
        "2 000,00 €, le maximum légal sur son solde total de 39 800,00 € ; il reste donc "
        "1 920,00 € pour cette facture."
    ) in text


# --- the creditor's capacity and the Code's name, in the debtor's language ----------------


@pytest.mark.parametrize(
    ("language", "capacity", "code", "wrong"),
    [
        pytest.param("fr", "(créancier originaire)", "CDE", ("original creditor", "CEL"), id="fr"),
        pytest.param(
            "nl", "(oorspronkelijke schuldeiser)", "WER", ("original creditor", "CEL"), id="nl"
        ),
        pytest.param(
            "de", "(ursprünglicher Gläubiger)", "WBR", ("original creditor", "WGB", "CEL"), id="de"
        ),
        pytest.param("en", "(original creditor)", "CEL", ("WGB",), id="en"),
    ],
)
def test_the_capacity_and_the_code_are_written_in_the_debtors_language(
    language: str, capacity: str, code: str, wrong: tuple[str, ...]
) -> None:
    file = file_in(FileState.FORMAL_NOTICE, language=language)

    text = _notice(file)

    assert capacity in text
    assert re.search(rf"\bart\. XIX\.4 {code}\b", text, re.IGNORECASE)
    assert [word for word in wrong if re.search(rf"\b{word}\b", text)] == []


def test_a_new_creditor_after_an_assignment_says_so() -> None:
    creditor = make_creditor(capacity="assignee")
    file = file_in(FileState.FORMAL_NOTICE, creditor=creditor, language="de")

    text = _notice(file)

    assert "(neuer Gläubiger nach Abtretung der Forderung)" in text


def test_a_capacity_stored_as_the_old_english_text_is_still_printed_in_french() -> None:
    creditor = make_creditor()
    Creditor.objects.filter(pk=creditor.pk).update(capacity="original creditor")
    file = file_in(FileState.FORMAL_NOTICE, creditor=creditor)

    assert "(créancier originaire)" in _notice(file)


# --- the statement of account ---------------------------------------------------------------


def test_the_statement_names_each_line_once_and_adds_up_to_the_ledger() -> None:
    file = file_in(FileState.IN_COLLECTION)
    (claim,) = file.claims.all()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="t")
    ledger.post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=date(2025, 3, 28),
        actor="t",
        source="statement",
        source_reference="fifty",
    )

    data = build_letter_data(file=file, kind=LetterKind.STATEMENT_OF_ACCOUNT, on=ON)
    text = pdf_text(render_letter(data))

    assert "Indemnité forfaitaire Clause du contrat" in text
    assert "Indemnité forfaitaire -- Indemnité forfaitaire" not in text
    assert "Indemnité forfaitaire – Indemnité forfaitaire" not in text
    assert "Paiement reçu le 28 mars 2025 -50,00 €" in text
    assert "Paiement reçu – paiement reçu" not in text
    assert data.total == ledger.file_balance(file, as_of=ON).outstanding
