"""The debtor declares an amicable debt mediation or a collective debt settlement
(docs/journeys.md, journey 5; docs/legal.md, section 5).

Every open file of the debtor is suspended (:func:`declare_debt_mediation`) or frozen with its
interest stopped at the admissibility date (:func:`declare_collective_settlement`), and the
mediator's contact is kept on the debtor: from then on the agency deals with the mediator. Each
declaration lands in the agents' queue, due in :data:`DECLARATION_WORKING_DAYS` working days,
and on the timeline of every file it concerns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import translation

from amicable.disputes.errors import DisputeError
from amicable.disputes.models import Declaration, DeclarationKind
from amicable.domain.calendar import add_working_days
from amicable.domain.lifecycle import FileState, rules_for
from amicable.domain.money import ZERO
from amicable.files import ledger
from amicable.files.documents import store_debtor_upload
from amicable.files.lifecycle import change_file_state
from amicable.files.models import (
    Debtor,
    Document,
    DocumentKind,
    File,
    OverIndebtedness,
    WorkItem,
    WorkItemKind,
)
from amicable.files.timeline import EventKind, record_event
from amicable.files.uploads import CheckedUpload

__all__ = [
    "DECLARATION_WORKING_DAYS",
    "MediatorContact",
    "declare_collective_settlement",
    "declare_debt_mediation",
]

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

    Collection is suspended while the mediation runs (CEL Book XIX, Title 3; docs/legal.md,
    section 5): every open file of the debtor moves to ``debt_mediation``, except a file already
    disputed (its dispute is reviewed first) or in a collective debt settlement (the court's
    procedure prevails). From then on the agency deals with the mediator.
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
    admissibility date: the ledger books the interest owed up to the day before (what is
    declared to the mediator) and takes back any booked for the days after
    (``files.ledger.stop_interest_at``); the queue item and the timeline say by how much. The
    court's decision is stored for an agent to check.
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
    corrected: dict[str, str] = {}
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
        entries = ledger.stop_interest_at(file=each, stops_on=stops_on, actor=actor)
        if entries:
            corrected[each.reference] = str(sum((e.amount for e in entries), ZERO))
    debtor = Debtor.objects.select_for_update().get(pk=file.debtor_id)
    debtor.over_indebtedness = OverIndebtedness.COLLECTIVE_SETTLEMENT
    debtor.admissibility_date = admissibility_date
    _set_mediator(debtor, mediator)
    debtor.save(update_fields=[*_MEDIATOR_FIELDS, "over_indebtedness", "admissibility_date"])
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
            # Per file, the interest booked (+) or taken back (-) to stop it at admissibility.
            "interest_to_admissibility": corrected,
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
        title=(
            f"{_english(declaration.get_kind_display)}: {', '.join(references) or 'no open file'}"
        ),
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


def _english(label: Callable[[], object]) -> str:
    """A choice's label in English: the notes and titles stored for the audit record are
    written in English whatever the language of the request that writes them."""
    with translation.override("en"):
        return str(label())
