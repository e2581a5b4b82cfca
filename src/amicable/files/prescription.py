"""The one writer of a claim's prescription clock (docs/legal.md, section 8).

The rule (when a claim is time-barred) is ``amicable.domain.prescription``; this module only
records the events that restart the clock and the day the daily run found a claim time-barred.
Set-based: a bank statement's payments restart the clocks of thousands of files in a handful of
statements, the same ones a single payment runs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from amicable.domain.calendar import add_working_days
from amicable.domain.prescription import SEEDED_PERIODS, Interruption, default_category
from amicable.files.lookups import ANY_OF_CHUNK
from amicable.files.models import Claim, ClaimCategory, Document, File, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind, record_event

__all__ = [
    "TIME_BARRED_REVIEW_WORKING_DAYS",
    "BarredClaims",
    "category_ids",
    "category_periods",
    "record_acknowledgement",
    "record_file_acknowledgement",
    "record_interruptions",
    "resolve_category",
    "stop_collecting",
]


def record_interruptions(events: Iterable[tuple[int, date]], *, cause: Interruption) -> int:
    """Restart the clock of every claim of these files on the day of the event (file id, day).

    A debtor who pays part of a file, asks for a plan on it or acknowledges it acknowledges the
    claims it lists (old Civil Code, docs/legal.md section 8). A claim keeps a later date it
    already has, and a claim already found time-barred is not revived: an agent decides on it
    (a payment of a prescribed debt is not repaid, but it does not make the rest enforceable).
    Returns the number of claims whose clock restarted.
    """
    latest: dict[int, date] = {}
    for file_id, day in events:
        if file_id not in latest or latest[file_id] < day:
            latest[file_id] = day
    by_day: defaultdict[date, list[int]] = defaultdict(list)
    for file_id, day in latest.items():
        by_day[day].append(file_id)
    changed = 0
    for day, file_ids in sorted(by_day.items()):
        # In chunks of one array parameter each (a statement pays 100,000 files at once).
        for start in range(0, len(file_ids), ANY_OF_CHUNK):
            changed += Claim.objects.filter(
                Q(prescription_interrupted_on__isnull=True)
                | Q(prescription_interrupted_on__lt=day),
                file_id__any_of=file_ids[start : start + ANY_OF_CHUNK],
                time_barred_on__isnull=True,
                due_date__lt=day,
            ).update(prescription_interrupted_on=day, prescription_interruption=cause.value)
    return changed


def record_acknowledgement(*, claims: Sequence[Claim], on: date, evidence: str = "") -> int:
    """An agent records the debtor's written acknowledgement of these claims, dated ``on``
    (docs/legal.md, section 8: it interrupts the prescription). Unlike the automatic events
    above, it also clears the time-bar the daily run had found: the agent has read the
    document, and the next run decides again from the dates (``amicable.domain.prescription``).
    An acknowledgement written after the period ended renounces the prescription only if it
    says so expressly: the agent records it only then. ``evidence`` names the document it
    rests on."""
    return Claim.objects.filter(pk__any_of=[c.pk for c in claims], due_date__lt=on).update(
        prescription_interrupted_on=on,
        prescription_interruption=Interruption.ACKNOWLEDGEMENT.value,
        prescription_evidence=evidence[:200],
        time_barred_on=None,
    )


def record_file_acknowledgement(*, file: File, document: Document, on: date, actor: str) -> int:
    """An agent records that the debtor acknowledged the debt of ``file`` in writing on ``on``,
    in ``document`` (docs/legal.md, section 8). A letter of acknowledgement names the whole
    debt, so every claim of the file due before that day restarts its clock; the event says
    who recorded it, on which document, and which claims. A claim whose clock already restarted
    later (a payment after the letter) keeps that later date: an older letter recorded late must
    not move the clock back. Returns the number of claims."""
    claims = list(
        file.claims.filter(
            Q(prescription_interrupted_on__isnull=True) | Q(prescription_interrupted_on__lte=on),
            due_date__lt=on,
        ).order_by("due_date", "id")
    )
    # The document by its number only: an uploaded file's name may carry personal data, which
    # the erasure of a debtor's data would not find in a claim or an event's message.
    evidence = f"document {document.pk}"
    with transaction.atomic():
        changed = record_acknowledgement(claims=claims, on=on, evidence=evidence)
        record_event(
            file,
            EventKind.DEBT_ACKNOWLEDGED,
            actor=actor,
            message=f"Acknowledged in writing on {on.isoformat()} (document {document.pk})",
            data={
                "on": on.isoformat(),
                "document_id": document.pk,
                "claims": [c.creditor_reference for c in claims],
            },
        )
    return changed


#: An agent looks at a claim found time-barred within five working days (agency policy: the
#: file is held meanwhile, so the wait costs the debtor nothing).
TIME_BARRED_REVIEW_WORKING_DAYS = 5


@dataclass(frozen=True, slots=True)
class BarredClaims:
    """The claims of one file found time-barred on one day."""

    file_id: int
    file_reference: str
    claim_ids: tuple[int, ...]
    claim_references: tuple[str, ...]


def stop_collecting(found: Sequence[BarredClaims], *, on: date) -> int:
    """Record the claims found time-barred on ``on`` and open one work item per file.

    Two statements whatever the number of files (the daily run's batch path, which is also the
    one-file path). Returns the number of claims marked.
    """
    if not found:
        return 0
    ids = [pk for item in found for pk in item.claim_ids]
    marked = Claim.objects.filter(pk__any_of=ids, time_barred_on__isnull=True).update(
        time_barred_on=on
    )
    due_on = add_working_days(on, TIME_BARRED_REVIEW_WORKING_DAYS)
    WorkItem.objects.bulk_create(
        WorkItem(
            kind=WorkItemKind.TIME_BARRED,
            file_id=item.file_id,
            title=f"{item.file_reference}: time-barred ({', '.join(item.claim_references)})"[:200],
            due_on=due_on,
            data={
                "claim_ids": list(item.claim_ids),
                "claims": list(item.claim_references),
                "found_on": on.isoformat(),
            },
        )
        for item in found
    )
    return marked


def category_ids() -> dict[str, int]:
    """Every category's id by its code, the seeded ones created if missing (a table of a handful
    of rows, read once per call): a database emptied of its migration data (a flushed test
    database, a restore of the tables alone) still gives every claim its category."""
    known = dict(ClaimCategory.objects.values_list("code", "id"))
    missing = [c for c in SEEDED_PERIODS if c.code not in known]
    if missing:
        ClaimCategory.objects.bulk_create(
            [
                ClaimCategory(
                    code=c.code,
                    name=c.name,
                    period_months=c.period_months,
                    legal_basis=c.legal_basis,
                )
                for c in missing
            ],
            ignore_conflicts=True,
        )
        known = dict(ClaimCategory.objects.values_list("code", "id"))
    return known


def category_periods() -> dict[str, int]:
    """Every category's period in months by its code: the seeded periods, as the table has
    them (an administrator may have corrected one) or as shipped if the table lacks them."""
    seeded = {c.code: c.period_months for c in SEEDED_PERIODS}
    return seeded | dict(ClaimCategory.objects.values_list("code", "period_months"))


def resolve_category(code: str | None, *, sector: str, known: Mapping[str, int]) -> int | None:
    """The id of the category named, or of the creditor's sector's default one."""
    return known.get(code or default_category(sector))
