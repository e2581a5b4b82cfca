"""Write a batch's plan through the one writer of each table, a few statements per batch.

The states through :func:`amicable.files.lifecycle.apply_state_changes`, the money through the
ledger's :class:`~amicable.files.ledger.LedgerWrites`, the events through the timeline, the
letters through the letter queue. Each writes its rows in one statement (a PostgreSQL ``COPY``
where it inserts), whatever the number of files in the batch. The claims' first reminders are
dated when the letter leaves (:mod:`amicable.letters.dispatch`), never here.
"""

from __future__ import annotations

from datetime import date

from amicable.files.lifecycle import apply_state_changes
from amicable.files.prescription import BarredClaims, stop_collecting
from amicable.plans.services import mark_plans_broken
from amicable.workflow.letter_queue import QueuedLetter, mark_letters_applied, queue_letters
from amicable.workflow.planning import ACTOR, BatchPlan

__all__ = ["write_plan"]


def write_plan(plan: BatchPlan, *, run_id: int | None, run_date: date) -> None:
    # States first: a letter's request time must not precede the state change it follows
    # (the planner compares them when it looks for the current formal notice).
    # The moves' events are in the batch's one stream of events, in the order things happened.
    apply_state_changes(plan.moves, actor=ACTOR, record=False)
    plan.money.flush(keys=False)
    stop_collecting(
        [
            BarredClaims(
                file_id=x.file_id,
                file_reference=x.reference,
                claim_ids=x.claim_ids,
                claim_references=x.claim_references,
            )
            for x in plan.time_barred
        ],
        on=run_date,
    )
    # After the batch's own events, so that the timeline orders the file's move back to
    # collection and the plan's end alike by time and by id.
    if plan.broken_plans:
        mark_plans_broken(plan.broken_plans, on=run_date, actor=ACTOR)
    queue_letters(
        [
            QueuedLetter(
                file_id=x.file_id,
                kind=x.kind,
                cycle=x.cycle,
                step=x.step,
                channel=x.channel,
                due_on=x.due_on,
                charges_cost=x.charges_cost,
                data=x.data,
            )
            for x in plan.letters
        ],
        actor=ACTOR,
        run_id=run_id,
    )
    mark_letters_applied(plan.applied_letter_ids, on=run_date)
