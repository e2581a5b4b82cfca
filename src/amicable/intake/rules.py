"""Intake rules that need today's date or several fields, with the field each error concerns.

Shared by the API and the CSV/XLSX import. Each rule also runs on a request whose other fields
are malformed, on the fields that are well formed (``well_formed``): one answer then gives every
error, a malformed amount does not hide a due date in the future. Every claim also passes the
checks of
``amicable.files.services.check_claim`` (first reminder and grace period, CEL art. XIX.2; damages
clause and interest rate against the caps, CEL art. XIX.4), so a claim that would make the intake
service fail is refused here with its reason, before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

import pydantic

from amicable.domain.charges import last_day_with_rates
from amicable.domain.errors import DomainError, UnknownRateError
from amicable.domain.interest import RateTable, interest_periods
from amicable.domain.prescription import default_category, is_time_barred, last_day
from amicable.files.prescription import category_periods
from amicable.files.services import (
    ClaimCheck,
    ClaimInput,
    DebtorInput,
    FileInput,
    check_claim,
)
from amicable.intake.schemas import MAX_CLAIMS_PER_FILE, ClaimIn, DebtorIn, FileIn, PaymentIn
from amicable.intake.validation import is_belgian_postal_code


@dataclass(frozen=True, slots=True)
class FieldError:
    """One refused value: ``field`` is a path into the request (``claims[0].principal``)."""

    field: str | None
    reason: str


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


Model = TypeVar("Model", bound=pydantic.BaseModel)
NOTHING_MALFORMED: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class WellFormed(Generic[Model]):
    """The well-formed fields of an object as sent; the others are unset and named here."""

    part: Model
    malformed: frozenset[str]


def well_formed(model: type[Model], raw: object) -> WellFormed[Model] | None:
    """Each field of ``raw`` validated on its own (None if ``raw`` is not an object at all).

    A rule reads only fields outside ``malformed``; the format errors themselves are reported
    by the validation of the whole object.
    """
    if not isinstance(raw, dict):
        return None
    part = model.model_construct()
    malformed: set[str] = set()
    for name, field in model.model_fields.items():
        if name not in raw:
            if field.is_required():
                malformed.add(name)
            continue
        try:
            model.__pydantic_validator__.validate_assignment(part, name, raw[name])
        except pydantic.ValidationError:
            malformed.add(name)
    return WellFormed(part=part, malformed=frozenset(malformed))


def check_debtor(
    debtor: DebtorIn,
    *,
    today: date,
    prefix: str = "debtor",
    malformed: frozenset[str] = NOTHING_MALFORMED,
) -> list[FieldError]:
    """The debtor's rules, each on its fields if they are not ``malformed``."""

    def known(*names: str) -> bool:
        return malformed.isdisjoint(names)

    errors = []
    if (
        known("country", "postal_code")
        and debtor.country == "BE"
        and not is_belgian_postal_code(debtor.postal_code)
    ):
        errors.append(
            FieldError(
                _join(prefix, "postal_code"),
                "A Belgian postal code has four digits, from 1000 to 9999.",
            )
        )
    if known("birth_date") and debtor.birth_date is not None and debtor.birth_date >= today:
        errors.append(
            FieldError(_join(prefix, "birth_date"), "The birth date must be in the past.")
        )
    return errors


@dataclass(frozen=True, slots=True)
class PrescriptionTerms:
    """What the prescription rule reads at hand-over: the categories' periods (the data table,
    read once per request or import) and the category a claim of this creditor gets by
    default (``amicable.domain.prescription.default_category``)."""

    periods: Mapping[str, int]
    default: str


def prescription_terms(sector: str) -> PrescriptionTerms:
    """The terms for a creditor of ``sector``, from the categories table."""
    return PrescriptionTerms(periods=category_periods(), default=default_category(sector))


