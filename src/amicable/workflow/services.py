"""The daily run, and the writes the letters batch makes on the letter queue.

:func:`run_daily` visits every open file in batches of 2,500 ids (keyset pagination on the
id), one transaction per batch: load the batch with a few set-based queries
(``amicable.workflow.batch``), decide in memory (``amicable.workflow.planning``), write with a
few bulk statements. It is idempotent: every step is conditioned on what is already done (a
state, a letter already queued, an indemnity already charged, interest already booked through
the cutoff), and the letter queue has a unique constraint, so a second run on the same day
changes nothing and a run stopped half-way is completed by running it again.

Once its batches are done, the run verifies the hash chains of the books (``files.chain``):
every row written from the start of the last finished full run that found them whole to the
start of this one (the first run: every row before it), whatever its file, each file's first
one against the row before it; checked at the end, a row whose transaction was still open when
the run started has been committed by then. A run restricted to some files (an agent running
one file's steps now) checks those files' rows in each batch instead, and is no starting point
for the next run. Reading each file's whole history every day would cost more than the run
itself at a million files; the whole history is ``amicable verify-books``'s (weekly, README).
A broken row is counted (``broken_books``, the chains broken), listed in the result, and makes
``amicable run-daily`` end with an error, that day and every day after (a run that found a
break is not where the next one starts); so does a missing append-only trigger.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from amicable.domain.money import ZERO
from amicable.files.append_only import missing_triggers
from amicable.files.bulk import cyclic_gc_paused
from amicable.files.chain import Break, last_ids, verify
from amicable.files.models import (
    File,
)
from amicable.files.rates import rate_table
from amicable.workflow.batch import Batch, load_batch, scan_filter
from amicable.workflow.models import DailyRun, RunStatus
from amicable.workflow.planning import RunContext, interest_cutoff, plan_batch
from amicable.workflow.progress import Progress, Stream
from amicable.workflow.selectors import get_postage_table, get_strategy_book
from amicable.workflow.writer import write_plan

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "EXIT_AFTER_BATCHES_ENV",
    "RunResult",
    "run_daily",
]

#: Files per batch (one transaction). A batch pays about 25 statements whatever its size, each
#: costing the ORM about half a millisecond of the processor to build: at 2,500 files they cost
#: the heaviest day a tenth less than at 1,000, for 15 MB more memory and a batch's locks held
#: about 0.7 s instead of 0.3 (docs/decisions.md, 52; bench/README.md).
DEFAULT_BATCH_SIZE = 2500

#: Fault injection for the tests of an interrupted run: the process ends abruptly (no cleanup,
#: like a kill) after this many committed batches. Never set it in production.
EXIT_AFTER_BATCHES_ENV = "AMICABLE_DAILY_RUN_EXIT_AFTER_BATCHES"
INTERRUPTED_EXIT_STATUS = 75


@dataclass(slots=True)
class RunResult:
    run_date: date
    dry_run: bool
    files_total: int
    batches: int = 0
    seconds: float = 0.0
    run_id: int | None = None
    counts: Counter[str] = field(default_factory=Counter)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    #: The rows written since the last run that found the books whole that disagree with
    #: their hash chain (of the files asked for, when the run is restricted to some).
    breaks: list[Break] = field(default_factory=list)
    #: The append-only triggers missing from the database.
    missing_triggers: list[str] = field(default_factory=list)

    @property
    def files_done(self) -> int:
        return self.counts["files"]


def build_context(run_date: date) -> RunContext:
    rates = rate_table()
    return RunContext(
        run_date=run_date,
        strategies=get_strategy_book(),
        postage=get_postage_table(),
        rates=rates,
        interest_through=interest_cutoff(run_date),
    )


def run_daily(
    *,
    run_date: date,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    progress_stream: Stream | None = None,
    describe: Callable[[str], None] | None = None,
    only: Sequence[int] | None = None,
) -> RunResult:
    """Run the day's steps on every open file (see ``amicable.workflow.planning``).

    ``dry_run`` decides everything and writes nothing (each batch's transaction is rolled
    back); ``describe`` receives one line per action. Progress goes to ``progress_stream``
    (standard error by default). ``only`` restricts the run to these files (an agent running
    one file's steps now, say): they go in batches of their ids, through the same code.
    """
    if batch_size < 1:
        raise ValueError(f"The batch size must be 1 or more, not {batch_size}.")
    started = time.monotonic()
    context = build_context(run_date)
    scan = scan_filter(run_date)
    if only is not None:
        scan &= Q(pk__in=list(only))
    total = File.objects.filter(scan).count()
    result = RunResult(run_date=run_date, dry_run=dry_run, files_total=total)
    result.missing_triggers = missing_triggers(connection)
    # Where the last finished run that found the books whole started: the rows since are
    # verified. A run that found a break is no reference, so the break is told every day.
    verified_from: dict[str, int] = (
        DailyRun.objects.filter(status=RunStatus.FINISHED)
        .exclude(counts__has_key="broken_books")
        .exclude(books_from={})  # a run restricted to some files checked no other
        .order_by("-pk")
        .values_list("books_from", flat=True)
        .first()
    ) or {}
    amounts: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    run = None
    # The books as they were when the run started: the rows it verifies end there (what the
    # run writes itself is the next run's to verify), and the next run starts there.
    books_now = last_ids()
    if not dry_run:
        run = DailyRun.objects.create(
            run_date=run_date,
            batch_size=batch_size,
            files_total=total,
            books_from=books_now if only is None else {},
        )
        result.run_id = run.pk

    def found_broken(file_ids: Sequence[int] | None) -> None:
        breaks = verify(file_ids, after=verified_from, through=books_now)
        if breaks:
            result.breaks += breaks
            # Each file's chains, and the events of no file, each a chain of its own.
            result.counts["broken_books"] += len(
                {b.file_id for b in breaks if b.file_id is not None}
            ) + sum(1 for b in breaks if b.file_id is None)

    label = f"daily run {run_date.isoformat()}" + (" (dry run)" if dry_run else "")
    progress = Progress(total=total, label=label, stream=progress_stream or sys.stderr)
    exit_after = int(os.environ.get(EXIT_AFTER_BATCHES_ENV) or 0)

    def one_batch(batch: Batch, ids: Sequence[int]) -> set[int]:
        with cyclic_gc_paused(), transaction.atomic():
            files = load_batch(batch, run_date=run_date, lock=not dry_run)
            plan = plan_batch(context, files, describe=describe is not None)
            if only is not None:
                # The rows of these files written since the last run that found them whole
                # (read before a dry run's rollback is set: no query passes after it).
                found_broken([file.id for file in files])
            if dry_run:
                transaction.set_rollback(True)
            else:
                write_plan(plan, run_id=result.run_id, run_date=run_date)
            result.counts.update(plan.counts)
            for name, amount in plan.amounts.items():
                amounts[name] += amount
            result.amounts = dict(amounts)
            if run is not None:
                DailyRun.objects.filter(pk=run.pk).update(
                    files_done=result.files_done,
                    last_file_id=max(ids),
                    counts=_counts_json(result),
                )
            done = {file.id for file in files}
            lines = plan.lines
            # The batch's rows, books and plan are freed here, while the collector is paused:
            # alive when it resumes, they would all be walked by its next pass.
            del files, plan
        if describe is not None:
            for line in lines:
                describe(line)
        result.batches += 1
        progress.advance(len(done))
        if exit_after and result.batches >= exit_after:
            sys.stderr.flush()
            os._exit(INTERRUPTED_EXIT_STATUS)
        return done

    try:
        missed: list[int] = []
        last_id = 0
        while only is not None:
            ids = list(
                File.objects.filter(scan, pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            done = one_batch(Batch(ids=tuple(ids)), ids)
            last_id = ids[-1]
            missed.extend(i for i in ids if i not in done)
        while only is None:
            ids = list(
                File.objects.filter(scan, pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            done = one_batch(Batch(after=last_id, through=ids[-1]), ids)
            last_id = ids[-1]
            missed.extend(i for i in ids if i not in done)
        # A file another transaction held (an agent at work) gets a second chance at the end;
        # if it is still held, tomorrow's run does its steps.
        for start in range(0, len(missed), batch_size):
            chunk = missed[start : start + batch_size]
            done = one_batch(Batch(ids=tuple(chunk)), chunk)
            still = [i for i in chunk if i not in done]
            if still:
                result.counts["skipped_locked"] += File.objects.filter(scan, pk__in=still).count()
        if only is None:
            # Every row written since the last run that found the books whole, whatever its
            # file, in one pass by range of ids: the rows of the files the run visits and more,
            # at the cost of the rows written, not of a lookup per file visited.
            found_broken(None)
        progress.finish()
    except BaseException as error:
        if run is not None:
            DailyRun.objects.filter(pk=run.pk).update(
                status=RunStatus.FAILED, finished_at=timezone.now(), error=repr(error)[:2000]
            )
        raise
    result.seconds = time.monotonic() - started
    if run is not None:
        DailyRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FINISHED,
            finished_at=timezone.now(),
            files_done=result.files_done,
            counts=_counts_json(result),
        )
    return result


def _counts_json(result: RunResult) -> dict[str, Any]:
    return {
        **dict(sorted((+result.counts).items())),
        "amounts": {name: str(amount) for name, amount in sorted(result.amounts.items())},
    }
