"""The letter queue: the one writer of letter requests, between the daily run and the letters.

The daily run queues the letters its strategies call for (:func:`queue_letters`, in one
statement per batch) and marks those it acted on; the letters app reports what left
(:func:`record_letters_produced`, called only by :mod:`amicable.letters.dispatch` with the day
the letter was dispatched), what it refused (:func:`record_letter_refused`) and what an e-mail
could not deliver (:func:`record_letter_undelivered`: the letter goes again on paper), and an
agent queues a refused letter again once its cause is corrected (:func:`requeue_letter`).

A letter request counts as ``produced`` only once its letter left: a letter printed but not
yet handed to the post, or an e-mail still queued, starts no period and costs nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone, translation

from amicable.domain.law import Channel
from amicable.domain.lifecycle import FileState
from amicable.files.bulk import copy_rows
from amicable.files.ledger import lock_files
from amicable.files.lifecycle import StateChange, apply_state_changes
from amicable.files.models import Claim, File, WorkItem, WorkItemKind
from amicable.files.services import date_first_reminders, undate_first_reminders
from amicable.files.timeline import EventKind, EventRow, record_event, record_events
from amicable.workflow.models import LetterRequest, LetterStatus, StepKind

__all__ = [
    "QueuedLetter",
    "mark_letters_applied",
    "queue_letters",
    "record_letter_refused",
    "record_letter_undelivered",
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
    """Mark pending letters as dispatched on ``produced_on``; returns how many.

    ``produced_on`` is the day the letter left (the post batch's date, the day the e-mail
    server accepted it), as :mod:`amicable.letters.dispatch` recorded it. The run acts on them
    the next day (the notice's waiting period, a reminder's cost). A first reminder's claims
    get their sending day now, and their 14-day period counts from it (CEL art. XIX.2: the
    period runs from the real sending day, never from an earlier one; docs/legal.md, section 1).
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
    _start_grace_periods(set(moved), actor=actor)
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


def _start_grace_periods(file_ids: set[int], *, actor: str) -> None:
    """FIRST_REMINDER_PENDING -> GRACE_PERIOD for the files whose every claim now has its
    first reminder's sending day (CEL art. XIX.2), in one read and one write: the period runs
    from the dispatch, and the debtor's history says so from that day. (The daily run makes the
    same move for files whose claims were dated otherwise, on its next visit.)"""
    if not file_ids:
        return
    undated = Claim.objects.filter(file=OuterRef("pk"), first_reminder_sent_on__isnull=True)
    ready = (
        File.objects.filter(pk__any_of=sorted(file_ids), state=FileState.FIRST_REMINDER_PENDING)
        .filter(~Exists(undated))
        .annotate(last_day=Max("claims__grace_last_day"))
        .values_list("pk", "state_before_hold", "last_day")
    )
    apply_state_changes(
        [
            StateChange(
                file_id=file_id,
                old=FileState.FIRST_REMINDER_PENDING,
                new=FileState.GRACE_PERIOD,
                reason=f"First reminder sent; its 14-day period ends on {last_day.isoformat()} "
                "(CEL art. XIX.2).",
                remembered=FileState(before) if before else None,
            )
            for file_id, before, last_day in ready
        ],
        actor=actor,
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
            sent_on=letter.produced_on or letter.due_on,
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


_PAST_GRACE = sorted(
    {
        FileState.FORMAL_NOTICE,
        FileState.WAITING_PERIOD,
        FileState.IN_COLLECTION,
        FileState.PAYMENT_PLAN,
        FileState.PAID,
        FileState.CLOSED,
    }
)


@dataclass(frozen=True, slots=True)
class Undelivered:
    """What :func:`record_letter_undelivered` did: whether the letter goes again on paper, and
    whether the run had already counted from the e-mail (then an agent reviews the file)."""

    requeued: bool
    late: bool


@transaction.atomic
def record_letter_undelivered(*, request_id: int, on: date, actor: str) -> Undelivered:
    """The e-mail that carried this letter failed for good or bounced: it reached nobody.

    The request goes back to the queue on paper, due ``on``: the next post run produces and
    posts it, and its periods count from that dispatch (CEL art. XIX.2, XIX.7 §3; docs/legal.md,
    section 1). A first reminder's claims lose the sending day the e-mail gave them, so that no
    period runs on a letter nobody received. When the run already acted on the e-mail (the
    waiting period started, a cost charged, the 14 days counted as over), nothing is queued
    (``requeued`` False, ``late`` True): the caller hands the file to an agent, who reviews what
    the run did and sends the letter again.
    """
    letter = LetterRequest.objects.select_for_update().get(pk=request_id)
    if letter.status == LetterStatus.REFUSED:
        return Undelivered(requeued=False, late=False)
    lock_files({letter.file_id})
    was_sent_on = letter.produced_on or letter.due_on
    # The run already acted on it (a waiting period started, a cost charged), or the first
    # reminder's 14 days were counted as over and the run moved on (a hold remembers where it
    # was): sending it again now would not undo that, and the law may bar it (no step during a
    # waiting period). The caller hands the file to an agent.
    late = letter.applied_on is not None or (
        letter.kind == StepKind.FIRST_REMINDER
        and File.objects.filter(
            Q(state__in=_PAST_GRACE) | Q(state_before_hold__in=_PAST_GRACE), pk=letter.file_id
        ).exists()
    )
    if late:
        return Undelivered(requeued=False, late=True)
    if letter.kind == StepKind.FIRST_REMINDER:
        undated = undate_first_reminders(
            file_id=letter.file_id,
            references=(letter.data or {}).get("claims", []),
            sent_on=was_sent_on,
        )
        in_grace = File.objects.filter(pk=letter.file_id, state=FileState.GRACE_PERIOD)
        if undated and in_grace.exists():
            # The period the e-mail started never ran: the file waits for the paper one.
            apply_state_changes(
                [
                    StateChange(
                        file_id=letter.file_id,
                        old=FileState.GRACE_PERIOD,
                        new=FileState.FIRST_REMINDER_PENDING,
                        reason="The first reminder's e-mail did not reach the debtor: it "
                        "goes by post, and its 14-day period counts from that dispatch "
                        "(CEL art. XIX.2).",
                    )
                ],
                actor=actor,
            )
    letter.status = LetterStatus.PENDING
    letter.channel = Channel.PAPER.value
    letter.due_on = on
    letter.produced_on = None
    letter.save(update_fields=["status", "channel", "due_on", "produced_on"])
    return Undelivered(requeued=True, late=False)


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
