"""Writes for the consumer's stop buttons: a reasoned dispute, a request for documents, and the
declaration of a debt mediation or a collective debt settlement.

* :func:`open_dispute`: a reasoned dispute suspends collection **at once** (CEL art. XIX.7 §3):
  the file moves to ``disputed`` in the same transaction, through
  ``files.services.change_file_state``, so from that moment the ledger refuses every charge and
  the contact rules refuse every collection contact (``amicable.domain.lifecycle`` and
  ``amicable.domain.contact``). It stays so until an agent has checked the file or given the
  consumer the evidence; collection then resumes only with a new notice.
* :func:`request_documents`: the consumer gets the supporting documents of the debt without
  delay (CEL art. XIX.7 §3). Those the creditor already supplied are downloadable at once and
  the request is answered on the spot. For those still missing, the agency must obtain them
  from the creditor: the file is suspended (state ``suspended``, which the lifecycle table
  reserves for "supporting documents requested") until they are given, so that nothing is
  collected on a debt whose documents the consumer asked for and has not seen.

* :func:`declare_debt_mediation` and :func:`declare_collective_settlement`
  (docs/legal.md, section 5): every open file of the debtor is suspended, or frozen with its
  interest stopped at the admissibility date, and the mediator's contact is kept on the debtor.

Each lands in the agents' queue with the due date of :data:`DISPUTE_REVIEW_WORKING_DAYS`,
:data:`DOCUMENTS_WORKING_DAYS` or :data:`DECLARATION_WORKING_DAYS`, and on the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from amicable.disputes.documents import (
    SUPPORTING_KINDS,
    list_supporting_documents,
    store_debtor_upload,
)
from amicable.disputes.models import (
    Declaration,
    DeclarationKind,
    Dispute,
    DisputeReason,
    DocumentRequest,
    DocumentRequestStatus,
)
from amicable.domain.calendar import add_working_days
from amicable.domain.imputation import Component
from amicable.domain.lifecycle import (
    ALLOWED_TRANSITIONS,
    SUSPENDING_STATES,
    FileState,
    rules_for,
)
from amicable.files.ledger import lock_file
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Debtor,
    Document,
    DocumentKind,
    EntryKind,
    File,
    LedgerEntry,
    OverIndebtedness,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.timeline import EventKind, record_event
from amicable.files.uploads import CheckedUpload

__all__ = [
    "DECLARATION_WORKING_DAYS",
    "DISPUTE_REVIEW_WORKING_DAYS",
    "DOCUMENTS_WORKING_DAYS",
    "DisputeError",
    "MediatorContact",
    "declare_collective_settlement",
    "declare_debt_mediation",
    "open_dispute",
    "request_documents",
]

#: An agent reviews a dispute within ten working days (agency policy: the creditor's evidence
#: must often be obtained first). Collection stands still meanwhile, so the wait costs the
#: consumer nothing.
DISPUTE_REVIEW_WORKING_DAYS = 10
#: Missing supporting documents are obtained and given within two working days ("without
#: delay", CEL art. XIX.7 §3; agency policy).
DOCUMENTS_WORKING_DAYS = 2

MAX_EVIDENCE_FILES = 5


class DisputeError(Exception):
    """A request that cannot be recorded as asked (nothing was written)."""


def _may_move(state: FileState, target: FileState) -> bool:
    return target in ALLOWED_TRANSITIONS[state]


@transaction.atomic
def open_dispute(
    *,
    file: File,
    reason: DisputeReason,
    explanation: str,
    evidence: Sequence[tuple[CheckedUpload, str]],
    today: date,
    actor: str,
) -> Dispute:
    """Record a reasoned dispute with its evidence and suspend collection at once.

    ``evidence`` holds the checked uploads and the names the debtor gave them. The file moves
    to ``disputed`` unless collection already stands still for a reason the dispute must not
    erase (a debt mediation or a collective debt settlement, which also suspend), or the file
    is paid or closed; the dispute is recorded and reviewed in every case.
    """
    if not explanation.strip():
        raise DisputeError("A dispute states its reasons (CEL art. XIX.7 §3).")
    if len(evidence) > MAX_EVIDENCE_FILES:
        raise DisputeError(f"At most {MAX_EVIDENCE_FILES} documents per dispute.")
    file = lock_file(file.pk)
    state = file.file_state
    suspends = (
        state not in (FileState.DEBT_MEDIATION, FileState.COLLECTIVE_SETTLEMENT)
        and state != FileState.DISPUTED
        and _may_move(state, FileState.DISPUTED)
    )
    dispute = Dispute.objects.create(
        file=file,
        reason=reason,
        explanation=explanation.strip()[:5000],
        suspended_file=suspends,
        opened_on=today,
        opened_by=actor,
    )
    documents = [
        store_debtor_upload(
            file=file, upload=upload, original_name=name, kind=DocumentKind.DISPUTE_EVIDENCE
        )
        for upload, name in evidence
    ]
    dispute.evidence.set(documents)
    if suspends:
        change_file_state(
            file=file,
            new_state=FileState.DISPUTED,
            actor=actor,
            reason=f"Reasoned dispute {dispute.pk} ({reason}): collection suspended at once "
            "(CEL art. XIX.7 §3).",
        )
    WorkItem.objects.create(
        kind=WorkItemKind.DISPUTE,
        file=file,
        document=documents[0] if documents else None,
        title=f"{file.reference}: dispute ({reason})" + ("" if documents else ", no evidence sent"),
        due_on=add_working_days(today, DISPUTE_REVIEW_WORKING_DAYS),
        data={
            "dispute_id": dispute.pk,
            "reason": str(reason),
            "document_ids": [d.pk for d in documents],
            "suspended_file": suspends,
        },
    )
    record_event(
        file,
        EventKind.DISPUTE_OPENED,
        actor=actor,
        message=dispute.explanation,
        data={
            "dispute": dispute.pk,
            "reason": str(reason),
            "documents": [d.pk for d in documents],
            "state_before": state.value,
        },
    )
    return dispute


@transaction.atomic
def request_documents(
    *, file: File, kinds: Sequence[str], today: date, actor: str
) -> DocumentRequest:
    """Record a request for supporting documents; suspend the file while some are missing."""
    wanted = [k for k in SUPPORTING_KINDS if k in set(kinds)]
    if not wanted or len(wanted) != len(set(kinds)):
        raise DisputeError(f"Ask for one or more of {', '.join(SUPPORTING_KINDS)}.")
    file = lock_file(file.pk)
    supplied = set(list_supporting_documents(file).values_list("kind", flat=True))
    missing = [k for k in wanted if k not in supplied]
    state = file.file_state
    suspends = (
        bool(missing) and state not in SUSPENDING_STATES and _may_move(state, FileState.SUSPENDED)
    )
    request = DocumentRequest.objects.create(
        file=file,
        kinds=wanted,
        status=DocumentRequestStatus.OPEN if missing else DocumentRequestStatus.ANSWERED,
        suspended_file=suspends,
        requested_on=today,
        requested_by=actor,
        answered_on=None if missing else today,
    )
    if suspends:
        change_file_state(
            file=file,
            new_state=FileState.SUSPENDED,
            actor=actor,
            reason=f"Supporting documents requested ({', '.join(missing)}): collection "
            "suspended until they are given (CEL art. XIX.7 §3).",
        )
    item = WorkItem(
        kind=WorkItemKind.DOCUMENT_REQUEST,
        file=file,
        title=f"{file.reference}: documents requested ({', '.join(wanted)})",
        due_on=add_working_days(today, DOCUMENTS_WORKING_DAYS),
        data={"document_request_id": request.pk, "kinds": wanted, "missing": missing},
    )
    if not missing:
        # Answered on the spot from the documents on file: kept in the queue's history.
        item.status = WorkItemStatus.DONE
        item.closed_at = timezone.now()
        item.closed_by = actor
        item.outcome = "Answered at once: every document asked for was already downloadable."
    item.save()
    record_event(
        file,
        EventKind.DOCUMENTS_REQUESTED,
        actor=actor,
        data={"document_request": request.pk, "kinds": wanted, "missing": missing},
    )
    return request


# --- over-indebtedness (docs/journeys.md, journey 5; docs/legal.md, section 5) --------------------

#: An agent confirms a declaration within five working days (agency policy); for a collective
#: debt settlement this leaves most of the month in which the claim must be declared to the
#: mediator (Judicial Code art. 1675/9 §2).
DECLARATION_WORKING_DAYS = 5


@dataclass(frozen=True, slots=True)
class MediatorContact:
    name: str
    organisation: str = ""
    email: str = ""
    phone: str = ""


def _open_files_of(debtor_id: int) -> list[File]:
    """Every open file of the debtor, locked in primary-key order (no deadlock between two
    declarations)."""
    open_states = [s.value for s in FileState if rules_for(s).is_open]
    return list(
        File.objects.select_for_update()
        .filter(debtor_id=debtor_id, state__in=open_states)
        .order_by("pk")
    )


@transaction.atomic
def declare_debt_mediation(
    *, file: File, mediator: MediatorContact, today: date, actor: str
) -> Declaration:
    """The debtor turned to amicable debt mediation (CPAS/OCMW or a recognised service).

    Collection is suspended while the mediation runs (CEL Book XIX, Title 3;
    docs/legal.md, section 5): every open file of the debtor moves to ``debt_mediation``, except a
    file already disputed (its dispute is reviewed first) or in a collective debt settlement (the
    court's procedure prevails). From then on the agency deals with the mediator.
    """
    if not mediator.name.strip() or not (mediator.email or mediator.phone):
        raise DisputeError("A debt mediation needs the mediator's name and an e-mail or phone.")
    files = _open_files_of(file.debtor_id)
    declaration = _declaration(
        file, DeclarationKind.DEBT_MEDIATION, mediator, files, today=today, actor=actor
    )
    moved = []
    for each in files:
        if each.file_state in (
            FileState.DEBT_MEDIATION,
            FileState.COLLECTIVE_SETTLEMENT,
            FileState.DISPUTED,
        ):
            continue
        change_file_state(
            file=each,
            new_state=FileState.DEBT_MEDIATION,
            actor=actor,
            reason=f"Amicable debt mediation declared ({declaration.pk}): collection "
            "suspended (CEL Book XIX, Title 3).",
        )
        moved.append(each.reference)
    debtor = Debtor.objects.select_for_update().get(pk=file.debtor_id)
    if debtor.over_indebtedness != OverIndebtedness.COLLECTIVE_SETTLEMENT:
        debtor.over_indebtedness = OverIndebtedness.DEBT_MEDIATION
        _set_mediator(debtor, mediator)
        debtor.save(update_fields=[*_MEDIATOR_FIELDS, "over_indebtedness"])
    _queue_and_record(
        declaration,
        WorkItemKind.DEBT_MEDIATION,
        EventKind.DEBT_MEDIATION_DECLARED,
        files=files,
        moved=moved,
        today=today,
        actor=actor,
    )
    return declaration


@transaction.atomic
def declare_collective_settlement(
    *,
    file: File,
    admissibility_date: date,
    court_decision: tuple[CheckedUpload, str],
    court_reference: str,
    mediator: MediatorContact,
    today: date,
    actor: str,
) -> Declaration:
    """The debtor was admitted to a collective debt settlement (Judicial Code art. 1675/2 ff.).

    From the admissibility decision all enforcement is suspended and interest stops
    (art. 1675/7); the agency deals only with the court-appointed mediator. Every open file of
    the debtor moves to ``collective_settlement`` and its ``interest_stops_on`` is set to the
    admissibility date, which ``files.ledger.file_balance`` honours (no interest accrues from
    that day). The court's decision is stored for an agent to check; interest already booked
    for days from the admissibility date on is listed in the queue item, to be reduced.
    """
    if admissibility_date > today:
        raise DisputeError("The admissibility decision cannot be dated in the future.")
    if not mediator.name.strip():
        raise DisputeError("A collective debt settlement needs the mediator's name.")
    files = _open_files_of(file.debtor_id)
    upload, name = court_decision
    document = store_debtor_upload(
        file=file, upload=upload, original_name=name, kind=DocumentKind.COURT_DECISION
    )
    declaration = _declaration(
        file,
        DeclarationKind.COLLECTIVE_SETTLEMENT,
        mediator,
        files,
        today=today,
        actor=actor,
        admissibility_date=admissibility_date,
        court_reference=court_reference.strip()[:100],
        court_decision=document,
    )
    moved = []
    for each in files:
        if each.file_state != FileState.COLLECTIVE_SETTLEMENT:
            change_file_state(
                file=each,
                new_state=FileState.COLLECTIVE_SETTLEMENT,
                actor=actor,
                reason=f"Collective debt settlement admitted on {admissibility_date:%d/%m/%Y} "
                f"({declaration.pk}): frozen, interest stopped (Judicial Code art. 1675/7).",
            )
            moved.append(each.reference)
        stops_on = min(admissibility_date, each.interest_stops_on or admissibility_date)
        File.objects.filter(pk=each.pk).update(interest_stops_on=stops_on)
    debtor = Debtor.objects.select_for_update().get(pk=file.debtor_id)
    debtor.over_indebtedness = OverIndebtedness.COLLECTIVE_SETTLEMENT
    debtor.admissibility_date = admissibility_date
    _set_mediator(debtor, mediator)
    debtor.save(update_fields=[*_MEDIATOR_FIELDS, "over_indebtedness", "admissibility_date"])
    booked_after = sorted(
        set(
            LedgerEntry.objects.filter(
                file__in=files,
                kind=EntryKind.CHARGE,
                component=Component.INTEREST,
                period_end__gte=admissibility_date,
                reversed_by=None,
            ).values_list("file__reference", flat=True)
        )
    )
    _queue_and_record(
        declaration,
        WorkItemKind.COLLECTIVE_SETTLEMENT,
        EventKind.COLLECTIVE_SETTLEMENT_DECLARED,
        files=files,
        moved=moved,
        today=today,
        actor=actor,
        document=document,
        extra={
            "admissibility_date": admissibility_date.isoformat(),
            "interest_booked_after_admissibility": booked_after,
        },
    )
    return declaration


_MEDIATOR_FIELDS = ("mediator_name", "mediator_organisation", "mediator_email", "mediator_phone")


def _set_mediator(debtor: Debtor, mediator: MediatorContact) -> None:
    debtor.mediator_name = mediator.name.strip()[:200]
    debtor.mediator_organisation = mediator.organisation.strip()[:200]
    debtor.mediator_email = mediator.email.strip()
    debtor.mediator_phone = mediator.phone.strip()[:40]


def _declaration(
    file: File,
    kind: DeclarationKind,
    mediator: MediatorContact,
    files: list[File],
    *,
    today: date,
    actor: str,
    admissibility_date: date | None = None,
    court_reference: str = "",
    court_decision: Document | None = None,
) -> Declaration:
    declaration = Declaration.objects.create(
        debtor_id=file.debtor_id,
        kind=kind,
        mediator_name=mediator.name.strip()[:200],
        mediator_organisation=mediator.organisation.strip()[:200],
        mediator_email=mediator.email.strip(),
        mediator_phone=mediator.phone.strip()[:40],
        admissibility_date=admissibility_date,
        court_reference=court_reference,
        court_decision=court_decision,
        declared_on=today,
        declared_by=actor,
    )
    declaration.files.set(files)
    return declaration


def _queue_and_record(
    declaration: Declaration,
    kind: WorkItemKind,
    event: EventKind,
    *,
    files: list[File],
    moved: list[str],
    today: date,
    actor: str,
    document: Document | None = None,
    extra: dict[str, object] | None = None,
) -> None:
    references = [f.reference for f in files]
    data: dict[str, object] = {
        "declaration_id": declaration.pk,
        "files": references,
        "moved": moved,
        "mediator": {
            "name": declaration.mediator_name,
            "organisation": declaration.mediator_organisation,
            "email": declaration.mediator_email,
            "phone": declaration.mediator_phone,
        },
        **(extra or {}),
    }
    WorkItem.objects.create(
        kind=kind,
        file=files[0] if files else None,
        document=document,
        title=f"{declaration.get_kind_display()}: {', '.join(references) or 'no open file'}",
        due_on=add_working_days(today, DECLARATION_WORKING_DAYS),
        data=data,
    )
    for each in files:
        record_event(
            each,
            event,
            actor=actor,
            message=f"Mediator: {declaration.mediator_name}",
            data={"declaration": declaration.pk, **(extra or {})},
        )
