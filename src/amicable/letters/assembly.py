"""A :class:`~amicable.letters.content.LetterData` built from a file in the database.

What a letter prints comes from three places: the agency of ``settings.AMICABLE_AGENCY``; the
file, its creditor, debtor and claims; and the ledger (:func:`amicable.files.ledger.file_balance`
on the letter date), so that every amount is the one the ledger holds that day. What the
database does not know (the instalments of a plan, the decision on a proof, the dispute) comes
from the caller as :class:`LetterDetails`.

Amounts, per kind:

- first reminder: the principal still due only; no damages or costs may appear on it, only
  the damages that *will* be added if it stays unpaid (CEL art. XIX.2);
- statement of account: everything charged, then each payment received for what it paid off
  (docs/legal.md section 6); the portal's dated statement is this letter;
- every other kind: what is still due, per component (the itemised description of
  CEL art. XIX.7 §2), interest accrued to the letter date included;
- a follow-up reminder whose strategy step charges its cost shows that cost (at most EUR 7.50
  plus the postage of a letter sent by post, CEL art. XIX.2) when the law lets the daily run
  charge it: the very same function, so the debtor is asked exactly what the ledger will hold.

Reads only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from babel import Locale
from django.conf import settings
from django.db.models import Sum
from django.db.models.functions import Coalesce

from amicable.domain import law
from amicable.domain.errors import DomainError
from amicable.domain.imputation import Component
from amicable.domain.lifecycle import rules_for
from amicable.domain.mentions import (
    MINIMUM_PERIOD_DAYS,
    NEVER_ASKS_FOR_MONEY,
    AmountItem,
    LetterKind,
)
from amicable.domain.money import CENT, ZERO, format_eur
from amicable.domain.references import ogm_format
from amicable.files.ledger import FileBalance, file_balance, indemnity_allowed
from amicable.files.models import Allocation, Claim, Creditor, Debtor, File
from amicable.files.rates import rate_table
from amicable.letters import content as letter
from amicable.letters.content import LANGUAGES, Language
from amicable.letters.formatting import format_date
from amicable.workflow.models import LetterRequest
from amicable.workflow.reminders import follow_up_cost
from amicable.workflow.selectors import get_postage_table

__all__ = [
    "LetterDetails",
    "agency_for_letters",
    "build_letter_data",
    "debtor_language",
    "portal_url",
]


@dataclass(frozen=True, slots=True)
class LetterDetails:
    """What a letter says that the file's rows do not hold: given by the service that asks
    for the letter (plans, proofs of payment, disputes)."""

    instalments: tuple[letter.Instalment, ...] = ()
    proof: letter.ProofDecision | None = None
    dispute: letter.Dispute | None = None


# The amount lines, in the letter's language. The template prints each component's name, then
# the label after a dash, then the legal basis in small print: labels only add what the name
# does not say. Whole phrases, no fragments put together.
_LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "invoice": "facture {reference}",
        "interest_basis": "Sur le principal impayé, au taux du contrat dans les limites de "
        "l'art. XIX.4 CEL.",
        "indemnity_basis": "Clause du contrat, dans la limite de l'art. XIX.4 CEL.",
        "reminders_basis": "Au plus 7,50 € et les frais postaux par rappel (art. XIX.2 CEL).",
        "this_reminder": "le présent rappel",
        "this_reminder_basis": "7,50 € et frais postaux de {postage} (art. XIX.2 CEL).",
        "payments": "total des paiements imputés",
        "payment_on": "paiement reçu le {date}",
    },
    "nl": {
        "invoice": "factuur {reference}",
        "interest_basis": "Op de onbetaalde hoofdsom, tegen de rentevoet van het contract "
        "binnen de grenzen van art. XIX.4 WER.",
        "indemnity_basis": "Beding van het contract, binnen de grens van art. XIX.4 WER.",
        "reminders_basis": "Ten hoogste € 7,50 en de portkosten per herinnering (art. XIX.2 WER).",
        "this_reminder": "deze herinnering",
        "this_reminder_basis": "€ 7,50 en portkosten van {postage} (art. XIX.2 WER).",
        "payments": "totaal van de toegerekende betalingen",
        "payment_on": "betaling ontvangen op {date}",
    },
    "de": {
        "invoice": "Rechnung {reference}",
        "interest_basis": "Auf den unbezahlten Hauptbetrag, zum Vertragszinssatz in den Grenzen "
        "von Art. XIX.4 WGB.",
        "indemnity_basis": "Vertragsklausel, innerhalb der Grenze von Art. XIX.4 WGB.",
        "reminders_basis": "Höchstens 7,50 € und das Porto je Erinnerung (Art. XIX.2 WGB).",
        "this_reminder": "diese Erinnerung",
        "this_reminder_basis": "7,50 € und Porto von {postage} (Art. XIX.2 WGB).",
        "payments": "Summe der verrechneten Zahlungen",
        "payment_on": "Zahlung erhalten am {date}",
    },
    "en": {
        "invoice": "invoice {reference}",
        "interest_basis": "On the unpaid principal, at the contract rate within the limits of "
        "art. XIX.4 CEL.",
        "indemnity_basis": "Contract clause, within the limit of art. XIX.4 CEL.",
        "reminders_basis": "At most €7.50 plus the postage per reminder (art. XIX.2 CEL).",
        "this_reminder": "this reminder",
        "this_reminder_basis": "€7.50 and postage of {postage} (art. XIX.2 CEL).",
        "payments": "total of the payments applied",
        "payment_on": "payment received on {date}",
    },
}


def debtor_language(debtor: Debtor) -> Language:
    """The debtor's language: letters and e-mails take it, never the language of a request."""
    for language in LANGUAGES:
        if language == debtor.language:
            return language
    raise ValueError(f"Unknown language {debtor.language!r} for debtor {debtor.pk}.")


