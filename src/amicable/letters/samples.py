"""Demonstration letters: one complete, lawful :class:`LetterData` per kind and language.

Used by ``amicable letters sample``, the tests and the benchmark. Every name, number and account
is invented; the enterprise numbers, IBAN and structured communications are valid (check digits
included) so that the letters go through every check a real one does. The figures follow the
law's own examples: a balance of 412.80 allows an indemnity of at most 56.28 (CEL art. XIX.4),
the contract's 10 % clause gives 41.28; a further reminder costs at most 7.50 plus the postage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from stdnum.be import ogm_vcs

from amicable.domain.law import grace_period, max_reminder_cost
from amicable.domain.mentions import LetterKind
from amicable.letters.content import (
    Agency,
    AmountItem,
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
_INTEREST = Decimal("3.68")
_INDEMNITY = Decimal("41.28")  # the contract's 10 % clause, under the cap of 56.28
_PAID = Decimal("100.00")
_RATE = Decimal("10.50")


def _communication(base: int) -> str:
    """A valid structured communication from a 10-digit base (mod 97 check digits)."""
    digits = f"{base:010d}"
    return f"+++{ogm_vcs.format(digits + ogm_vcs.calc_check_digits(digits))}+++"


_FILE_COMMUNICATION = _communication(2025_000_123)


@dataclass(frozen=True, slots=True)
class _Words:
    """The sample's words in one language (what a real file holds in the debtor's language)."""

    creditor_capacity: str
    claim: str
    principal: str
    interest: str
    indemnity: str
    reminder: str
    payment: str
    proof_reason: str
    dispute_reason: str
    dispute_outcome: str
    debtor: Debtor


_WORDS: dict[str, _Words] = {
    "fr": _Words(
        creditor_capacity="créancier initial",
        claim="Fourniture d'électricité, facture de régularisation annuelle 2024, "
        "point de fourniture EAN 541448820000123456",
        principal="facture 2025-0117",
        interest="10,50 % l'an du 8 mars au 7 avril 2025, sur 412,80 €",
        indemnity="clause 8 des conditions générales (10 %), dans la limite de l'art. XIX.4 CEL",
        reminder="rappel du 12 mai 2025 : 7,50 € et frais postaux de 1,43 € (art. XIX.2 CEL)",
        payment="virement reçu le 20 mai 2025",
        proof_reason="le document transmis est un ordre de virement : il ne montre pas que le "
        "paiement a été exécuté par votre banque",
        dispute_reason="Le compteur a été remplacé en novembre 2024 et l'index de régularisation "
        "ne correspond pas au relevé que j'ai transmis.",
        dispute_outcome="le gestionnaire de réseau a confirmé l'index du 14 novembre 2024 ; "
        "la facture de régularisation est donc correcte. Les relevés vous sont transmis "
        "en annexe",
        debtor=Debtor(
            name="Marie Dupont",
            address=PostalAddress(("Rue des Tilleuls 12 bte 3",), "4000", "Liège"),
        ),
    ),
    "nl": _Words(
        creditor_capacity="oorspronkelijke schuldeiser",
        claim="Levering van elektriciteit, jaarlijkse afrekeningsfactuur 2024, "
        "leveringspunt EAN 541448820000123456",
        principal="factuur 2025-0117",
        interest="10,50% per jaar van 8 maart tot 7 april 2025, op € 412,80",
        indemnity="artikel 8 van de algemene voorwaarden (10%), binnen de grens van art. XIX.4 WER",
        reminder="herinnering van 12 mei 2025: € 7,50 en portkosten van € 1,43 (art. XIX.2 WER)",
        payment="overschrijving ontvangen op 20 mei 2025",
        proof_reason="het bezorgde document is een overschrijvingsopdracht: het toont niet aan "
        "dat uw bank de betaling heeft uitgevoerd",
        dispute_reason="De meter werd in november 2024 vervangen en de meterstand van de "
        "afrekening klopt niet met de stand die ik heb doorgegeven.",
        dispute_outcome="de netbeheerder heeft de meterstand van 14 november 2024 bevestigd; "
        "de afrekeningsfactuur is dus correct. De meterstanden vindt u in bijlage",
        debtor=Debtor(
            name="Jan Peeters",
            address=PostalAddress(("Kerkstraat 8",), "9000", "Gent"),
        ),
    ),
    "de": _Words(
        creditor_capacity="ursprünglicher Gläubiger",
        claim="Stromlieferung, Jahresabrechnung 2024, Lieferstelle EAN 541448820000123456",
        principal="Rechnung 2025-0117",
        interest="10,50 % jährlich vom 8. März bis 7. April 2025 auf 412,80 €",
        indemnity="Klausel 8 der Allgemeinen Geschäftsbedingungen (10 %), innerhalb der Grenze "
        "von Art. XIX.4 WGB",
        reminder="Erinnerung vom 12. Mai 2025: 7,50 € und Porto von 1,43 € (Art. XIX.2 WGB)",
        payment="Überweisung eingegangen am 20. Mai 2025",
        proof_reason="das übermittelte Dokument ist ein Überweisungsauftrag: Es zeigt nicht, "
        "dass Ihre Bank die Zahlung ausgeführt hat",
        dispute_reason="Der Zähler wurde im November 2024 ausgetauscht, und der Zählerstand der "
        "Abrechnung stimmt nicht mit dem von mir gemeldeten Stand überein.",
        dispute_outcome="der Netzbetreiber hat den Zählerstand vom 14. November 2024 bestätigt; "
        "die Jahresabrechnung ist daher korrekt. Die Zählerstände finden Sie in der Anlage",
        debtor=Debtor(
            name="Lukas Schmitz",
            address=PostalAddress(("Hauptstraße 21",), "4700", "Eupen"),
        ),
    ),
    "en": _Words(
        creditor_capacity="original creditor",
        claim="Electricity supply, annual settlement invoice 2024, "
        "supply point EAN 541448820000123456",
        principal="invoice 2025-0117",
        interest="10.50% a year from 8 March to 7 April 2025, on €412.80",
        indemnity="clause 8 of the general terms (10%), within the limit of art. XIX.4 CEL",
        reminder="reminder of 12 May 2025: €7.50 and postage of €1.43 (art. XIX.2 CEL)",
        payment="transfer received on 20 May 2025",
        proof_reason="the document you sent is a transfer order: it does not show that your "
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


def _items(words: _Words, *components: str) -> tuple[AmountItem, ...]:
    lines = {
        "principal": AmountItem("principal", words.principal, _PRINCIPAL),
        "interest": AmountItem("interest", "", _INTEREST, words.interest),
        "indemnity": AmountItem("indemnity", "", _INDEMNITY, words.indemnity),
        "reminder_cost": AmountItem(
            "reminder_cost",
            "",
            max_reminder_cost(SAMPLE_POSTAGE),
            words.reminder,
            charged_by_this_letter=True,
        ),
        "payment": AmountItem("payment", words.payment, -_PAID),
    }
    return tuple(lines[c] for c in components)


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
        capacity=words.creditor_capacity,
    )
    claim = Claim(
        invoice_number="2025-0117",
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
    claimed = _items(words, "principal", "interest", "indemnity")
    total = sum((i.amount for i in claimed), Decimal("0.00"))
    if kind is LetterKind.FIRST_REMINDER:
        sent_on = date(2025, 3, 3)
        return replace(
            base,
            date=sent_on,
            items=_items(words, "principal"),
            future_damages=FutureDamages(indemnity=_INDEMNITY, interest_rate=_RATE),
            grace_period_end=grace_period(sent_on, "paper").last_day,
            payment=_payment(_PRINCIPAL),
        )
    if kind is LetterKind.FORMAL_NOTICE:
        sent_on = date(2025, 4, 7)
        return replace(
            base,
            date=sent_on,
            items=claimed,
            waiting_period_end=grace_period(sent_on, "paper").last_day,
            payment=_payment(total),
        )
    if kind is LetterKind.FOLLOW_UP_REMINDER:
        sent_on = date(2025, 5, 12)
        items = _items(words, "principal", "interest", "indemnity", "reminder_cost")
        return replace(
            base,
            date=sent_on,
            items=items,
            reminder_chargeable=True,
            pay_by=sent_on + timedelta(days=14),
            payment=_payment(sum((i.amount for i in items), Decimal("0.00"))),
        )
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION:
        amounts = (Decimal("152.60"), Decimal("152.58"), Decimal("152.58"))
        instalments = tuple(
            Instalment(
                number=n,
                due_date=date(2025, 5 + n, 5),
                amount=amount,
                structured_communication=_communication(2025_001_230 + n),
            )
            for n, amount in enumerate(amounts, start=1)
        )
        first = instalments[0]
        return replace(
            base,
            date=date(2025, 5, 20),
            items=claimed,
            instalments=instalments,
            payment=_payment(first.amount, first.structured_communication),
        )
    if kind is LetterKind.PROOF_DECISION:
        return replace(
            base,
            date=date(2025, 5, 15),
            items=claimed,
            proof=ProofDecision(
                accepted=False, reason=words.proof_reason, received_on=date(2025, 5, 13)
            ),
            payment=_payment(total),
        )
    if kind is LetterKind.DISPUTE_ACKNOWLEDGEMENT:
        return replace(
            base,
            date=date(2025, 4, 15),
            items=claimed,
            dispute=Dispute(received_on=date(2025, 4, 14), reason=words.dispute_reason),
        )
    if kind is LetterKind.DISPUTE_OUTCOME:
        return replace(
            base,
            date=date(2025, 5, 6),
            items=claimed,
            dispute=Dispute(
                received_on=date(2025, 4, 14),
                reason=words.dispute_reason,
                upheld=False,
                outcome=words.dispute_outcome,
            ),
        )
    if kind is LetterKind.STATEMENT_OF_ACCOUNT:
        items = _items(words, "principal", "interest", "indemnity", "payment")
        return replace(
            base,
            date=date(2025, 5, 26),
            items=items,
            payment=_payment(sum((i.amount for i in items), Decimal("0.00"))),
        )
    # The claim declaration goes to the mediator: interest stopped at the admissibility date.
    return replace(
        base,
        date=date(2025, 6, 2),
        items=claimed,
        admissibility_date=date(2025, 5, 20),
        mediator=_MEDIATOR,
        payment=_payment(total),
        portal_url="",
        access_code="",
    )
