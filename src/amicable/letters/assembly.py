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
  (docs/legal.md, section 6); the portal's dated statement is this letter;
- every other kind: what is still due, itemised (CEL art. XIX.7 §2): the principal per
  invoice, interest line by line with its rate, basis and period, interest accrued to the
  letter date included, the indemnity with its clause and caps, less what was paid of them
  (:mod:`amicable.letters.amounts` writes the lines);
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
from amicable.domain.charges import InterestLine
from amicable.domain.errors import DomainError
from amicable.domain.imputation import Component
from amicable.domain.interest import interest_periods
from amicable.domain.lifecycle import rules_for
from amicable.domain.mentions import (
    MINIMUM_PERIOD_DAYS,
    NEVER_ASKS_FOR_MONEY,
    AmountItem,
    CreditorCapacity,
    LetterKind,
)
from amicable.domain.money import CENT, ZERO
from amicable.domain.references import ogm_format
from amicable.files.ledger import (
    FileBalance,
    file_balance,
    indemnity_decisions,
    interest_lines_held,
)
from amicable.files.models import Allocation, Claim, Creditor, Debtor, File
from amicable.files.rates import rate_table
from amicable.letters import amounts
from amicable.letters import content as letter
from amicable.letters.content import LANGUAGES, Language
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
        capacity=CreditorCapacity.from_text(creditor.capacity),
    )


def _debtor(debtor: Debtor, language: str) -> letter.Debtor:
    return letter.Debtor(
        name=debtor.name,
        address=_address(debtor.address, debtor.postal_code, debtor.city, debtor.country, language),
    )


def _mediator(debtor: Debtor, channel: str) -> letter.Mediator | None:
    """The debt mediator the debtor declared, addressee of the claim declaration.

    No postal address of the mediator is stored, only their organisation and e-mail: by e-mail
    the address block names the organisation and the e-mail address; on paper the letter is
    refused for its missing address (a mandatory mention), rather than posted to nowhere.
    """
    if not debtor.mediator_name:
        return None
    by_email = channel == law.Channel.ELECTRONIC
    lines = (debtor.mediator_organisation, debtor.mediator_email) if by_email else ()
    return letter.Mediator(
        name=debtor.mediator_name,
        address=letter.PostalAddress(
            lines=tuple(line for line in lines if line),
            postal_code="",
            city="",
        ),
    )


def _explanations(
    file: File, balance: FileBalance, claims: dict[int, Claim], *, on: date
) -> dict[int, amounts.ClaimExplanation]:
    """What explains each claim's charges: the ledger's interest lines (for a file that no
    longer accrues interest, those of the days booked) and the indemnity decisions."""
    held: dict[int, tuple[InterestLine, ...]] | None = None
    if not rules_for(file.file_state).accrues_interest:
        held = interest_lines_held(file, as_of=balance.as_of)
    decisions = {d.claim_id: d for d in indemnity_decisions(file, on=on)}
    explained = {}
    for c in balance.claims:
        claim = claims[c.claim_id]
        explained[c.claim_id] = amounts.ClaimExplanation(
            reference=claim.creditor_reference,
            interest_lines=c.interest_lines if held is None else held.get(c.claim_id, ()),
            contract_rate=claim.interest_rate,
            indemnity=decisions.get(c.claim_id),
        )
    return explained


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
    and the highest yearly rate in force on the letter date, as the interest rule sets it that
    day (:func:`amicable.domain.interest.interest_periods`: the contract's rate never above the
    legal maximum, or the civil legal rate), with its basis; no rate when no claim bears
    interest."""
    allowed = {d.claim_id: d.amount for d in indemnity_decisions(file, on=on)}
    indemnity = sum((allowed.get(c.pk, ZERO) for c in claims), ZERO)
    rates: list[tuple[Decimal, bool]] = []
    table = rate_table()
    for claim in claims:
        if not claim.interest_applies:
            continue
        try:
            (day,) = interest_periods(ZERO, on, on, claim.applied_interest_rate, rates=table)
        except DomainError:
            continue  # no rate published for that day yet: nothing is announced
        rates.append((day.rate, day.legal_rate))
    rate, legal = max(rates, default=(None, False))
    return letter.FutureDamages(indemnity=indemnity, interest_rate=rate, legal_rate=legal)


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
    return amounts.this_reminder_item(cost, language=language)


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
    (:func:`amicable.domain.law.grace_period`, docs/legal.md, sections 1 and 3). ``request`` is the
    queued letter, when the daily run asked for it (a follow-up's cost depends on its step).
    The result is not checked here: :func:`amicable.letters.rendering.render_letter` checks
    every mention and figure before rendering.
    """
    details = details or LetterDetails()
    debtor, creditor = file.debtor, file.creditor
    language = debtor_language(debtor)
    agency = agency_for_letters()
    claims = list(file.claims.order_by("due_date", "id"))
    by_id = {c.pk: c for c in claims}
    # A claim declaration states the debt with the interest of the days before admissibility
    # only (Judicial Code art. 1675/7): the file's interest stops there (``interest_stops_on``),
    # and the ledger's own correction of what was booked past it is dated the day it was made,
    # so the balance is read as of the letter's date, never as of the admissibility date.
    balance = file_balance(file, as_of=on)

    if kind is LetterKind.FIRST_REMINDER:
        wanted = set((request.data or {}).get("claims", [])) if request is not None else set()
        concerned = [c for c in claims if not wanted or c.creditor_reference in wanted]
        concerned_ids = {c.pk for c in concerned}
        items = [
            amounts.principal_item(
                by_id[c.claim_id].creditor_reference,
                c.outstanding(Component.PRINCIPAL),
                language=language,
            )
            for c in balance.claims
            if c.claim_id in concerned_ids and c.outstanding(Component.PRINCIPAL) != ZERO
        ]
        shown_claims = concerned
        ledger_total = None  # the principal of the claims reminded, not of the whole file
    else:
        explained = _explanations(file, balance, by_id, on=on)
        if kind is LetterKind.STATEMENT_OF_ACCOUNT:
            payments = _payments_applied(file, as_of=balance.as_of)
            items = amounts.statement_items(balance, explained, payments, language=language)
        else:
            items = amounts.outstanding_items(balance, explained, language=language)
        shown_claims = claims
        ledger_total = balance.outstanding

    reminder_chargeable = False
    postage = ZERO
    if kind is LetterKind.FOLLOW_UP_REMINDER:
        cost = _follow_up_cost(file, request, on=on, channel=channel, language=language)
        if cost is not None:
            items.append(cost)
            reminder_chargeable = True
            postage = cost.amount - law.REMINDER_COST_FLAT
            ledger_total = balance.outstanding + cost.amount
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
                time_barred=c.time_barred_on is not None,
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
        ledger_total=ledger_total,
    )


def _payment(agency: letter.Agency, amount: Decimal, communication: str) -> letter.Payment:
    return letter.Payment(
        beneficiary=agency.name,
        iban=agency.iban,
        bic=agency.bic,
        amount=amount,
        structured_communication=communication,
    )