def agency_for_letters() -> letter.Agency:
    """The agency of ``settings.AMICABLE_AGENCY`` as the sender of a letter.

    The address setting is one line, ``"street, postal code city"``; ``website`` is optional.
    """
    agency = settings.AMICABLE_AGENCY
    street, _sep, place = str(agency["address"]).rpartition(",")
    postal_code, _sep, city = place.strip().partition(" ")
    return letter.Agency(
        name=agency["name"],
        address=letter.PostalAddress(lines=(street.strip(),), postal_code=postal_code, city=city),
        enterprise_number=agency["enterprise_number"],
        fps_registration=agency["fps_economy_registration"],
        phone=agency["phone"],
        email=agency["email"],
        iban=agency["iban"],
        bic=agency["bic"],
        website=agency.get("website", ""),
    )


def portal_url() -> str:
    """Where the debtor signs in with the reference and access code printed on a letter.

    ``settings.AMICABLE_PORTAL_URL``; without it no access code is printed (a code without an
    address to use it would only puzzle the reader).
    """
    return str(getattr(settings, "AMICABLE_PORTAL_URL", "") or "")


def _country(code: str, language: str) -> str:
    """The country line of an address abroad, in the letter's language; none for Belgium."""
    if not code or code.upper() == "BE":
        return ""
    name = Locale.parse(language).territories.get(code.upper())
    return (name or code).upper()


def _address(
    street: str, postal_code: str, city: str, country: str, language: str
) -> letter.PostalAddress:
    return letter.PostalAddress(
        lines=tuple(line.strip() for line in street.splitlines() if line.strip()),
        postal_code=postal_code,
        city=city,
        country=_country(country, language),
    )


def _enterprise_number(digits: str) -> str:
    """``0403170701`` as printed: ``0403.170.701`` (KBO/BCE)."""
    compact = "".join(ch for ch in digits if ch.isdigit())
    if len(compact) != 10:
        return digits
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def _creditor(creditor: Creditor, language: str) -> letter.Creditor:
    return letter.Creditor(
        name=creditor.name,
        enterprise_number=_enterprise_number(creditor.enterprise_number),
        address=_address(creditor.address, creditor.postal_code, creditor.city, "BE", language),
        phone=creditor.phone,
        email=creditor.email,
        capacity=creditor.capacity,
    )


def _debtor(debtor: Debtor, language: str) -> letter.Debtor:
    return letter.Debtor(
        name=debtor.name,
        address=_address(debtor.address, debtor.postal_code, debtor.city, debtor.country, language),
    )


def _mediator(debtor: Debtor, channel: str) -> letter.Mediator | None:
    """The debt mediator the debtor declared, addressee of the claim declaration.

    No postal address of the mediator is stored, only their organisation and e-mail: by e-mail
    the address block names the organisation; on paper the letter is refused for its missing
    address (a mandatory mention), rather than posted to nowhere.
    """
    if not debtor.mediator_name:
        return None
    by_email = channel == law.Channel.ELECTRONIC and debtor.mediator_organisation
    return letter.Mediator(
        name=debtor.mediator_name,
        address=letter.PostalAddress(
            lines=(debtor.mediator_organisation,) if by_email else (),
            postal_code="",
            city="",
        ),
    )


def _outstanding_items(
    balance: FileBalance, claims: dict[int, Claim], labels: dict[str, str]
) -> list[AmountItem]:
    """What is still due, per component: the itemised amounts of CEL art. XIX.7 §2."""
    items = [
        AmountItem(
            "principal",
            labels["invoice"].format(reference=claims[c.claim_id].creditor_reference),
            c.outstanding(Component.PRINCIPAL),
        )
        for c in balance.claims
        if c.outstanding(Component.PRINCIPAL) != ZERO
    ]
    for component, basis in (
        (Component.INTEREST, "interest_basis"),
        (Component.INDEMNITY, "indemnity_basis"),
        (Component.REMINDER_COST, "reminders_basis"),
    ):
        amount = sum((c.outstanding(component) for c in balance.claims), ZERO)
        if amount != ZERO:
            items.append(AmountItem(component.value, "", amount, labels[basis]))
    return items