def check_prescription(
    claim: ClaimIn,
    *,
    today: date,
    terms: PrescriptionTerms,
    refuse: Callable[[str, str], None],
    known: Callable[..., bool],
) -> None:
    """docs/legal.md, section 8: a claim past its period (old Civil Code art. 2262bis, 2272
    al. 2, 2277 al. 2) is refused, unless the creditor declares the interruption that keeps
    it alive, with its date and the reference of its evidence."""
    if not known("category", "due_date", "prescription_interrupted_on", "prescription_evidence"):
        return
    code = claim.category or terms.default
    months = terms.periods.get(code)
    if months is None:
        refuse(
            "category",
            f"Unknown category {code!r}: use one of {', '.join(sorted(terms.periods))}.",
        )
        return
    interrupted = claim.prescription_interrupted_on
    if interrupted is not None:
        if interrupted > today:
            refuse("prescription_interrupted_on", "The interruption date is in the future.")
            return
        if interrupted <= claim.due_date:
            refuse(
                "prescription_interrupted_on",
                "An interruption comes after the due date: before it, no period ran.",
            )
            return
        if not claim.prescription_evidence:
            refuse(
                "prescription_evidence",
                "An interruption is declared with the reference of its evidence (the "
                "acknowledgement, the payment or the plan request; docs/legal.md, section 8).",
            )
            return
    if is_time_barred(
        due_date=claim.due_date, period_months=months, interruptions=(interrupted,), on=today
    ):
        ended = last_day(
            due_date=claim.due_date, period_months=months, interruptions=(interrupted,)
        )
        refuse(
            "due_date" if interrupted is None else "prescription_interrupted_on",
            f"This claim is time-barred: the period of its category {code!r} ({months} months, "
            f"docs/legal.md section 8) ended on {ended.isoformat()}. It can be handed over "
            "only with an interruption after which the period has not ended: give "
            "prescription_interrupted_on and prescription_evidence. A collection letter does "
            "not interrupt it.",
        )


@dataclass(frozen=True, slots=True)
class CheckedClaim:
    """The verdict on one claim: its errors, or the intake service's check of it."""

    errors: list[FieldError]
    check: ClaimCheck | None


def check_claim_rules(
    claim: ClaimIn,
    *,
    today: date,
    rates: RateTable,
    prescription: PrescriptionTerms,
    prefix: str = "",
    malformed: frozenset[str] = NOTHING_MALFORMED,
) -> CheckedClaim:
    """The rules of one claim, then the legal checks of the intake service.

    ``rates`` is the rate table in force (``files.rates.rate_table()``), read once per request
    or import rather than once per claim. The check is returned so that the intake service
    need not compute it again (``create_files(checks=...)``). With ``malformed`` fields, each
    rule runs only if it reads none of them, and the legal checks do not run.
    """
    errors: list[FieldError] = []

    def refuse(name: str, reason: str) -> None:
        errors.append(FieldError(_join(prefix, name), reason))

    def known(*names: str) -> bool:
        return malformed.isdisjoint(names)

    if known("due_date") and claim.due_date > today:
        refuse("due_date", "The due date is in the future: only a late payment can be collected.")
    if known("invoice_date", "due_date") and claim.invoice_date > claim.due_date:
        refuse("invoice_date", "The invoice date must be on or before the due date.")
    if known("contract_date") and claim.contract_date is not None and claim.contract_date > today:
        refuse("contract_date", "The contract date must not be in the future.")
    if known("first_reminder_sent_on", "first_reminder_channel"):
        sent_on, channel = claim.first_reminder_sent_on, claim.first_reminder_channel
        if (sent_on is None) != (channel is None):
            missing = "first_reminder_channel" if channel is None else "first_reminder_sent_on"
            refuse(
                missing,
                "The first reminder's date and channel (paper or electronic) go together: give "
                "both, or neither if no first reminder was sent (CEL art. XIX.2).",
            )
    if known("first_reminder_sent_on") and (sent_on := claim.first_reminder_sent_on) is not None:
        if sent_on > today:
            refuse("first_reminder_sent_on", "The first reminder date is in the future.")
        elif known("due_date") and sent_on <= claim.due_date:
            refuse(
                "first_reminder_sent_on",
                "The first reminder must be sent after the due date: it reminds the consumer "
                "of a late payment (CEL art. XIX.2).",
            )
    if (
        known("indemnity_fixed", "indemnity_percent", "indemnity_minimum")
        and claim.indemnity_fixed is not None
        and (claim.indemnity_percent is not None or claim.indemnity_minimum is not None)
    ):
        refuse(
            "indemnity_fixed",
            "A damages clause is either a fixed amount or a percentage (with an optional "
            "minimum), not both: enter the clause as the general terms write it.",
        )
    if (
        known("indemnity_minimum", "indemnity_percent")
        and claim.indemnity_minimum is not None
        and claim.indemnity_percent is None
    ):
        refuse(
            "indemnity_minimum",
            "A minimum goes with a percentage; for a single amount use indemnity_fixed.",
        )
    if (
        known("interest_rate", "interest_clause")
        and claim.interest_rate is not None
        and not claim.interest_clause
    ):
        refuse(
            "interest_rate",
            "An interest rate is given but interest_clause is false: no interest may be "
            "charged without a clause (CEL art. XIX.4). Set interest_clause if the contract "
            "provides late interest.",
        )
    check_prescription(claim, today=today, terms=prescription, refuse=refuse, known=known)
    if errors or malformed:
        return CheckedClaim(errors=errors, check=None)
    try:
        check = check_claim(to_claim_input(claim), today=today, rates=rates)
        if check.interest.applies and check.grace is not None:
            # Every balance of the file will compute this interest: a first chargeable day
            # before the published rates would make each of them fail, so refuse it now (the
            # periods name each day's rate, which raises where none is published).
            start = check.grace.first_chargeable_day
            end = min(today, last_day_with_rates(rates))
            interest_periods(Decimal("1.00"), start, end, check.interest.rate, rates=rates)
    except UnknownRateError as exc:
        refuse("interest_clause", str(exc))
    except (DomainError, ValueError) as exc:
        errors.append(FieldError(prefix or None, str(exc)))
    if errors:
        return CheckedClaim(errors=errors, check=None)
    return CheckedClaim(errors=[], check=check)


