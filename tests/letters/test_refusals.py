"""A letter that breaks a rule is never produced: LetterRefused names every reason, and Typst is
never reached."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from amicable.domain.mentions import LetterKind
from amicable.letters import rendering
from amicable.letters.content import Agency, AmountItem, LetterData, Payment
from amicable.letters.rendering import LetterRefused, render_letter
from amicable.letters.samples import sample_letter_data

FPS_MISSING = (
    "Missing mention: registration number of the collector with the FPS Economy "
    "(CEL art. XIX.5 to XIX.15) [agency.fps_registration]."
)
AGENCY_FEE = (
    "'Frais de dossier' (agency_fee, 15.00) may not be claimed: CEL art. XIX.4 allows only the "
    "principal, late interest, the lump-sum indemnity and capped reminder costs, never agency "
    "or file fees."
)
# 412.80 of principal allows at most 30 + 10 % of 262.80 = 56.28 (CEL art. XIX.4).
INDEMNITY_ABOVE_CAP = (
    "The indemnity (56.29) is above the cap of 56.28 on an outstanding balance of 412.80: "
    "CEL art. XIX.4."
)
# 7.50 plus 1.43 of postage is 8.93 (CEL art. XIX.2).
REMINDER_ABOVE_CAP = (
    "'Frais du présent rappel' (reminder_cost, 8.94) is above the cap of 8.93 (EUR 7.50 plus "
    "1.43 postage) for one reminder: CEL art. XIX.2."
)


def _refusal(data: LetterData) -> list[str]:
    """The reasons given, checking on a fresh thread that no Typst compiler was even built."""
    outcome: dict[str, object] = {}

    def attempt() -> None:
        try:
            outcome["pdf"] = render_letter(data)
        except LetterRefused as refused:
            outcome["errors"] = refused.errors
        outcome["compilers"] = dict(getattr(rendering._local, "compilers", {}))

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join()
    assert "pdf" not in outcome
    assert outcome["compilers"] == {}
    errors = outcome["errors"]
    assert isinstance(errors, list)
    return errors


def _with_items(data: LetterData, *extra: AmountItem) -> LetterData:
    """``data`` with more amount lines, the payment box still asking for the whole total."""
    items = (*data.items, *extra)
    total = sum((i.amount for i in items), Decimal("0.00"))
    assert data.payment is not None
    return replace(data, items=items, payment=replace(data.payment, amount=total))


def _without_indemnity(data: LetterData) -> LetterData:
    return replace(data, items=tuple(i for i in data.items if i.component != "indemnity"))


def test_a_formal_notice_without_the_fps_registration_number_is_refused() -> None:
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, "fr")
    data = replace(data, agency=replace(data.agency, fps_registration=""))
    assert _refusal(data) == [FPS_MISSING]


def test_an_indemnity_above_the_cap_is_refused() -> None:
    data = _without_indemnity(sample_letter_data(LetterKind.FORMAL_NOTICE, "fr"))
    data = _with_items(data, AmountItem("indemnity", "", Decimal("56.29")))
    assert _refusal(data) == [INDEMNITY_ABOVE_CAP]


def test_an_indemnity_at_the_cap_is_rendered() -> None:
    data = _without_indemnity(sample_letter_data(LetterKind.FORMAL_NOTICE, "fr"))
    data = _with_items(data, AmountItem("indemnity", "", Decimal("56.28")))
    assert render_letter(data).startswith(b"%PDF-")


def test_an_agency_fee_is_refused() -> None:
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, "fr")
    data = _with_items(data, AmountItem("agency_fee", "Frais de dossier", Decimal("15.00")))
    assert _refusal(data) == [AGENCY_FEE]


def test_a_follow_up_reminder_cost_above_7_50_plus_postage_is_refused() -> None:
    data = sample_letter_data(LetterKind.FOLLOW_UP_REMINDER, "fr")
    items = tuple(
        replace(i, amount=Decimal("8.94")) if i.component == "reminder_cost" else i
        for i in data.items
    )
    data = _with_items(replace(data, items=items))
    assert _refusal(data) == [REMINDER_ABOVE_CAP]


def test_a_follow_up_reminder_that_is_not_chargeable_is_refused_with_its_cost() -> None:
    data = replace(
        sample_letter_data(LetterKind.FOLLOW_UP_REMINDER, "fr"), reminder_chargeable=False
    )
    assert _refusal(data) == [
        "'Frais du présent rappel' (reminder_cost, 8.93): this reminder is not chargeable (the "
        "first reminder, or one of the three free reminders a year of a regular supply, is "
        "free: CEL art. XIX.2 §1)."
    ]


def test_every_reason_is_named_at_once() -> None:
    data = sample_letter_data(LetterKind.FOLLOW_UP_REMINDER, "fr")
    data = replace(data, agency=replace(data.agency, fps_registration=" "))
    items = tuple(
        replace(i, amount=Decimal("8.94")) if i.component == "reminder_cost" else i
        for i in data.items
        if i.component != "indemnity"
    )
    data = _with_items(
        replace(data, items=items),
        AmountItem("indemnity", "", Decimal("56.29")),
        AmountItem("agency_fee", "Frais de dossier", Decimal("15.00")),
    )
    assert _refusal(data) == [FPS_MISSING, REMINDER_ABOVE_CAP, AGENCY_FEE, INDEMNITY_ABOVE_CAP]


def test_a_letter_that_asks_for_money_without_payment_details_is_refused() -> None:
    data = replace(sample_letter_data(LetterKind.FIRST_REMINDER, "nl"), payment=None)
    assert _refusal(data) == [
        f"Missing mention: {what} (CEL art. XIX.5 to XIX.15) [payment.{code}]."
        for what, code in [
            ("beneficiary of the payment", "beneficiary"),
            ("IBAN of the account to pay to", "iban"),
            ("amount to pay", "amount"),
            (
                "structured communication to use with the payment",
                "structured_communication",
            ),
        ]
    ]


def test_the_first_reminder_carries_no_damages() -> None:
    data = sample_letter_data(LetterKind.FIRST_REMINDER, "de")
    data = _with_items(data, AmountItem("interest", "", Decimal("1.20")))
    assert _refusal(data) == [
        "'' (interest, 1.20) cannot appear on the first reminder: it is free and no damages or "
        "interest may be claimed before its payment period ends (CEL art. XIX.2 §1)."
    ]


def test_a_dispute_acknowledgement_never_asks_for_money() -> None:
    data = sample_letter_data(LetterKind.DISPUTE_ACKNOWLEDGEMENT, "en")
    payment = Payment(
        beneficiary="Clairval SRL",
        iban="BE71096123456769",
        bic="GKCCBEBB",
        amount=data.total,
        structured_communication="+++202/5000/12390+++",
    )
    assert _refusal(replace(data, payment=payment)) == [
        "A dispute_acknowledgement letter may not ask for payment: a reasoned dispute suspends "
        "collection until the file is checked (docs/legal.md, sections 3 and 4)."
    ]


def test_a_wrong_structured_communication_is_refused() -> None:
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, "fr")
    assert data.payment is not None
    data = replace(
        data, payment=replace(data.payment, structured_communication="+++202/5000/12391+++")
    )
    (error,) = _refusal(data)
    # The rest of the sentence is the EPC module's own explanation.
    assert error.startswith(
        "The payment details cannot be printed: EPC QR code, reference: '+++202/5000/12391+++'"
    )


def test_a_payment_plan_whose_instalments_do_not_add_up_is_refused() -> None:
    data = sample_letter_data(LetterKind.PAYMENT_PLAN_CONFIRMATION, "fr")
    last = data.instalments[-1]
    data = replace(
        data,
        instalments=(*data.instalments[:-1], replace(last, amount=last.amount - Decimal("1"))),
    )
    total = data.total
    assert _refusal(data) == [
        f"The instalments add up to {total - 1}, not to the total due {total}."
    ]


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("Incasso Clairval SRL", id="nl_word_case"),
        pytest.param("Clairval Recouvrement SRL", id="fr_word_case"),
        pytest.param("Clairval Debt Services", id="en_word_case"),
    ],
)
def test_a_sender_line_that_reveals_a_debt_is_refused(name: str) -> None:
    data = sample_letter_data(LetterKind.FIRST_REMINDER, "fr")
    agency: Agency = replace(data.agency, name=name)
    assert data.payment is not None
    data = replace(data, agency=agency, payment=replace(data.payment, beneficiary=name))
    assert _refusal(data) == [
        f"{name!r} would show through the envelope window and reveals that the letter is about "
        "a debt (no outside mark may: Book VI CEL, former law of 20 December 2002 art. 3)."
    ]


def test_the_refusal_message_lists_the_reasons() -> None:
    refused = LetterRefused(["First reason.", "Second reason."])
    assert str(refused) == "The letter was not produced:\n- First reason.\n- Second reason."
    assert refused.errors == ["First reason.", "Second reason."]


def test_amount_lines_that_do_not_add_up_to_the_ledger_are_refused() -> None:
    # A line missing or wrongly explained (interest lines that do not add up to what the ledger
    # holds) would print a column that does not add up to what is asked.
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, "fr")
    held = data.total + Decimal("0.01")
    assert _refusal(replace(data, ledger_total=held)) == [
        f"The amount lines add up to {data.total}, not to the {held} the ledger holds as due: "
        "a line is missing or wrongly explained."
    ]