def _statement_items(
    file: File, balance: FileBalance, claims: dict[int, Claim], language: Language
) -> list[AmountItem]:
    """Everything charged, then each payment received for what it paid off: they add up to
    what is due on the statement's day."""
    labels = _LABELS[language]
    items = [
        AmountItem(
            "principal",
            labels["invoice"].format(reference=claims[c.claim_id].creditor_reference),
            c.charged[Component.PRINCIPAL],
        )
        for c in balance.claims
        if c.charged[Component.PRINCIPAL] != ZERO
    ]
    interest = sum(
        (c.charged[Component.INTEREST] + c.interest_accrued for c in balance.claims), ZERO
    )
    for component, amount, basis in (
        (Component.INTEREST, interest, "interest_basis"),
        (
            Component.INDEMNITY,
            sum((c.charged[Component.INDEMNITY] for c in balance.claims), ZERO),
            "indemnity_basis",
        ),
        (
            Component.REMINDER_COST,
            sum((c.charged[Component.REMINDER_COST] for c in balance.claims), ZERO),
            "reminders_basis",
        ),
    ):
        if amount != ZERO:
            items.append(AmountItem(component.value, "", amount, labels[basis]))
    for paid_on, amount in _payments_applied(file, as_of=balance.as_of):
        items.append(
            AmountItem(
                "payment",
                labels["payment_on"].format(date=format_date(paid_on, language)),
                -amount,
            )
        )
    return items


def _payments_applied(file: File, *, as_of: date) -> list[tuple[date, Decimal]]:
    """What each payment received paid off, by the payment's value date (a returned payment
    cancels its own), as the ledger's allocations hold it."""
    rows = (
        Allocation.objects.filter(file=file, value_date__lte=as_of)
        .annotate(paid_on=Coalesce("entry__reverses__value_date", "entry__value_date"))
        .order_by()
        .values("paid_on")
        .annotate(total=Sum("amount"))
        .values_list("paid_on", "total")
    )
    # SQLite sums decimals as floats: back to exact cents.
    return sorted(
        (paid_on, total.quantize(CENT)) for paid_on, total in rows if total.quantize(CENT) != ZERO
    )


def _future_damages(file: File, claims: list[Claim], *, on: date) -> letter.FutureDamages:
    """What the first reminder announces if it stays unpaid (CEL art. XIX.2): the indemnity the
    ledger would charge on these claims (within the cap of art. XIX.4 on the file's balance)
    and the highest yearly rate in force on the letter date, never above the legal maximum of
    that day."""
    allowed = indemnity_allowed(file, on=on)
    indemnity = sum((allowed.get(c.pk, ZERO) for c in claims), ZERO)
    rates: list[Decimal] = []
    table = rate_table()
    for claim in claims:
        if not claim.interest_applies:
            continue
        try:
            rate = (
                table.civil_rate(on)
                if claim.applied_interest_rate is None
                else min(claim.applied_interest_rate, table.commercial_rate(on))
            )
        except DomainError:
            continue  # no rate published for that day yet: nothing is announced
        rates.append(rate)
    return letter.FutureDamages(indemnity=indemnity, interest_rate=max(rates, default=ZERO))


def _follow_up_cost(
    file: File, request: LetterRequest | None, *, on: date, channel: str, language: Language
) -> AmountItem | None:
    """The cost of this follow-up reminder, exactly as the daily run will charge it once sent:
    :func:`amicable.workflow.reminders.follow_up_cost`, with the same facts (CEL art. XIX.2)."""
    if request is None or not request.charges_cost:
        return None
    claims = list(file.claims.order_by("due_date", "id"))
    if not claims:
        return None
    cost = follow_up_cost(
        claims=claims,
        letters=list(file.letter_requests.all()),
        this=(on, request.pk),
        channel=channel,
        postage=get_postage_table(),
        charging_allowed=rules_for(file.file_state).charging,
    )
    if cost.refusal is not None:
        return None
    labels = _LABELS[language]
    return AmountItem(
        "reminder_cost",
        labels["this_reminder"],
        cost.amount,
        labels["this_reminder_basis"].format(postage=format_eur(cost.postage, language)),
        charged_by_this_letter=True,
    )


