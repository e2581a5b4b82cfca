"""Demonstration letters: one complete, lawful :class:`LetterData` per kind and language.

Used by ``amicable letters sample``, the tests and the benchmark. Every name, number and account
is invented; the enterprise numbers, IBAN and structured communications are valid (check digits
included) so that the letters go through every check a real one does. The figures come from the
rules a real letter's figures come from, on the facts of one invoice: 412.80 due on 31 January
2025, a first reminder sent by post on 3 March 2025 (chargeable from 20 March), a contract of
2024 with late interest at 10.50 % a year and a 10 % damages clause (41.28, under the cap of
56.28 on 412.80: CEL art. XIX.4); a further reminder costs 7.50 plus the postage (art. XIX.2).
The amount lines are written by :mod:`amicable.letters.amounts`, as on a real letter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from stdnum.be import ogm_vcs

from amicable.domain.charges import (
    ClaimIndemnity,
    ClaimInterest,
    IndemnityDecision,
    decide_file_indemnities,
    decide_reminder_cost,
    interest_lines,
)
from amicable.domain.interest import DEFAULT_RATES
from amicable.domain.law import Channel, IndemnityClause, Reciprocity, grace_period
from amicable.domain.mentions import AmountItem, CreditorCapacity, LetterKind
from amicable.domain.money import CENT
from amicable.letters import amounts
from amicable.letters.content import (
    Agency,
    Claim,
    Creditor,
    Debtor,
    Dispute,
    FutureDamages,
    Instalment,
    Language,
    LetterData,
    Mediator,
    Payment,
    PostalAddress,
    ProofDecision,
)

__all__ = ["SAMPLE_POSTAGE", "sample_letter_data"]

SAMPLE_POSTAGE = Decimal("1.43")
_PRINCIPAL = Decimal("412.80")
_INVOICE = "2025-0117"
_RATE = Decimal("10.50")
_CLAUSE = IndemnityClause(percent=Decimal("10"))
_CONTRACT_DATE = date(2024, 3, 1)
_FIRST_REMINDER_ON = date(2025, 3, 3)
_CHARGEABLE_FROM = grace_period(_FIRST_REMINDER_ON, Channel.PAPER).first_chargeable_day
_PAID = Decimal("40.00")
_PAID_ON = date(2025, 5, 20)


def _communication(base: int) -> str:
    """A valid structured communication from a 10-digit base (mod 97 check digits)."""
    digits = f"{base:010d}"
    return f"+++{ogm_vcs.format(digits + ogm_vcs.calc_check_digits(digits))}+++"


_FILE_COMMUNICATION = _communication(2025_000_123)


@dataclass(frozen=True, slots=True)
class _Words:
    """The sample's words in one language (what a real file holds in the debtor's language)."""

    claim: str
    proof_reason: str
    dispute_reason: str
    dispute_outcome: str
    debtor: Debtor


_WORDS: dict[str, _Words] = {
    "fr": _Words(
        claim="Fourniture d'électricité, facture de régularisation annuelle 2024, "
        "point de fourniture EAN 541448820000123456",
        proof_reason="le document transmis est un ordre de virement, qui ne montre pas que "
        "votre banque a exécuté le paiement",
        dispute_reason="Le compteur a été remplacé en novembre 2024 et l'index de régularisation "
        "ne correspond pas au relevé que j'ai transmis.",
        dispute_outcome="le gestionnaire de réseau a confirmé l'index du 14 novembre 2024, "
        "et la facture de régularisation est donc correcte. Les relevés vous sont transmis "
        "en annexe",
        debtor=Debtor(
            name="Marie Dupont",
            address=PostalAddress(("Rue des Tilleuls 12 bte 3",), "4000", "Liège"),
        ),
    ),
    "nl": _Words(
        claim="Levering van elektriciteit, jaarlijkse afrekeningsfactuur 2024, "
        "leveringspunt EAN 541448820000123456",
        proof_reason="het bezorgde document is een overschrijvingsopdracht, die niet aantoont "
        "dat uw bank de betaling heeft uitgevoerd",
        dispute_reason="De meter werd in november 2024 vervangen en de meterstand van de "
        "afrekening klopt niet met de stand die ik heb doorgegeven.",
        dispute_outcome="de netbeheerder heeft de meterstand van 14 november 2024 bevestigd, "
        "zodat de afrekeningsfactuur correct is. De meterstanden vindt u in bijlage",
        debtor=Debtor(
            name="Jan Peeters",
            address=PostalAddress(("Kerkstraat 8",), "9000", "Gent"),
        ),
    ),
    "de": _Words(
        claim="Stromlieferung, Jahresabrechnung 2024, Lieferstelle EAN 541448820000123456",
        proof_reason="Das übermittelte Dokument ist ein Überweisungsauftrag, der nicht zeigt, "
        "dass Ihre Bank die Zahlung ausgeführt hat",
        dispute_reason="Der Zähler wurde im November 2024 ausgetauscht, und der Zählerstand der "
        "Abrechnung stimmt nicht mit dem von mir gemeldeten Stand überein.",
        dispute_outcome="Der Netzbetreiber hat den Zählerstand vom 14. November 2024 bestätigt, "
        "die Jahresabrechnung ist daher korrekt. Die Zählerstände finden Sie in der Anlage",
        debtor=Debtor(
            name="Lukas Schmitz",
            address=PostalAddress(("Hauptstraße 21",), "4700", "Eupen"),
        ),
    ),
    "en": _Words(
        claim="Electricity supply, annual settlement invoice 2024, "
        "supply point EAN 541448820000123456",
        proof_reason="the document you sent is a transfer order, which does not show that your "
        "bank has carried out the payment",
        dispute_reason="The meter was replaced in November 2024 and the reading used for the "
        "settlement does not match the reading I sent.",
        dispute_outcome="the network operator has confirmed the meter reading of 14 November "
        "2024, so the settlement invoice is correct. The readings are enclosed",
        debtor=Debtor(
            name="Emma Wilson",
            address=PostalAddress(("Avenue Louise 231",), "1050", "Ixelles"),
        ),
    ),
}

_AGENCY = Agency(
    name="Clairval SRL",
    address=PostalAddress(("Rue de la Loi 155",), "1040", "Bruxelles"),
    enterprise_number="0712.345.630",
    fps_registration="FPS-ECO 2024/0047",
    phone="+32 2 555 01 23",
    email="contact@clairval.example",
    iban="BE71096123456769",
    bic="GKCCBEBB",
    website="clairval.example",
)

_CREDITOR_ADDRESS = PostalAddress(("Boulevard de l'Empereur 7",), "1000", "Bruxelles")

_MEDIATOR = Mediator(
    name="Anne Lambert",
    address=PostalAddress(("Place Saint-Lambert 5",), "4000", "Liège"),
    case_reference="25/0412/B",
)


def _indemnity_decision(on: date) -> IndemnityDecision:
    (decision,) = decide_file_indemnities(
        [
            ClaimIndemnity(
                claim_id=1,
                balance=_PRINCIPAL,
                clause=_CLAUSE,
                requested=None,
                contract_date=_CONTRACT_DATE,
                allowed_at_intake=_PRINCIPAL,
                first_chargeable_day=_CHARGEABLE_FROM,
                # The sample contract's general terms give the consumer the same indemnity
                # when the enterprise fails (CEL art. VI.83, 17°).
                reciprocity=Reciprocity.RECIPROCAL,
            )
        ],
        on=on,
        charging_allowed=True,
    )
    return decision


_INDEMNITY = _indemnity_decision(_CHARGEABLE_FROM).amount


def _claimed(
    language: Language, *, through: date, stops_on: date | None = None
) -> tuple[AmountItem, ...]:
    """The principal, the interest the ledger would count through ``through`` (the rule of
    :func:`amicable.domain.charges.interest_lines`), and the indemnity, explained."""
    lines = interest_lines(
        ClaimInterest(
            applies=True, first_chargeable_day=_CHARGEABLE_FROM, rate=_RATE, base=_PRINCIPAL
        ),
        through=through,
        stops_on=stops_on,
        rates=DEFAULT_RATES,
    )
    return (
        amounts.principal_item(_INVOICE, _PRINCIPAL, language=language),
        *amounts.interest_items(lines, contract_rate=_RATE, invoice=None, language=language),
        amounts.indemnity_item(
            _indemnity_decision(_CHARGEABLE_FROM),
            charged=_INDEMNITY,
            invoice=None,
            language=language,
        ),
    )


def _total(items: tuple[AmountItem, ...]) -> Decimal:
    return sum((i.amount for i in items), Decimal("0.00"))


def _payment(amount: Decimal, communication: str = _FILE_COMMUNICATION) -> Payment:
    return Payment(
        beneficiary=_AGENCY.name,
        iban=_AGENCY.iban,
        bic=_AGENCY.bic,
        amount=amount,
        structured_communication=communication,
    )


def sample_letter_data(kind: LetterKind, language: Language) -> LetterData:
    """A complete demonstration letter of ``kind`` in ``language``, lawful in every figure."""
    words = _WORDS[language]
    creditor = Creditor(
        name="Lumea Énergie SA",
        enterprise_number="0876.543.270",
        address=_CREDITOR_ADDRESS,
        phone="+32 2 555 77 00",
        email="clients@lumea.example",
        capacity=CreditorCapacity.ORIGINAL,
    )
    claim = Claim(
        invoice_number=_INVOICE,
        description=words.claim,
        invoice_date=date(2025, 1, 6),
        due_date=date(2025, 1, 31),
        amount=_PRINCIPAL,
    )
    base = LetterData(
        kind=kind,
        language=language,
        date=date(2025, 3, 3),
        reference="D-2025-000123",
        agency=_AGENCY,
        creditor=creditor,
        debtor=words.debtor,
        claims=(claim,),
        portal_url="clairval.example/dossier",
        access_code="K7P4-M2QX",
        postage=SAMPLE_POSTAGE,
    )
    if kind is LetterKind.FIRST_REMINDER:
        return replace(
            base,
            date=_FIRST_REMINDER_ON,
            items=(amounts.principal_item(_INVOICE, _PRINCIPAL, language=language),),
            future_damages=FutureDamages(indemnity=_INDEMNITY, interest_rate=_RATE),
            grace_period_end=grace_period(_FIRST_REMINDER_ON, Channel.PAPER).last_day,
            payment=_payment(_PRINCIPAL),
        )
    if kind is LetterKind.FORMAL_NOTICE:
        sent_on = date(2025, 4, 7)
        items = _claimed(language, through=sent_on)
        return replace(
            base,
            date=sent_on,
            items=items,
            waiting_period_end=grace_period(sent_on, Channel.PAPER).last_day,
            payment=_payment(_total(items)),
        )
    if kind is LetterKind.FOLLOW_UP_REMINDER:
        sent_on = date(2025, 5, 12)
        cost = decide_reminder_cost(
            channel=Channel.PAPER,
            postage_in_force=SAMPLE_POSTAGE,
            sent_on=sent_on,
            regular_supply=False,
            earlier_reminders_this_year=1,
            first_chargeable_day=_CHARGEABLE_FROM,
            charging_allowed=True,
            has_clause=True,
        )
        items = (
            *_claimed(language, through=sent_on),
            amounts.this_reminder_item(cost, language=language),
        )
        return replace(
            base,
            date=sent_on,
            items=items,
            reminder_chargeable=True,
            pay_by=sent_on + timedelta(days=14),
            payment=_payment(_total(items)),
        )
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION:
        agreed_on = date(2025, 5, 20)
        items = _claimed(language, through=agreed_on)
        total = _total(items)
        # Three instalments, the first one taking the cents the others cannot share.
        share = (total / 3).quantize(CENT, rounding=ROUND_DOWN)
        parts = (total - 2 * share, share, share)
        instalments = tuple(
            Instalment(
                number=n,
                due_date=date(2025, 5 + n, 5),
                amount=amount,
                structured_communication=_communication(2025_001_230 + n),
            )
            for n, amount in enumerate(parts, start=1)
        )
        first = instalments[0]
        return replace(
            base,
            date=agreed_on,
            items=items,
            instalments=instalments,
            payment=_payment(first.amount, first.structured_communication),
        )
    if kind is LetterKind.PROOF_DECISION:
        decided_on = date(2025, 5, 15)
        items = _claimed(language, through=decided_on)
        return replace(
            base,
            date=decided_on,
            items=items,
            proof=ProofDecision(
                accepted=False, reason=words.proof_reason, received_on=date(2025, 5, 13)
            ),
            payment=_payment(_total(items)),
        )
    if kind is LetterKind.DISPUTE_ACKNOWLEDGEMENT:
        received_on = date(2025, 4, 14)
        return replace(
            base,
            date=date(2025, 4, 15),
            items=_claimed(language, through=received_on),
            dispute=Dispute(received_on=received_on, reason=words.dispute_reason),
        )
    if kind is LetterKind.DISPUTE_OUTCOME:
        received_on = date(2025, 4, 14)
        return replace(
            base,
            date=date(2025, 5, 6),
            items=_claimed(language, through=received_on),
            dispute=Dispute(
                received_on=received_on,
                reason=words.dispute_reason,
                upheld=False,
                outcome=words.dispute_outcome,
            ),
        )
    if kind is LetterKind.STATEMENT_OF_ACCOUNT:
        stated_on = date(2025, 5, 26)
        items = (
            *_claimed(language, through=stated_on),
            amounts.payment_item(_PAID_ON, _PAID, language=language),
        )
        return replace(base, date=stated_on, items=items, payment=_payment(_total(items)))
    # The claim declaration goes to the mediator: interest stopped at the admissibility date.
    admissible_on = date(2025, 5, 20)
    items = _claimed(language, through=admissible_on, stops_on=admissible_on)
    return replace(
        base,
        date=date(2025, 6, 2),
        items=items,
        admissibility_date=admissible_on,
        mediator=_MEDIATOR,
        payment=_payment(_total(items)),
        portal_url="",
        access_code="",
    )
