"""The letter queue: the one writer of letter requests, between the daily run and the letters.

The daily run queues the letters its strategies call for (:func:`queue_letters`, in one
statement per batch) and marks those it acted on; the letters batch reports what it produced
(:func:`record_letters_produced`) or refused (:func:`record_letter_refused`), and an agent
queues a refused letter again once its cause is corrected (:func:`requeue_letter`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone, translation

from amicable.domain.lifecycle import FileState
from amicable.files.bulk import copy_rows
from amicable.files.ledger import lock_files
from amicable.files.models import Claim, WorkItem, WorkItemKind
from amicable.files.services import date_first_reminders, undate_first_reminders
from amicable.files.timeline import EventKind, EventRow, record_event, record_events
from amicable.workflow.models import LetterRequest, LetterStatus, StepKind

__all__ = [
    "QueuedLetter",
    "mark_letters_applied",
    "queue_letters",
    "record_letter_refused",
    "record_letters_produced",
    "requeue_letter",
]


@dataclass(frozen=True, slots=True)
class QueuedLetter:
    """A letter to queue on a file."""

    file_id: int
    kind: str
    cycle: int
    step: int
    channel: str
    due_on: date
    charges_cost: bool = False
    data: dict[str, Any] = field(default_factory=dict)


_QUEUE_FIELDS = (
    "file_id",
    "kind",
    "cycle",
    "step",
    "channel",
    "due_on",
    "status",
    "requested_at",
    "requested_by",
    "run_id",
    "charges_cost",
    "data",
    "refused_reason",
)


def queue_letters(letters: Sequence[QueuedLetter], *, actor: str, run_id: int | None) -> None:
    """Queue ``letters`` (one statement), each requested now by ``actor``."""
    requested_at = timezone.now()
    copy_rows(
        LetterRequest,
        _QUEUE_FIELDS,
        (
            (
                x.file_id,
                x.kind,
                x.cycle,
                x.step,
                x.channel,
                x.due_on,
                LetterStatus.PENDING.value,
                requested_at,
                actor,
                run_id,
                x.charges_cost,
                x.data,
                "",
            )
            for x in letters
        ),
    )


def mark_letters_applied(request_ids: Sequence[int], *, on: date) -> None:
    """The run acted on these produced letters (a waiting period started, a cost decided)."""
    if request_ids:
        LetterRequest.objects.filter(pk__in=request_ids, applied_on__isnull=True).update(
            applied_on=on
        )


@transaction.atomic
def record_letters_produced(*, request_ids: Sequence[int], produced_on: date, actor: str) -> int:
    """Mark pending letters as produced (sent) on ``produced_on``; returns how many.

    The run acts on them the next day (the notice's waiting period, a reminder's cost). A first
    reminder sent later than the day the run counted moves its claims' 14-day period with it,
    and one that was refused and queued again gets its claims' dates now (CEL art. XIX.2: the
    period runs from the real sending day, never from an earlier one).
    """
    letters = list(
        LetterRequest.objects.filter(pk__in=request_ids, status=LetterStatus.PENDING).values_list(
            "pk", "file_id", "kind", "channel", "data"
        )
    )
    if not letters:
        return 0
    lock_files({file_id for _, file_id, _, _, _ in letters})
    updated = LetterRequest.objects.filter(
        pk__in=[pk for pk, *_ in letters], status=LetterStatus.PENDING
    ).update(status=LetterStatus.PRODUCED, produced_on=produced_on)
    firsts = [
        (file_id, channel, data)
        for _, file_id, kind, channel, data in letters
        if kind == StepKind.FIRST_REMINDER
    ]
    if firsts:
        _date_first_reminders(firsts, produced_on=produced_on, actor=actor)
    return updated


def _date_first_reminders(
    letters: list[tuple[int, str, Any]], *, produced_on: date, actor: str
) -> None:
    wanted = {
        (file_id, reference): channel
        for file_id, channel, data in letters
        for reference in (data or {}).get("claims", [])
    }
    candidates = Claim.objects.filter(
        file_id__in={file_id for file_id, _ in wanted},
        creditor_reference__in={reference for _, reference in wanted},
        file__state__in=[FileState.FIRST_REMINDER_PENDING, FileState.GRACE_PERIOD],
    ).values_list("pk", "file_id", "creditor_reference")
    by_channel: dict[str, list[int]] = defaultdict(list)
    reference_of: dict[int, tuple[int, str]] = {}
    for pk, file_id, reference in candidates:
        channel = wanted.get((file_id, reference))
        if channel is not None:
            by_channel[channel].append(pk)
            reference_of[pk] = (file_id, reference)
    moved: dict[int, list[str]] = defaultdict(list)
    for channel, claim_ids in by_channel.items():
        for pk in date_first_reminders(
            claim_ids, sent_on=produced_on, channel=channel, replace_earlier=True
        ):
            file_id, reference = reference_of[pk]
            moved[file_id].append(reference)
    record_events(
        EventRow(
            file_id,
            EventKind.FIRST_REMINDER_DATED,
            actor,
            f"First reminder sent on {produced_on.isoformat()}: its 14-day period counts from "
            "that day (CEL art. XIX.2).",
            {"claims": sorted(references), "sent_on": produced_on.isoformat()},
        )
        for file_id, references in moved.items()
    )


@transaction.atomic
def record_letter_refused(*, request_id: int, reason: str, actor: str, on: date) -> LetterRequest:
    """The letters batch refused a letter (a mandatory mention missing, a figure above a cap).

    The refusal goes on the timeline and into the agents' queue. A refused first reminder was
    never sent: its claims lose the sending day the run had given them, so that no period runs
    on a letter nobody received (CEL art. XIX.2).
    """
    letter = LetterRequest.objects.select_for_update().get(pk=request_id)
    if letter.status != LetterStatus.PENDING:
        return letter
    lock_files({letter.file_id})
    letter.status = LetterStatus.REFUSED
    letter.refused_reason = reason[:500]
    letter.save(update_fields=["status", "refused_reason"])
    if letter.kind == StepKind.FIRST_REMINDER:
        undate_first_reminders(
            file_id=letter.file_id,
            references=(letter.data or {}).get("claims", []),
            sent_on=letter.due_on,
        )
    record_event(
        letter.file,
        EventKind.LETTER_REFUSED,
        actor=actor,
        message=reason,
        data={"letter_request": letter.pk, "kind": letter.kind},
    )
    WorkItem.objects.create(
        kind=WorkItemKind.LETTER_REFUSED,
        file_id=letter.file_id,
        title=f"{_english(letter.get_kind_display)} refused: {reason}"[:200],
        due_on=on,
        data={"letter_request": letter.pk},
    )
    return letter


@transaction.atomic
def requeue_letter(*, request_id: int, due_on: date, actor: str) -> LetterRequest:
    """Queue a refused letter again, once an agent has corrected what made it fail."""
    letter = LetterRequest.objects.select_for_update().get(pk=request_id)
    if letter.status != LetterStatus.REFUSED:
        raise ValueError(f"Only a refused letter can be queued again, not a {letter.status} one.")
    letter.status = LetterStatus.PENDING
    letter.due_on = due_on
    letter.save(update_fields=["status", "due_on"])
    record_event(
        letter.file,
        EventKind.LETTER_REQUEUED,
        actor=actor,
        data={"letter_request": letter.pk, "kind": letter.kind, "due_on": due_on.isoformat()},
    )
    return letter


def _english(label: Callable[[], object]) -> str:
    """A choice's label in English: the notes and titles stored for the audit record are
    written in English whatever the language of the request that writes them."""
    with translation.override("en"):
        return str(label())
