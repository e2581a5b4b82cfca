"""Writes on files: intake (one or many at once), state changes, access codes.

Intake verifies each claim as CEL art. XIX.5-XIX.7 require before collection starts: the first
reminder and its grace period (XIX.2), the indemnity and interest asked against the contract
clause and the caps (XIX.4); what is above a cap is trimmed, and the trimming is on the
timeline with the rule that applied.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from amicable.domain import law
from amicable.domain.charges import last_day_with_rates
from amicable.domain.interest import RateTable
from amicable.domain.lifecycle import FileState
from amicable.domain.prescription import Interruption
from amicable.files import ledger
from amicable.files.access_codes import hash_access_code, new_access_code
from amicable.files.bulk import insert_rows
from amicable.files.models import (
    Claim,
    Creditor,
    Debtor,
    File,
)
from amicable.files.numbers import (
    allocate_file_numbers,
    file_reference,
    file_structured_communication,
)
from amicable.files.prescription import category_ids, resolve_category
from amicable.files.rates import rate_table
from amicable.files.timeline import EventKind, EventRow, record_event, record_events


@dataclass(frozen=True, slots=True)
class DebtorInput:
    customer_reference: str
    name: str
    address: str
    postal_code: str
    city: str
    language: str = "fr"
    country: str = "BE"
    email: str = ""
    phone: str = ""
    birth_date: date | None = None


@dataclass(frozen=True, slots=True)
class ClaimInput:
    creditor_reference: str
    description: str
    invoice_date: date
    due_date: date
    principal: Decimal
    contract_date: date | None = None
    regular_supply: bool = False
    first_reminder_sent_on: date | None = None
    first_reminder_channel: str | None = None
    indemnity_percent: Decimal | None = None
    indemnity_minimum: Decimal | None = None
    indemnity_fixed: Decimal | None = None
    requested_indemnity: Decimal | None = None
    interest_clause: bool = False
    interest_rate: Decimal | None = None
    reminder_cost_clause: bool = False
    # Prescription (docs/legal.md, section 8): the category's code (None: the creditor's
    # sector's default), and an interruption the creditor declares with its evidence.
    category: str | None = None
    prescription_interrupted_on: date | None = None
    prescription_evidence: str = ""
    # What the creditor declares of the damages clause (CEL art. VI.83, 17°).
    indemnity_reciprocity: str = law.Reciprocity.NOT_DECLARED.value

    @property
    def has_indemnity_clause(self) -> bool:
        """The general terms provide a damages clause (a percentage or a fixed amount)."""
        return self.indemnity_percent is not None or self.indemnity_fixed is not None


@dataclass(frozen=True, slots=True)
class FileInput:
    creditor_reference: str
    debtor: DebtorInput
    claims: tuple[ClaimInput, ...]
    idempotency_key: str | None = None


@dataclass(frozen=True, slots=True)
class CreatedFile:
    file: File
    created: bool
    access_code: str | None = None  # shown once, for the first letter; None when not created
    adjustments: tuple[str, ...] = field(default=())


# --- intake checks (pure, per claim) ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    grace: law.GracePeriod | None
    indemnity: law.ChargeDecision
    interest: law.RateDecision


def check_claim(claim: ClaimInput, *, today: date, rates: RateTable | None = None) -> ClaimCheck:
    """What the law lets this claim carry (docs/legal.md, sections 1 to 3)."""
    grace = None
    if claim.first_reminder_sent_on is not None and claim.first_reminder_channel:
        grace = law.grace_period(claim.first_reminder_sent_on, claim.first_reminder_channel)
    clause = (
        law.IndemnityClause(
            percent=claim.indemnity_percent,
            minimum=claim.indemnity_minimum,
            fixed=claim.indemnity_fixed,
        )
        if claim.has_indemnity_clause
        else None
    )
    indemnity = law.decide_indemnity(
        balance=claim.principal,
        clause=clause,
        requested=claim.requested_indemnity,
        contract_date=claim.contract_date,
    )
    rates = rates or rate_table()
    # The clause is judged against the cap in force on the first chargeable day, or on the last
    # day with a published rate when that day is later (the rate is not known yet).
    on = min(grace.first_chargeable_day if grace else today, last_day_with_rates(rates))
    interest = law.decide_interest_rate(
        contractual_rate=claim.interest_rate,
        has_clause=claim.interest_clause,
        contract_date=claim.contract_date,
        on=on,
        rates=rates,
    )
    return ClaimCheck(grace=grace, indemnity=indemnity, interest=interest)


def initial_state(checks: Sequence[ClaimCheck], *, today: date) -> FileState:
    """The least advanced claim sets where the file starts."""
    if any(c.grace is None for c in checks):
        return FileState.FIRST_REMINDER_PENDING
    if any(c.grace is not None and today <= c.grace.last_day for c in checks):
        return FileState.GRACE_PERIOD
    return FileState.FORMAL_NOTICE


# --- intake (set-based) -----------------------------------------------------------------------


def create_files(
    *,
    creditor: Creditor,
    inputs: Sequence[FileInput],
    actor: str,
    today: date,
    checks: Sequence[Sequence[ClaimCheck]] | None = None,
) -> list[CreatedFile]:
    """Create many files in one transaction, a few queries per batch (not per file).

    Idempotent: a file whose creditor reference (or idempotency key) already exists is returned
    as it is, not created again. ``checks``, when given, are the ``check_claim`` results of each
    input's claims, computed by a caller that validated them already (bulk intake), so they are
    not computed twice; they must be those of ``today`` and the rate table in force.
    """
    if checks is not None and [len(c) for c in checks] != [len(i.claims) for i in inputs]:
        raise ValueError("checks must hold one ClaimCheck per claim of each input")
    with transaction.atomic():
        return _create_files(
            creditor=creditor, inputs=inputs, actor=actor, today=today, precomputed=checks
        )


def _create_files(
    *,
    creditor: Creditor,
    inputs: Sequence[FileInput],
    actor: str,
    today: date,
    precomputed: Sequence[Sequence[ClaimCheck]] | None,
) -> list[CreatedFile]:
    references = [i.creditor_reference for i in inputs]
    keys = [i.idempotency_key for i in inputs if i.idempotency_key]
    existing_by_ref = {
        f.creditor_reference: f
        for f in File.objects.filter(creditor=creditor, creditor_reference__in=references)
    }
    existing_by_key = (
        {
            f.idempotency_key: f
            for f in File.objects.filter(creditor=creditor, idempotency_key__in=keys)
        }
        if keys
        else {}
    )
    results: dict[int, CreatedFile] = {}
    to_create: list[tuple[int, FileInput]] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(inputs):
        found = existing_by_ref.get(item.creditor_reference) or (
            existing_by_key.get(item.idempotency_key) if item.idempotency_key else None
        )
        if found is not None:
            results[index] = CreatedFile(file=found, created=False)
        elif item.creditor_reference in seen:
            results[index] = CreatedFile(file=File(), created=False)  # filled in below
        else:
            seen[item.creditor_reference] = index
            to_create.append((index, item))

    if to_create:
        debtors = _debtors_for(creditor, [item.debtor for _, item in to_create])
        numbers = allocate_file_numbers(len(to_create))
        if precomputed is not None:
            checks = {index: list(precomputed[index]) for index, _ in to_create}
        else:
            rates = rate_table()
            checks = {
                index: [check_claim(c, today=today, rates=rates) for c in item.claims]
                for index, item in to_create
            }
        files: list[File] = []
        codes: list[str] = []
        for (index, item), number in zip(to_create, numbers, strict=True):
            reference = file_reference(number)
            code = new_access_code()
            codes.append(code)
            files.append(
                File(
                    reference=reference,
                    number=number,
                    creditor=creditor,
                    debtor=debtors[item.debtor.customer_reference],
                    creditor_reference=item.creditor_reference,
                    idempotency_key=item.idempotency_key,
                    state=initial_state(checks[index], today=today),
                    structured_communication=file_structured_communication(number),
                    access_code_hash=hash_access_code(reference=reference, code=code),
                    opened_on=today,
                )
            )
        insert_rows(File, files)
        now = timezone.now()
        claims: list[Claim] = []
        categories = category_ids()
        for (index, item), file in zip(to_create, files, strict=True):
            for claim_input, check in zip(item.claims, checks[index], strict=True):
                claims.append(
                    claim_row(file, claim_input, check, actor=actor, now=now, categories=categories)
                )
        insert_rows(Claim, claims)
        # The files were created above, in this transaction: their chains start empty.
        ledger.charge_principals(claims, actor=actor, new_files=True)
        events: list[EventRow] = []
        for (index, item), file, code in zip(to_create, files, codes, strict=True):
            adjustments = adjustment_events(file, item, checks[index], actor=actor)
            events.append(
                EventRow(
                    file.pk,
                    EventKind.FILE_CREATED,
                    actor,
                    "",
                    {"state": file.state, "claims": len(item.claims)},
                )
            )
            events.extend(adjustments)
            results[index] = CreatedFile(
                file=file,
                created=True,
                access_code=code,
                adjustments=tuple(e.message for e in adjustments),
            )
        record_events(events, new_files=True)

    for index, item in enumerate(inputs):
        if results[index].file.pk is None:
            first = results[seen[item.creditor_reference]]
            results[index] = CreatedFile(file=first.file, created=False)
    return [results[i] for i in range(len(inputs))]


def _debtors_for(creditor: Creditor, inputs: Sequence[DebtorInput]) -> dict[str, Debtor]:
    wanted = {d.customer_reference: d for d in inputs}
    found = {
        d.customer_reference: d
        for d in Debtor.objects.filter(creditor=creditor, customer_reference__in=list(wanted))
    }
    missing = [
        Debtor(
            creditor=creditor,
            customer_reference=d.customer_reference,
            name=d.name,
            address=d.address,
            postal_code=d.postal_code,
            city=d.city,
            country=d.country,
            language=d.language,
            email=d.email,
            phone=d.phone,
            birth_date=d.birth_date,
        )
        for ref, d in wanted.items()
        if ref not in found
    ]
    if missing:
        # Another batch may create the same debtor at the same moment: keep theirs (its key,
        # and the values of the rows built here, which only a hand-over of the same debtor
        # gives). Only the keys are read back: the rows are built already.
        Debtor.objects.bulk_create(missing, ignore_conflicts=True)
        keys = dict(
            Debtor.objects.filter(
                creditor=creditor, customer_reference__in=[m.customer_reference for m in missing]
            ).values_list("customer_reference", "pk")
        )
        for debtor in missing:
            debtor.pk = keys[debtor.customer_reference]
            debtor._state.adding = False
            found[debtor.customer_reference] = debtor
    return found


def claim_row(
    file: File,
    item: ClaimInput,
    check: ClaimCheck,
    *,
    actor: str,
    now: datetime,
    categories: Mapping[str, int] | None = None,
) -> Claim:
    """The row of a new claim; ``categories`` (code -> id) read once by bulk callers."""
    known = category_ids() if categories is None else categories
    interrupted_on = item.prescription_interrupted_on
    # A declaration is recorded with who made it and when; "not declared" is no declaration.
    declared = item.has_indemnity_clause and item.indemnity_reciprocity != (
        law.Reciprocity.NOT_DECLARED
    )
    return Claim(
        file=file,
        category_id=resolve_category(item.category, sector=file.creditor.sector, known=known),
        prescription_interrupted_on=interrupted_on,
        prescription_interruption=(
            Interruption.DECLARED_AT_HANDOVER.value if interrupted_on else ""
        ),
        prescription_evidence=item.prescription_evidence[:200],
        creditor_reference=item.creditor_reference,
        description=item.description,
        invoice_date=item.invoice_date,
        due_date=item.due_date,
        principal=item.principal,
        contract_date=item.contract_date,
        regular_supply=item.regular_supply,
        indemnity_clause=item.has_indemnity_clause,
        indemnity_percent=item.indemnity_percent,
        indemnity_minimum=item.indemnity_minimum,
        indemnity_fixed=item.indemnity_fixed,
        requested_indemnity=check.indemnity.requested,
        allowed_indemnity=check.indemnity.allowed,
        indemnity_reciprocity=(
            item.indemnity_reciprocity if declared else law.Reciprocity.NOT_DECLARED.value
        ),
        reciprocity_declared_by=actor if declared else "",
        reciprocity_declared_at=now if declared else None,
        interest_clause=item.interest_clause,
        interest_rate=item.interest_rate,
        interest_applies=check.interest.applies,
        applied_interest_rate=check.interest.rate,
        reminder_cost_clause=item.reminder_cost_clause,
        first_reminder_sent_on=item.first_reminder_sent_on,
        first_reminder_channel=item.first_reminder_channel or "",
        grace_last_day=check.grace.last_day if check.grace else None,
        first_chargeable_day=check.grace.first_chargeable_day if check.grace else None,
    )


def adjustment_events(
    file: File, item: FileInput, checks: Sequence[ClaimCheck], *, actor: str
) -> list[EventRow]:
    events = []
    for claim_input, check in zip(item.claims, checks, strict=True):
        if check.indemnity.allowed < check.indemnity.requested:
            events.append(
                EventRow(
                    file_id=file.pk,
                    kind=EventKind.INDEMNITY_TRIMMED,
                    actor=actor,
                    message=check.indemnity.explanation[:500],
                    data={
                        "claim": claim_input.creditor_reference,
                        "requested": str(check.indemnity.requested),
                        "allowed": str(check.indemnity.allowed),
                        "rule": check.indemnity.rule,
                        "article": check.indemnity.article,
                    },
                )
            )
        refused = (
            law.reciprocity_refusal(claim_input.indemnity_reciprocity)
            if claim_input.has_indemnity_clause
            else None
        )
        if refused is not None:
            # Told to the creditor at hand-over: this clause will give no indemnity.
            events.append(
                EventRow(
                    file_id=file.pk,
                    kind=EventKind.RECIPROCITY_DECLARED,
                    actor=actor,
                    message=refused.message[:500],
                    data={
                        "claim": claim_input.creditor_reference,
                        "reciprocity": claim_input.indemnity_reciprocity,
                        "reason": refused.reason.value,
                        "article": refused.article,
                    },
                )
            )
        if claim_input.interest_clause and check.interest.rule not in {"within_cap"}:
            events.append(
                EventRow(
                    file_id=file.pk,
                    kind=EventKind.INTEREST_RATE_ADJUSTED,
                    actor=actor,
                    message=check.interest.explanation[:500],
                    data={
                        "claim": claim_input.creditor_reference,
                        "requested": str(claim_input.interest_rate),
                        "applied": str(check.interest.rate),
                        "rule": check.interest.rule,
                        "article": check.interest.article,
                    },
                )
            )
        if check.grace is None:
            events.append(
                EventRow(
                    file_id=file.pk,
                    kind=EventKind.FIRST_REMINDER_MISSING,
                    actor=actor,
                    message="No first reminder given: the agency sends the free first reminder "
                    "(CEL art. XIX.2) before anything else.",
                    data={"claim": claim_input.creditor_reference},
                )
            )
    return events


# --- state and access -------------------------------------------------------------------------


@transaction.atomic
def issue_access_code(*, file: File, actor: str) -> str:
    """A new personal access code for the portal (the previous one stops working).

    The code is returned once, to be printed on a letter; only its hash is kept.
    """
    code = new_access_code()
    File.objects.filter(pk=file.pk).update(
        access_code_hash=hash_access_code(reference=file.reference, code=code)
    )
    record_event(file, EventKind.ACCESS_CODE_ISSUED, actor=actor)
    return code


# --- first reminders --------------------------------------------------------------------------


def date_first_reminders(
    claim_ids: Sequence[int], *, sent_on: date, channel: str, replace_earlier: bool = False
) -> list[int]:
    """The free first reminder of these claims went out on ``sent_on`` by ``channel``: its
    14-day period (CEL art. XIX.2) counts from that day. Claims that have a sending day keep
    it, unless ``replace_earlier`` and theirs is earlier (a reminder queued, then sent later:
    the period runs from the real sending day, never from an earlier one). Returns the ids of
    the claims dated."""
    grace = law.grace_period(sent_on, channel)
    undated = Q(first_reminder_sent_on__isnull=True)
    if replace_earlier:
        undated |= Q(first_reminder_sent_on__lt=sent_on)
    claims = Claim.objects.filter(undated, pk__any_of=list(claim_ids))
    dated = list(claims.values_list("pk", flat=True))
    Claim.objects.filter(pk__any_of=dated).update(
        first_reminder_sent_on=sent_on,
        first_reminder_channel=channel,
        grace_last_day=grace.last_day,
        first_chargeable_day=grace.first_chargeable_day,
    )
    return dated


def undate_first_reminders(*, file_id: int, references: Sequence[str], sent_on: date) -> int:
    """A first reminder that was never sent (refused before it left): its claims lose the
    sending day they were given, so that no period runs on a letter nobody received."""
    return Claim.objects.filter(
        file_id=file_id, creditor_reference__in=list(references), first_reminder_sent_on=sent_on
    ).update(
        first_reminder_sent_on=None,
        first_reminder_channel="",
        grace_last_day=None,
        first_chargeable_day=None,
    )