def build_letter_data(
    *,
    file: File,
    kind: LetterKind,
    on: date,
    channel: str = law.Channel.PAPER,
    details: LetterDetails | None = None,
    request: LetterRequest | None = None,
    access_code: str = "",
) -> letter.LetterData:
    """The letter of ``kind`` for ``file``, dated ``on``, in the debtor's language.

    ``channel`` is the law's sending channel (``paper`` or ``electronic``): it sets the end of
    the first reminder's payment period and of the formal notice's waiting period
    (:func:`amicable.domain.law.grace_period`, legal.md sections 1 and 3). ``request`` is the
    queued letter, when the daily run asked for it (a follow-up's cost depends on its step).
    The result is not checked here: :func:`amicable.letters.rendering.render_letter` checks
    every mention and figure before rendering.
    """
    details = details or LetterDetails()
    debtor, creditor = file.debtor, file.creditor
    language = debtor_language(debtor)
    labels = _LABELS[language]
    agency = agency_for_letters()
    claims = list(file.claims.order_by("due_date", "id"))
    by_id = {c.pk: c for c in claims}
    # A claim declaration states the debt at the admissibility date, when interest stopped
    # (Judicial Code art. 1675/7).
    as_of = on
    if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION and debtor.admissibility_date is not None:
        as_of = min(on, debtor.admissibility_date)
    balance = file_balance(file, as_of=as_of)

    if kind is LetterKind.FIRST_REMINDER:
        wanted = set((request.data or {}).get("claims", [])) if request is not None else set()
        concerned = [c for c in claims if not wanted or c.creditor_reference in wanted]
        concerned_ids = {c.pk for c in concerned}
        items = [
            AmountItem(
                "principal",
                labels["invoice"].format(reference=by_id[c.claim_id].creditor_reference),
                c.outstanding(Component.PRINCIPAL),
            )
            for c in balance.claims
            if c.claim_id in concerned_ids and c.outstanding(Component.PRINCIPAL) != ZERO
        ]
        shown_claims = concerned
    elif kind is LetterKind.STATEMENT_OF_ACCOUNT:
        items = _statement_items(file, balance, by_id, language)
        shown_claims = claims
    else:
        items = _outstanding_items(balance, by_id, labels)
        shown_claims = claims

    reminder_chargeable = False
    postage = ZERO
    if kind is LetterKind.FOLLOW_UP_REMINDER:
        cost = _follow_up_cost(file, request, on=on, channel=channel, language=language)
        if cost is not None:
            items.append(cost)
            reminder_chargeable = True
            postage = cost.amount - law.REMINDER_COST_FLAT
    total = sum((i.amount for i in items), ZERO)

    payment = None
    if kind is LetterKind.PAYMENT_PLAN_CONFIRMATION and details.instalments:
        first = details.instalments[0]
        payment = _payment(agency, first.amount, first.structured_communication)
    elif kind not in NEVER_ASKS_FOR_MONEY and total > ZERO:
        payment = _payment(agency, total, ogm_format(file.structured_communication))

    period = law.grace_period(on, channel)
    url = portal_url() if kind is not LetterKind.MEDIATOR_CLAIM_DECLARATION else ""
    return letter.LetterData(
        kind=kind,
        language=language,
        date=on,
        reference=file.reference,
        agency=agency,
        creditor=_creditor(creditor, language),
        debtor=_debtor(debtor, language),
        claims=tuple(
            letter.Claim(
                invoice_number=c.creditor_reference,
                description=c.description,
                invoice_date=c.invoice_date,
                due_date=c.due_date,
                amount=c.principal,
            )
            for c in shown_claims
        ),
        items=tuple(items),
        payment=payment,
        instalments=details.instalments,
        proof=details.proof,
        dispute=details.dispute,
        future_damages=_future_damages(file, shown_claims, on=on)
        if kind is LetterKind.FIRST_REMINDER
        else None,
        grace_period_end=period.last_day if kind is LetterKind.FIRST_REMINDER else None,
        waiting_period_end=period.last_day if kind is LetterKind.FORMAL_NOTICE else None,
        pay_by=on + timedelta(days=MINIMUM_PERIOD_DAYS)
        if kind is LetterKind.FOLLOW_UP_REMINDER
        else None,
        admissibility_date=debtor.admissibility_date
        if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION
        else None,
        mediator=_mediator(debtor, channel)
        if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION
        else None,
        portal_url=url if access_code else "",
        access_code=access_code if url else "",
        # The indemnity cap is the one on the principal claimed, as the intake checks and the
        # portal's breakdown compute it (CEL art. XIX.4).
        balance_for_cap=sum((c.principal for c in claims), ZERO),
        reminder_chargeable=reminder_chargeable,
        postage=postage,
    )


def _payment(agency: letter.Agency, amount: Decimal, communication: str) -> letter.Payment:
    return letter.Payment(
        beneficiary=agency.name,
        iban=agency.iban,
        bic=agency.bic,
        amount=amount,
        structured_communication=communication,
    )
