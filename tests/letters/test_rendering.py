"""Every letter kind in every language: the mandatory mentions are printed, the QR code pays
what the letter says, and the envelope window shows the address and nothing about a debt."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal
from functools import cache

import pytest

from amicable.domain.mentions import (
    ASKS_FOR_MONEY,
    MANDATORY_MENTIONS,
    SUPERVISORY_AUTHORITY,
    LetterKind,
)
from amicable.domain.money import format_eur
from amicable.letters.checks import shows_payment_box
from amicable.letters.content import LANGUAGES, AmountItem, Language, LetterData
from amicable.letters.formatting import (
    format_date,
    format_iban,
    format_percent,
    format_structured_communication,
)
from amicable.letters.rendering import render_letter
from amicable.letters.samples import sample_letter_data
from tests.letters.reading import normalise, page_count, pdf_text, qr_payloads, text_in_area

CASES = [
    pytest.param(kind, language, id=f"{kind.value}-{language}")
    for kind in LetterKind
    for language in LANGUAGES
]


@cache
def _rendered(kind: LetterKind, language: Language) -> bytes:
    return render_letter(sample_letter_data(kind, language))


def _eur(amount: Decimal, data: LetterData) -> str:
    return normalise(format_eur(amount, data.language))


def _day(data: LetterData, day: object) -> str:
    assert day is not None
    return normalise(format_date(day, data.language))  # type: ignore[arg-type]


#: The creditor's capacity as each language prints it (CEL art. XIX.7 §2).
CAPACITY = {
    "fr": "(créancier originaire)",
    "nl": "(oorspronkelijke schuldeiser)",
    "de": "(ursprünglicher Gläubiger)",
    "en": "(original creditor)",
}


def expected_mentions(data: LetterData) -> list[str]:
    """The values the letter must print, as a reader finds them on the page."""
    expected = [
        data.reference,
        data.agency.name,
        data.agency.enterprise_number,
        data.agency.fps_registration,
        data.creditor.name,
        data.recipient_name,
        _day(data, data.date),
    ]
    address = data.recipient_address
    assert address is not None
    expected += address.printed_lines()
    claims_mentioned = any(m.code == "claims.description" for m in MANDATORY_MENTIONS[data.kind])
    for claim in data.claims if claims_mentioned else ():
        expected += [
            claim.invoice_number,
            claim.description,
            _day(data, claim.invoice_date),
            _day(data, claim.due_date),
            _eur(claim.amount, data),
        ]
    expected += [_eur(item.amount, data) for item in data.items]
    expected += [item.legal_basis for item in data.items if item.legal_basis]
    if data.items:
        expected.append(_eur(data.total, data))
    if data.payment is not None:
        expected += [
            data.payment.beneficiary,
            format_iban(data.payment.iban),
            data.payment.bic,
            format_structured_communication(data.payment.structured_communication),
        ]
        if shows_payment_box(data):
            expected.append(_eur(data.payment.amount, data))
    kind = data.kind
    if kind is LetterKind.FIRST_REMINDER:
        assert data.future_damages is not None
        expected += [
            data.creditor.enterprise_number,
            _eur(data.future_damages.indemnity, data),
            normalise(format_percent(data.future_damages.interest_rate, data.language)),
            _day(data, data.grace_period_end),
        ]
    if kind is LetterKind.FORMAL_NOTICE:
        expected += [
            data.creditor.enterprise_number,
            data.creditor.address.one_line(),
            data.creditor.phone,
            data.creditor.email,
            CAPACITY[data.language],
            data.agency.address.one_line(),
            data.agency.phone,
            data.agency.email,
            SUPERVISORY_AUTHORITY.name[data.language],
            SUPERVISORY_AUTHORITY.address[data.language],
            _day(data, data.waiting_period_end),
        ]
    if kind is LetterKind.FOLLOW_UP_REMINDER:
        expected += [data.creditor.enterprise_number, _day(data, data.pay_by)]
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION:
        for instalment in data.instalments:
            expected += [
                _day(data, instalment.due_date),
                _eur(instalment.amount, data),
                format_structured_communication(instalment.structured_communication),
            ]
    if kind is LetterKind.PROOF_DECISION:
        assert data.proof is not None
        expected += [data.proof.reason, _day(data, data.proof.received_on)]
    if kind in {LetterKind.DISPUTE_ACKNOWLEDGEMENT, LetterKind.DISPUTE_OUTCOME}:
        assert data.dispute is not None
        expected += [data.dispute.reason, _day(data, data.dispute.received_on)]
        if kind is LetterKind.DISPUTE_OUTCOME:
            expected.append(data.dispute.outcome)
    if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION:
        assert data.mediator is not None
        expected += [
            data.debtor.name,
            data.debtor.address.one_line(),
            _day(data, data.admissibility_date),
            data.mediator.case_reference,
            data.creditor.enterprise_number,
            data.creditor.address.one_line(),
        ]
    return [normalise(text) for text in expected]


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_every_mandatory_mention_is_printed(kind: LetterKind, language: Language) -> None:
    data = sample_letter_data(kind, language)
    text = pdf_text(_rendered(kind, language))
    missing = [value for value in expected_mentions(data) if value not in text]
    assert missing == []


@pytest.mark.parametrize(
    ("language", "amount_text"),
    [
        pytest.param("fr", "1 234,56 €", id="fr"),
        pytest.param("nl", "€ 1.234,56", id="nl"),
        pytest.param("de", "1.234,56 €", id="de"),
        pytest.param("en", "€1,234.56", id="en"),
    ],
)
def test_amounts_are_written_the_belgian_way_per_language(
    language: Language, amount_text: str
) -> None:
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, language)
    data = replace(
        data,
        items=(AmountItem("principal", "2025-0117", Decimal("1234.56")),),
        payment=replace(data.payment, amount=Decimal("1234.56")),  # type: ignore[type-var]
    )
    assert amount_text in pdf_text(render_letter(data))


def _payment_lines(payload: str) -> dict[str, str]:
    lines = payload.split("\n")
    return {
        "service": lines[0],
        "bic": lines[4],
        "beneficiary": lines[5],
        "iban": lines[6],
        "amount": lines[7],
        "reference": lines[9],
    }


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_the_qr_code_pays_what_the_letter_asks(kind: LetterKind, language: Language) -> None:
    data = sample_letter_data(kind, language)
    payloads = qr_payloads(_rendered(kind, language))
    if not shows_payment_box(data):
        assert kind not in ASKS_FOR_MONEY
        assert payloads == []
        return
    assert data.payment is not None
    assert len(payloads) == 1
    assert _payment_lines(payloads[0]) == {
        "service": "BCD",
        "bic": "GKCCBEBB",
        "beneficiary": "Clairval SRL",
        "iban": "BE71096123456769",
        "amount": f"EUR{data.payment.amount:.2f}",
        "reference": format_structured_communication(data.payment.structured_communication)
        .strip("+")
        .replace("/", ""),
    }


def test_every_letter_that_asks_for_money_has_a_qr_code() -> None:
    for kind in ASKS_FOR_MONEY:
        assert len(qr_payloads(_rendered(kind, "fr"))) == 1, kind


def test_the_payment_plan_qr_code_is_the_first_instalment() -> None:
    data = sample_letter_data(LetterKind.PAYMENT_PLAN_CONFIRMATION, "nl")
    (payload,) = qr_payloads(_rendered(LetterKind.PAYMENT_PLAN_CONFIRMATION, "nl"))
    first = data.instalments[0]
    assert _payment_lines(payload)["amount"] == f"EUR{first.amount:.2f}"
    assert _payment_lines(payload)["reference"] == "202500123134"
    assert format_structured_communication(first.structured_communication) == (
        "+++202/5001/23134+++"
    )


# Words that would tell anyone looking at the envelope what the letter is about.
DEBT_WORDS = (
    # fr
    "recouvrement", "dette", "créance", "demeure", "rappel", "huissier", "paiement", "montant",
    # nl
    "incasso", "invordering", "schuld", "ingebrekestelling", "herinnering", "aanmaning",
    "deurwaarder", "betaling", "bedrag",
    # de
    "inkasso", "beitreibung", "forderung", "mahnung", "verzug", "gerichtsvollzieher", "zahlung",
    "betrag",
    # en
    "collection", "debt", "reminder", "notice", "bailiff", "payment", "amount",
)  # fmt: skip


@pytest.mark.parametrize(("kind", "language"), CASES)
def test_the_envelope_window_shows_the_address_and_nothing_about_a_debt(
    kind: LetterKind, language: Language
) -> None:
    data = sample_letter_data(kind, language)
    pdf = _rendered(kind, language)
    # The left window of a C5/DL envelope: 20 mm from the left, 45 mm from the top, 90 x 45 mm
    # (50 mm from the top on some models, hence 95 mm at the bottom).
    window = text_in_area(pdf, left=20, right=110, top=45, bottom=95)
    address = data.recipient_address
    assert address is not None
    assert window == normalise(
        " ".join(
            [
                f"{data.agency.name} · {data.agency.address.one_line()}",
                data.recipient_name,
                *address.printed_lines(),
            ]
        )
    )
    # A letter folded in three slides about 10 mm in its envelope, in both directions.
    could_show = text_in_area(pdf, left=10, right=120, top=34, bottom=100).lower()
    assert [word for word in DEBT_WORDS if word in could_show] == []


def test_the_claim_declaration_goes_to_the_mediator_not_the_debtor() -> None:
    data = sample_letter_data(LetterKind.MEDIATOR_CLAIM_DECLARATION, "fr")
    window = text_in_area(
        _rendered(LetterKind.MEDIATOR_CLAIM_DECLARATION, "fr"),
        left=20,
        right=110,
        top=45,
        bottom=95,
    )
    assert data.mediator is not None
    assert data.mediator.name in window
    assert data.debtor.name not in window


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        pytest.param("fr", "Objet : Mise en demeure", id="fr"),
        pytest.param("nl", "Betreft: Ingebrekestelling", id="nl"),
        pytest.param("de", "Betreff: Mahnung (Inverzugsetzung)", id="de"),
        pytest.param("en", "Subject: Formal notice", id="en"),
    ],
)
def test_the_subject_is_printed_below_the_window(language: Language, subject: str) -> None:
    pdf = _rendered(LetterKind.FORMAL_NOTICE, language)
    assert subject in text_in_area(pdf, left=0, right=210, top=100, bottom=120)


@pytest.mark.parametrize(
    ("language", "statement"),
    [
        pytest.param("fr", "Seul un huissier de justice disposant d'une décision", id="fr"),
        pytest.param("nl", "Alleen een gerechtsdeurwaarder die over een rechterlijke", id="nl"),
        pytest.param("de", "Nur ein Gerichtsvollzieher, der über eine gerichtliche", id="de"),
        pytest.param("en", "Only a bailiff holding a court decision can seize", id="en"),
    ],
)
def test_the_formal_notice_says_in_neutral_words_who_can_seize(
    language: Language, statement: str
) -> None:
    text = pdf_text(_rendered(LetterKind.FORMAL_NOTICE, language)).replace("’", "'")
    assert statement in text


def test_the_follow_up_reminder_states_its_capped_cost() -> None:
    text = pdf_text(_rendered(LetterKind.FOLLOW_UP_REMINDER, "en"))
    assert (
        "This reminder costs €8.93: the flat rate of €7.50 and €1.43 postage, within the limit "
        "set by Article XIX.2 of the Code of Economic Law (€7.50 per reminder plus postage)."
    ) in text


def test_the_same_letter_gives_the_same_bytes() -> None:
    data = sample_letter_data(LetterKind.FORMAL_NOTICE, "de")
    first, second = render_letter(data), render_letter(data)
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()


def test_letters_fit_on_one_or_two_pages() -> None:
    for kind in LetterKind:
        for language in LANGUAGES:
            assert page_count(_rendered(kind, language)) in {1, 2}, (kind, language)
