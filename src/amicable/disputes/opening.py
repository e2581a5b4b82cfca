"""The consumer's stop buttons on one file: a reasoned dispute and a request for documents.

* :func:`open_dispute`: a reasoned dispute suspends collection **at once** (CEL art. XIX.7 §3):
  the file moves to ``disputed`` in the same transaction, through
  ``files.lifecycle.change_file_state``, so from that moment the ledger refuses every charge and
  the contact rules refuse every collection contact (``amicable.domain.lifecycle`` and
  ``amicable.domain.contact``). It stays so until an agent has checked the file or given the
  consumer the evidence; collection then resumes with a new formal notice (or, before any
  notice, where the claims stand).
* :func:`request_documents`: the consumer gets the supporting documents of the debt without
  delay (CEL art. XIX.7 §3). Those the creditor already supplied are downloadable at once and
  the request is answered on the spot. For those still missing, the agency must obtain them
  from the creditor: the file is suspended (state ``suspended``, which the lifecycle table
  reserves for "supporting documents requested") until they are given, so that nothing is
  collected on a debt whose documents the consumer asked for and has not seen.

Each lands in the agents' queue with the due date of :data:`DISPUTE_REVIEW_WORKING_DAYS` or
:data:`DOCUMENTS_WORKING_DAYS`, and on the timeline. An agent then resolves the dispute
(:mod:`amicable.disputes.resolution`) or lifts the hold once the documents are given
(:mod:`amicable.disputes.holds`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from amicable.disputes.errors import DisputeError
from amicable.disputes.models import (
    Dispute,
    DisputeReason,
    DocumentRequest,
    DocumentRequestStatus,
)
from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import ALLOWED_TRANSITIONS, SUSPENDING_STATES, FileState
from amicable.files.documents import (
    SUPPORTING_KINDS,
    list_supporting_documents,
    store_debtor_upload,
)
from amicable.files.ledger import lock_file
from amicable.files.lifecycle import change_file_state
from amicable.files.models import DocumentKind, File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.timeline import EventKind, record_event
from amicable.files.uploads import CheckedUpload

__all__ = [
    "DISPUTE_REVIEW_WORKING_DAYS",
    "DOCUMENTS_WORKING_DAYS",
    "MAX_EVIDENCE_FILES",
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


def _may_move(state: FileState, target: FileState) -> bool:
    """Whether the lifecycle lets a file in ``state`` be held in ``target``."""
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
