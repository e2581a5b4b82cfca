"""Write a batch's plan: a handful of statements, whatever the number of files in it.

On PostgreSQL the new rows (events, ledger entries, letters) go in with COPY, which skips the
SQL text of a multi-row INSERT and the quoting of every value in Python; elsewhere (SQLite)
they go in with ``bulk_create``. Updates are grouped: one statement per kind of change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from psycopg import sql
from psycopg.types.json import Jsonb

from amicable.domain.lifecycle import FileState
from amicable.files.models import Claim, EntryKind, EntrySource, Event, File, LedgerEntry
from amicable.plans.services import mark_plans_broken
from amicable.workflow.models import LetterRequest
from amicable.workflow.planning import ACTOR, BatchPlan

__all__ = ["ConcurrentChange", "write_plan"]


class ConcurrentChange(Exception):
    """A file changed under a batch that holds its lock: the batch is rolled back."""


def write_plan(plan: BatchPlan, *, run_id: int | None, run_date: date) -> None:
    now = timezone.now()
    groups: dict[tuple[FileState, tuple[tuple[str, Any], ...]], list[int]] = defaultdict(list)
    for change in plan.changes.values():
        groups[(change.from_state, tuple(sorted(change.fields.items())))].append(change.file_id)
    for (from_state, fields), file_ids in groups.items():
        # Conditioned on the state read under the lock: a mismatch means the lock did not
        # hold, and the whole batch is rolled back rather than written on stale reads.
        updated = File.objects.filter(pk__in=file_ids, state=from_state).update(
            **dict(fields), updated_at=now
        )
        if updated != len(file_ids):
            raise ConcurrentChange(
                f"{len(file_ids) - updated} file(s) left state {from_state} during the batch."
            )
    for update in plan.claim_updates:
        Claim.objects.filter(pk__in=update.claim_ids, first_reminder_sent_on__isnull=True).update(
            **dict(update.fields)
        )
    # Events first: a letter's request time must not precede the state change it follows
    # (planning compares them when it looks for the current formal notice).
    _insert(
        Event,
        ("file", "kind", "at", "actor", "message", "data", "visible_to_debtor"),
        (
            (e.file_id, e.kind, now, ACTOR, e.message, e.data, e.visible_to_debtor)
            for e in plan.events
        ),
    )
    # After the batch's own events, so that the timeline orders the file's move back to
    # collection and the plan's end alike by time and by id.
    if plan.broken_plans:
        mark_plans_broken(plan.broken_plans, on=run_date, actor=ACTOR)
    _insert(
        LedgerEntry,
        (
            "file",
            "claim",
            "kind",
            "component",
            "amount",
            "value_date",
            "booked_at",
            "source",
            "source_reference",
            "actor",
            "note",
            "period_start",
            "period_end",
        ),
        (
            (
                e.file_id,
                e.claim_id,
                EntryKind.CHARGE.value,
                e.component,
                e.amount,
                e.value_date,
                now,
                EntrySource.DAILY_RUN.value,
                "",
                ACTOR,
                e.note,
                e.period_start,
                e.period_end,
            )
            for e in plan.entries
        ),
    )
    requested_at = timezone.now()
    _insert(
        LetterRequest,
        (
            "file",
            "kind",
            "cycle",
            "step",
            "channel",
            "due_on",
            "status",
            "requested_at",
            "requested_by",
            "run",
            "charges_cost",
            "data",
            "refused_reason",
        ),
        (
            (
                x.file_id,
                x.kind,
                x.cycle,
                x.step,
                x.channel,
                x.due_on,
                "pending",
                requested_at,
                ACTOR,
                run_id,
                x.charges_cost,
                x.data,
                "",
            )
            for x in plan.letters
        ),
    )
    if plan.applied_letter_ids:
        LetterRequest.objects.filter(
            pk__in=plan.applied_letter_ids, applied_on__isnull=True
        ).update(applied_on=run_date)


def _insert(model: type[Model], fields: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table."""
    meta = model._meta
    if connection.vendor == "postgresql":
        columns = [
            sql.Identifier(str(meta.get_field(name).column))  # type: ignore[union-attr]
            for name in fields
        ]
        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(meta.db_table), sql.SQL(", ").join(columns)
        )
        with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row([Jsonb(v) if isinstance(v, dict) else v for v in row])
        return
    names = [meta.get_field(name).attname for name in fields]  # type: ignore[union-attr]
    objects = [model(**dict(zip(names, row, strict=True))) for row in rows]
    if objects:
        # auto_now_add would overwrite the given time; the rows carry it already.
        model.objects.bulk_create(objects)  # type: ignore[attr-defined]
