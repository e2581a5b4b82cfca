"""The only door to a file's state: one file or a thousand, checked and written the same way.

Every move is checked against :data:`amicable.domain.lifecycle.ALLOWED_TRANSITIONS` before
anything is written, lands on the timeline, sets when the file entered its state, and keeps
what the file will need to resume (:func:`amicable.domain.resumption.state_to_remember`): the
daily run's batches, a bank statement closing files as paid, an agent's decision and a debtor's
dispute all go through :func:`apply_state_changes`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from amicable.domain.lifecycle import ALLOWED_TRANSITIONS, FileState, check_transition
from amicable.domain.resumption import (
    ClaimStage,
    reopen_state,
    resume_state,
    state_to_remember,
)
from amicable.files.ledger import lock_file
from amicable.files.models import File
from amicable.files.timeline import EventKind, EventRow, record_events

__all__ = [
    "CLOSE_CHUNK",
    "ConcurrentChange",
    "StateChange",
    "apply_state_changes",
    "change_file_state",
    "close_files_as_paid",
    "reopened_state",
    "resumption_for",
    "state_changed_event",
]

_CLOSED_STATES = frozenset({FileState.PAID, FileState.CLOSED})


class ConcurrentChange(Exception):
    """A file left the state it was read in while its lock was held: nothing is written."""


@dataclass(frozen=True, slots=True)
class StateChange:
    """One move of one file, as its writer read the file.

    ``remembered`` is the file's ``state_before_hold`` as read; ``on`` the day a move to PAID
    or CLOSED closes the file; ``fields`` other columns that change with the move.
    """

    file_id: int
    old: FileState
    new: FileState
    reason: str = ""
    on: date | None = None
    remembered: FileState | None = None
    fields: tuple[tuple[str, Any], ...] = ()


def _columns(change: StateChange, remembered: FileState | None) -> dict[str, Any]:
    columns: dict[str, Any] = dict(change.fields)
    columns["state"] = change.new.value
    columns["state_before_hold"] = remembered.value if remembered else ""
    if change.new in _CLOSED_STATES and change.on is not None:
        columns["closed_on"] = change.on
        columns["closed_reason"] = change.reason[:200]
    elif change.new not in _CLOSED_STATES and change.old in _CLOSED_STATES:
        # Reopened (a returned payment): the file is not closed any more.
        columns["closed_on"] = None
        columns["closed_reason"] = ""
    return columns


def state_changed_event(change: StateChange, *, actor: str) -> EventRow:
    """The timeline's record of one move."""
    return EventRow(
        change.file_id,
        EventKind.STATE_CHANGED,
        actor,
        change.reason,
        {"from": change.old.value, "to": change.new.value},
    )


def apply_state_changes(changes: Sequence[StateChange], *, actor: str, record: bool = True) -> None:
    """Write the moves of many files, each file's moves in their order.

    Each move is checked against the lifecycle table (``TransitionRefused`` writes nothing);
    the files' rows are updated with one statement per group of identical changes, on the
    condition that each file is still in the state it was read in (else ``ConcurrentChange``:
    the caller's transaction rolls back rather than write on a stale read); one
    ``state_changed`` event per move (unless ``record`` is false: a caller that keeps one
    ordered stream of events, such as the daily run, takes them from
    :func:`state_changed_event` and writes them with its own).
    """
    now = timezone.now()
    per_file: dict[int, tuple[FileState, dict[str, Any]]] = {}
    events: list[EventRow] = []
    remembered: dict[int, FileState | None] = {}
    current: dict[int, FileState] = {}
    for change in changes:
        old = current.get(change.file_id, change.old)
        if old != change.old:
            raise ConcurrentChange(
                f"File {change.file_id} is in state {old}, not {change.old}, for this move."
            )
        check_transition(change.old, change.new)
        keep = state_to_remember(
            leaving=change.old,
            entering=change.new,
            remembered=remembered.get(change.file_id, change.remembered),
        )
        remembered[change.file_id] = keep
        current[change.file_id] = change.new
        first_old, columns = per_file.get(change.file_id, (change.old, {}))
        columns.update(_columns(change, keep))
        columns["state_since"] = now
        per_file[change.file_id] = (first_old, columns)
        events.append(state_changed_event(change, actor=actor))
    groups: dict[tuple[FileState, tuple[tuple[str, Any], ...]], list[int]] = defaultdict(list)
    for file_id, (old, columns) in per_file.items():
        groups[(old, tuple(sorted(columns.items())))].append(file_id)
    for (old, columns_key), file_ids in groups.items():
        updated = File.objects.filter(pk__any_of=file_ids, state=old).update(
            **dict(columns_key), updated_at=now
        )
        if updated != len(file_ids):
            raise ConcurrentChange(
                f"{len(file_ids) - updated} file(s) left state {old} while being changed."
            )
    if record:
        record_events(events)