@dataclass(frozen=True, slots=True)
class CheckedFile:
    """The verdict on one file: its errors, or the checks of its claims in order."""

    errors: list[FieldError]
    checks: list[ClaimCheck]


def check_file(
    item: FileIn, *, today: date, rates: RateTable, prescription: PrescriptionTerms
) -> CheckedFile:
    """Every rule of a file, its debtor and its claims; no errors means acceptable."""
    whole = [WellFormed(part=claim, malformed=NOTHING_MALFORMED) for claim in item.claims]
    return _check_parts(
        WellFormed(part=item.debtor, malformed=NOTHING_MALFORMED),
        whole,
        today=today,
        rates=rates,
        prescription=prescription,
    )


def file_rule_errors(
    raw: object, *, today: date, rates: RateTable, prescription: PrescriptionTerms
) -> list[FieldError]:
    """The rule errors of a file as sent whose format is wrong somewhere: every rule whose
    fields are well formed (the format errors are the validation's to report)."""
    if not isinstance(raw, dict):
        return []
    claims = raw.get("claims")
    # Beyond the most a file may hold, the file is refused for that; the rest tells nothing.
    sent = claims[:MAX_CLAIMS_PER_FILE] if isinstance(claims, list) else []
    parts = [well_formed(ClaimIn, claim) for claim in sent]
    debtor = well_formed(DebtorIn, raw.get("debtor"))
    return _check_parts(debtor, parts, today=today, rates=rates, prescription=prescription).errors


def _check_parts(
    debtor: WellFormed[DebtorIn] | None,
    claims: Sequence[WellFormed[ClaimIn] | None],
    *,
    today: date,
    rates: RateTable,
    prescription: PrescriptionTerms,
) -> CheckedFile:
    errors = []
    if debtor is not None:
        errors = check_debtor(debtor.part, today=today, malformed=debtor.malformed)
    checks: list[ClaimCheck] = []
    first_index: dict[str, int] = {}
    for index, claim in enumerate(claims):
        if claim is None:
            continue
        prefix = f"claims[{index}]"
        if "creditor_reference" not in claim.malformed:
            reference = claim.part.creditor_reference
            if reference in first_index:
                errors.append(
                    FieldError(
                        f"{prefix}.creditor_reference",
                        f"The claim reference {reference!r} is already used by "
                        f"claims[{first_index[reference]}] of this file.",
                    )
                )
                continue
            first_index[reference] = index
        checked = check_claim_rules(
            claim.part,
            today=today,
            rates=rates,
            prescription=prescription,
            prefix=prefix,
            malformed=claim.malformed,
        )
        errors.extend(checked.errors)
        if checked.check is not None:
            checks.append(checked.check)
    return CheckedFile(errors=errors, checks=checks if not errors else [])


def claim_rule_errors(
    raw: object, *, today: date, rates: RateTable, prescription: PrescriptionTerms
) -> list[FieldError]:
    """The rule errors of a claim as sent whose format is wrong somewhere (see
    ``file_rule_errors``)."""
    claim = well_formed(ClaimIn, raw)
    if claim is None:
        return []
    return check_claim_rules(
        claim.part, today=today, rates=rates, prescription=prescription, malformed=claim.malformed
    ).errors


def payment_rule_errors(
    raw: object, *, today: date, rates: RateTable, prescription: PrescriptionTerms
) -> list[FieldError]:
    """The rule errors of a payment as sent whose format is wrong somewhere (``rates`` and
    ``prescription`` are the terms every body rule receives; a payment reads neither)."""
    payment = well_formed(PaymentIn, raw)
    if payment is None:
        return []
    return check_payment(payment.part, today=today, malformed=payment.malformed)


def check_payment(
    payment: PaymentIn, *, today: date, malformed: frozenset[str] = NOTHING_MALFORMED
) -> list[FieldError]:
    """A payment the creditor reports: made, so not in the future."""
    if "value_date" not in malformed and payment.value_date > today:
        return [FieldError("value_date", "The payment date is in the future.")]
    return []


def to_claim_input(claim: ClaimIn) -> ClaimInput:
    return ClaimInput(
        creditor_reference=claim.creditor_reference,
        description=claim.description,
        invoice_date=claim.invoice_date,
        due_date=claim.due_date,
        principal=claim.principal,
        contract_date=claim.contract_date,
        regular_supply=claim.regular_supply,
        first_reminder_sent_on=claim.first_reminder_sent_on,
        first_reminder_channel=claim.first_reminder_channel,
        indemnity_percent=claim.indemnity_percent,
        indemnity_minimum=claim.indemnity_minimum,
        indemnity_fixed=claim.indemnity_fixed,
        requested_indemnity=claim.requested_indemnity,
        interest_clause=claim.interest_clause,
        interest_rate=claim.interest_rate,
        reminder_cost_clause=claim.reminder_cost_clause,
        category=claim.category,
        prescription_interrupted_on=claim.prescription_interrupted_on,
        prescription_evidence=claim.prescription_evidence or "",
        indemnity_reciprocity=claim.indemnity_reciprocity,
    )


def to_debtor_input(debtor: DebtorIn) -> DebtorInput:
    return DebtorInput(
        customer_reference=debtor.customer_reference,
        name=debtor.name,
        address=debtor.address,
        postal_code=debtor.postal_code,
        city=debtor.city,
        language=debtor.language,
        country=debtor.country,
        email=debtor.email,
        phone=debtor.phone,
        birth_date=debtor.birth_date,
    )


def to_file_input(item: FileIn, *, idempotency_key: str | None = None) -> FileInput:
    return FileInput(
        creditor_reference=item.creditor_reference,
        debtor=to_debtor_input(item.debtor),
        claims=tuple(to_claim_input(claim) for claim in item.claims),
        idempotency_key=idempotency_key,
    )


def first_errors(errors: Sequence[FieldError], limit: int = 50) -> list[FieldError]:
    """At most ``limit`` errors: enough to fix a request, never a response of megabytes."""
    return list(errors[:limit])