@transaction.atomic
def change_file_state(
    *,
    file: File,
    new_state: FileState,
    actor: str,
    reason: str = "",
    on: date | None = None,
    fields: Mapping[str, Any] | None = None,
) -> File:
    """Move one file to ``new_state`` (locked first); moving to the state it is in does
    nothing. Returns the file as written."""
    locked = lock_file(file.pk)
    if locked.file_state == new_state:
        return locked
    apply_state_changes(
        [
            StateChange(
                file_id=locked.pk,
                old=locked.file_state,
                new=FileState(new_state),
                reason=reason,
                on=on,
                remembered=locked.held_from,
                fields=tuple((fields or {}).items()),
            )
        ],
        actor=actor,
    )
    locked.refresh_from_db()
    return locked


def resumption_for(file: File, *, plan_running: bool, today: date) -> FileState:
    """Where ``file``, in a hold, goes when the hold is lifted (one rule for every path:
    :func:`amicable.domain.resumption.resume_state`)."""
    claims = [
        ClaimStage(
            first_reminder_sent=sent_on is not None,
            first_chargeable_day=first_chargeable_day,
        )
        for sent_on, first_chargeable_day in file.claims.values_list(
            "first_reminder_sent_on", "first_chargeable_day"
        )
    ]
    return resume_state(
        hold=file.file_state,
        before=file.held_from,
        claims=claims,
        plan_running=plan_running,
        today=today,
    )


def reopened_state(file: File) -> FileState:
    """Where a PAID file goes back to when a payment is returned."""
    return reopen_state(file.held_from)


#: Files updated at a time by :func:`close_files_as_paid`.
CLOSE_CHUNK = 5000


@transaction.atomic
def close_files_as_paid(paid_on: Mapping[int, date], *, actor: str, reason: str) -> list[int]:
    """Close as PAID the files that owe nothing any more (old Civil Code art. 1234), each on
    the day of its last payment: the tens of thousands a bank statement can pay in full.

    The files are locked in id order; one whose state may not move to PAID (the lifecycle table
    decides) is left as it is, as is one that is PAID already. Returns the ids closed.
    """
    ids = sorted(paid_on)
    closed: list[int] = []
    for start in range(0, len(ids), CLOSE_CHUNK):
        chunk = ids[start : start + CLOSE_CHUNK]
        rows = (
            File.objects.select_for_update()
            .filter(pk__any_of=chunk)
            .order_by("pk")
            .values_list("pk", "state", "state_before_hold")
        )
        changes = [
            StateChange(
                file_id=pk,
                old=FileState(state),
                new=FileState.PAID,
                reason=reason,
                on=paid_on[pk],
                remembered=FileState(before) if before else None,
            )
            for pk, state, before in rows
            if FileState.PAID in ALLOWED_TRANSITIONS[FileState(state)]
        ]
        apply_state_changes(changes, actor=actor)
        closed += [change.file_id for change in changes]
    return sorted(closed)
