"""The daily run on a million open files, against one plain UPDATE of the same rows.

Creates a fresh PostgreSQL database, migrates it, loads 1,000,000 open files (1,200,000 claims,
their ledger, letters and timeline) with COPY, spread over every state, then runs the real
command, ``amicable run-daily``, in a child process, on Monday 30 June 2025: the last working
day of the month, so the run books a month of interest on every chargeable claim (the heaviest
day of the month). Then it runs the same day again (idempotent: nothing to do, the cost of the
scan alone).

The floor is one ``UPDATE files_file SET updated_at = now()`` over the rows the run visits, in
a transaction rolled back: what touching those rows costs with no logic at all. The ratio says
how far the run is from it.

Run: ``.venv/bin/python bench/daily.py [--files N] [--server URL] [--header]``.
Prints one markdown table row (``--header`` prints the table header first); the run's progress
goes to standard error. Needs a PostgreSQL server (default postgres://postgres@127.0.0.1:5432);
the database ``amicable_bench_daily`` is dropped and created again.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import psycopg

REPOSITORY = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPOSITORY))
from bench.backend_cpu import BackendCPU  # noqa: E402 (after the path is set)

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = os.environ.get("BENCH_DATABASE", "amicable_bench_daily")
RUN_DATE = date(2025, 6, 30)

HEADER = (
    "| date | machine | open files | claims | files visited | run s (command s) | files/s "
    "| CPU s | files per CPU s | peak RSS MiB | second run s | floor s (one UPDATE) "
    "| run/floor |\n"
    "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
)

# Where the files stand on 30 June 2025, by i % 100 (what the run then does, in brackets).
STATES: list[tuple[range, str]] = [
    (range(0, 10), "first_reminder_pending"),  # [first reminder, -> grace period]
    (range(10, 20), "grace_running"),  # [nothing]
    (range(20, 30), "grace_over"),  # [-> formal notice, indemnity, notice, interest]
    (range(30, 35), "notice_due"),  # [indemnity, notice, interest]
    (range(35, 40), "notice_sent"),  # [-> waiting period, interest]
    (range(40, 45), "waiting_running"),  # [interest]
    (range(45, 50), "waiting_over"),  # [-> in collection, interest]
    (range(50, 80), "in_collection"),  # [interest; a third: a follow-up; a third: its cost]
    (range(80, 85), "payment_plan"),  # [interest]
    (range(85, 90), "paid"),  # [-> paid]
    (range(90, 92), "suspension_over"),  # [-> formal notice, new notice, interest]
    (range(92, 94), "suspended"),  # [nothing]
    (range(94, 97), "disputed"),  # [nothing]
    (range(97, 99), "debt_mediation"),  # [nothing]
    (range(99, 100), "collective_settlement"),  # [nothing]
]
KIND_OF = [name for span, name in STATES for _ in span]
STORED_STATE = {
    "grace_running": "grace_period",
    "grace_over": "grace_period",
    "notice_due": "formal_notice",
    "notice_sent": "formal_notice",
    "waiting_running": "waiting_period",
    "waiting_over": "waiting_period",
    "paid": "in_collection",
    "suspension_over": "suspended",
}
# The first reminder of each kind of file: (day, channel), None when the agency must send it.
FIRST_REMINDER = {
    "first_reminder_pending": None,
    "grace_running": (date(2025, 6, 25), "electronic"),
    "grace_over": (date(2025, 6, 2), "electronic"),
    "notice_due": (date(2025, 6, 2), "paper"),
    "notice_sent": (date(2025, 5, 26), "electronic"),
}
LATER_REMINDER = (date(2025, 3, 3), "paper")
NOTICE_SENT = {  # the formal notice, on paper
    "notice_sent": date(2025, 6, 27),
    "waiting_running": date(2025, 6, 20),
    "waiting_over": date(2025, 6, 2),
}
OLD_NOTICE = date(2025, 4, 14)
PAID_ON = date(2025, 6, 10)  # the day the files "paid in full" were paid
BOOKED_THROUGH = date(2025, 5, 30)  # last month's interest, booked by May's last run
CREATED_AT = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value).replace("\\", "\\\\")
    return str(value)


class Loader:
    """Rows for one table, sent with COPY in large chunks (parents' rows first: see load)."""

    def __init__(self, cursor: psycopg.Cursor[Any], table: str, columns: list[str]) -> None:
        self.cursor = cursor
        self.table = table
        self.columns = columns
        self.buffer = io.StringIO()
        self.pending = 0
        self.rows = 0

    def add(self, *values: Any) -> None:
        self.buffer.write("\t".join(map(text, values)))
        self.buffer.write("\n")
        self.pending += 1

    def flush(self) -> None:
        if not self.pending:
            return
        with self.cursor.copy(f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN") as copy:
            copy.write(self.buffer.getvalue())
        self.rows += self.pending
        self.buffer = io.StringIO()
        self.pending = 0


class ChainedLoader(Loader):
    """A loader of a chained table (ledger, allocations, events): each row gets its hash, in
    the order it is added, as the application's writers give it (``files.chain``)."""

    def __init__(self, cursor: psycopg.Cursor[Any], model: Any, fields: list[str]) -> None:
        from amicable.files.models import Event

        self.model = model
        self.names = [model._meta.get_field(name).attname for name in fields]
        self.extra = ["seal", "personal_digest", "chain_hash"] if model is Event else ["chain_hash"]
        columns = [model._meta.get_field(name).column for name in [*fields, *self.extra]]
        super().__init__(cursor, model._meta.db_table, columns)
        self.heads: dict[int, str] = {}

    def add(self, *values: Any) -> None:
        from amicable.files.chain import chain_row

        row = {"reverses_id": None, **dict(zip(self.names, values, strict=True))}
        self.heads[row["file_id"]] = chain_row(self.model, row, self.heads.get(row["file_id"], ""))
        super().add(*values, *(row[name] for name in self.extra))


def loader(cursor: psycopg.Cursor[Any], model: Any, fields: list[str]) -> Loader:
    from amicable.files.chain import CHAINED

    if model in CHAINED:
        return ChainedLoader(cursor, model, fields)
    columns = [model._meta.get_field(name).column for name in fields]
    return Loader(cursor, model._meta.db_table, columns)


def load(database_url: str, files: int) -> int:
    """Load ``files`` files into the migrated database; returns the number of claims."""
    from django.core.management.color import no_style
    from django.db import connection

    from amicable.domain import law
    from amicable.domain.interest import accrued_interest
    from amicable.domain.prescription import default_category
    from amicable.files.models import (
        Allocation,
        Claim,
        Creditor,
        Debtor,
        Event,
        File,
        LedgerEntry,
    )
    from amicable.files.numbers import file_reference, file_structured_communication
    from amicable.files.prescription import category_ids
    from amicable.workflow.models import LetterRequest

    @lru_cache(maxsize=1024)
    def grace_period(sent_on: date, channel: str) -> law.GracePeriod:
        return law.grace_period(sent_on, channel)

    creditors = Creditor.objects.bulk_create(
        Creditor(
            reference=f"bench-{n}",
            name=f"Bench Creditor {n} SA",
            enterprise_number="0403170701",
            address="Rue de la Loi 1",
            postal_code="1000",
            city="Bruxelles",
            phone="+32 2 000 00 00",
            email=f"creditor{n}@bench.example",
            remittance_iban="BE71096123456769",
            sector="energy",
        )
        for n in range(10)
    )
    # Energy claims, as the hand-over files them (CEL art. XIX, docs/legal.md, section 8).
    energy = category_ids()[default_category("energy")]

    @lru_cache(maxsize=4096)
    def allowed_indemnity(principal: Decimal) -> Decimal:
        clause = law.IndemnityClause(percent=Decimal("10"), minimum=Decimal("25.00"))
        return law.decide_indemnity(
            balance=principal, clause=clause, requested=None, contract_date=date(2024, 1, 10)
        ).allowed

    @lru_cache(maxsize=65536)
    def interest(principal: Decimal, start: date, end: date) -> Decimal:
        return accrued_interest(principal, start, end, Decimal("8.000"))

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        debtors = loader(
            cursor,
            Debtor,
            [
                "id",
                "creditor",
                "customer_reference",
                "name",
                "address",
                "postal_code",
                "city",
                "country",
                "language",
                "email",
                "phone",
                "over_indebtedness",
                "mediator_name",
                "mediator_organisation",
                "mediator_email",
                "mediator_phone",
                "created_at",
            ],
        )
        file_rows = loader(
            cursor,
            File,
            [
                "id",
                "reference",
                "number",
                "creditor",
                "debtor",
                "creditor_reference",
                "state",
                "structured_communication",
                "access_code_hash",
                "suspension_reason",
                "suspended_since",
                "suspended_until",
                "formal_notice_sent_on",
                "waiting_period_last_day",
                "opened_on",
                "closed_reason",
                "created_at",
                "updated_at",
                "state_since",
                "state_before_hold",
            ],
        )
        claim_rows = loader(
            cursor,
            Claim,
            [
                "id",
                "file",
                "creditor_reference",
                "description",
                "invoice_date",
                "due_date",
                "principal",
                "contract_date",
                "regular_supply",
                "indemnity_clause",
                "indemnity_percent",
                "indemnity_minimum",
                "requested_indemnity",
                "allowed_indemnity",
                "interest_clause",
                "interest_rate",
                "applied_interest_rate",
                "interest_applies",
                "reminder_cost_clause",
                "first_reminder_sent_on",
                "first_reminder_channel",
                "grace_last_day",
                "first_chargeable_day",
                "created_at",
                "category",
                "prescription_interruption",
                "prescription_evidence",
                "indemnity_reciprocity",
                "reciprocity_declared_by",
                "reciprocity_declared_at",
            ],
        )
        ledger_fields = [
            "id",
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
        ]
        entries = loader(cursor, LedgerEntry, ledger_fields)
        allocations = loader(
            cursor, Allocation, ["entry", "file", "claim", "component", "amount", "value_date"]
        )
        events = loader(
            cursor,
            Event,
            ["file", "kind", "at", "actor", "message", "data"],
        )
        letters = loader(
            cursor,
            LetterRequest,
            [
                "file",
                "kind",
                "cycle",
                "step",
                "channel",
                "due_on",
                "status",
                "requested_at",
                "requested_by",
                "charges_cost",
                "data",
                "produced_on",
                "refused_reason",
                "applied_on",
            ],
        )

        claim_id = 0
        entry_id = 0

        def entry(
            file_id: int,
            claim: int | None,
            kind: str,
            component: str,
            amount: Decimal,
            value_date: date,
            *,
            reference: str = "",
            period: tuple[date, date] | None = None,
        ) -> int:
            nonlocal entry_id
            entry_id += 1
            start, end = period or (None, None)
            entries.add(
                entry_id,
                file_id,
                claim,
                kind,
                component,
                amount,
                value_date,
                CREATED_AT,
                "intake" if component == "principal" else "daily_run",
                reference,
                "bench",
                "",
                start,
                end,
            )
            return entry_id

        def letter(
            file_id: int,
            kind: str,
            step: int,
            channel: str,
            on: date,
            *,
            applied: date | None,
            cost: bool = False,
        ) -> None:
            letters.add(
                file_id,
                kind,
                1,
                step,
                channel,
                on - timedelta(days=1),
                "produced",
                datetime(on.year, on.month, on.day, 6, 0, tzinfo=UTC) - timedelta(days=1),
                "daily-run",
                cost,
                {},
                on,
                "",
                applied,
            )

        tables = (debtors, file_rows, claim_rows, entries, allocations, events, letters)
        for i in range(1, files + 1):
            if i % 20_000 == 0:
                # In this order, so that every row's foreign keys already exist.
                for table in tables:
                    table.flush()
            kind = KIND_OF[i % 100]
            state = STORED_STATE.get(kind, kind)
            creditor = creditors[i % 10]
            has_email = i % 5 < 3
            debtors.add(
                i,
                creditor.pk,
                f"C{i}",
                f"Debtor {i}",
                "Rue Haute 12",
                "1000",
                "Bruxelles",
                "BE",
                "fr",
                f"d{i}@bench.example" if has_email else "",
                "",
                "none",
                "",
                "",
                "",
                "",
                CREATED_AT,
            )
            notice_sent = NOTICE_SENT.get(kind)
            if kind in ("in_collection", "payment_plan", "paid") or kind in (
                "suspension_over",
                "suspended",
                "disputed",
                "debt_mediation",
                "collective_settlement",
            ):
                notice_sent = OLD_NOTICE
            waiting_last_day = (
                grace_period(notice_sent, "paper").last_day
                if notice_sent and kind != "notice_sent"
                else None
            )
            suspended_until = {
                "suspension_over": date(2025, 6, 27),
                "suspended": date(2025, 7, 31),
            }.get(kind)
            file_rows.add(
                i,
                file_reference(i),
                i,
                creditor.pk,
                i,
                f"F{i}",
                state,
                file_structured_communication(i),
                "",
                "Documents requested" if suspended_until else "",
                date(2025, 6, 2) if suspended_until else None,
                suspended_until,
                notice_sent if kind != "notice_sent" else None,
                waiting_last_day,
                date(2025, 6, 20) if kind == "first_reminder_pending" else date(2025, 3, 1),
                "",
                CREATED_AT,
                CREATED_AT,
                datetime(2025, 6, 2, 9, 0, tzinfo=UTC) if suspended_until else CREATED_AT,
                "in_collection" if suspended_until else "",
            )
            events.add(i, "file_created", CREATED_AT, "bench", "", {"state": state})
            if suspended_until:
                events.add(
                    i,
                    "state_changed",
                    datetime(2025, 6, 2, 9, 0, tzinfo=UTC),
                    "agent",
                    "",
                    {"from": "in_collection", "to": "suspended"},
                )
            reminder = FIRST_REMINDER.get(kind, LATER_REMINDER)
            grace = grace_period(*reminder) if reminder else None
            chargeable = notice_sent is not None or kind == "notice_due"
            paid_total = Decimal("0.00")
            paid_parts: list[tuple[int, str, Decimal]] = []
            for n in range(2 if i % 5 == 0 else 1):
                claim_id += 1
                principal = Decimal("40.00") + Decimal(i % 997) * Decimal("1.50") + n
                allowed = allowed_indemnity(principal)
                claim_rows.add(
                    claim_id,
                    i,
                    f"INV-{i}-{n}",
                    "Electricity, yearly statement",
                    date(2025, 1, 15),
                    date(2025, 2, 14),
                    principal,
                    date(2024, 1, 10),
                    i % 3 == 0,
                    True,
                    Decimal("10"),
                    Decimal("25.00"),
                    allowed,
                    allowed,
                    True,
                    Decimal("8"),
                    Decimal("8.000"),
                    True,
                    True,
                    reminder[0] if reminder else None,
                    reminder[1] if reminder else "",
                    grace.last_day if grace else None,
                    grace.first_chargeable_day if grace else None,
                    CREATED_AT,
                    energy,
                    "",
                    "",
                    # Declared reciprocal at hand-over (CEL art. VI.83, 17°): the indemnity
                    # is charged, within the caps.
                    "reciprocal",
                    "bench",
                    CREATED_AT,
                )
                entry(i, claim_id, "charge", "principal", principal, date(2025, 2, 14))
                paid_parts.append((claim_id, "principal", principal))
                if chargeable and kind not in ("notice_due",) and grace is not None:
                    on = grace.first_chargeable_day
                    if allowed > 0:  # 0 when the clause is above the cap: deemed unwritten
                        entry(i, claim_id, "charge", "indemnity", allowed, on)
                        paid_parts.append((claim_id, "indemnity", allowed))
                    through = BOOKED_THROUGH if notice_sent == OLD_NOTICE else on
                    if kind == "paid":
                        # Paid in full: the interest is booked to the day before the payment
                        # (the day the principal stops bearing it), and the payment covers it.
                        through = PAID_ON - timedelta(days=1)
                    amount = interest(principal, on, through)
                    if amount > 0:
                        entry(
                            i,
                            claim_id,
                            "charge",
                            "interest",
                            amount,
                            through,
                            period=(on, through),
                        )
                        paid_parts.append((claim_id, "interest", amount))
            if kind == "paid":
                paid_total = sum((amount for _, _, amount in paid_parts), Decimal("0.00"))
                payment = entry(i, None, "payment", "", -paid_total, PAID_ON, reference=f"P{i}")
                for claim, component, amount in paid_parts:
                    allocations.add(payment, i, claim, component, amount, PAID_ON)
            if notice_sent is not None:
                letter(
                    i,
                    "formal_notice",
                    2,
                    "paper",
                    notice_sent,
                    applied=(None if kind == "notice_sent" else notice_sent + timedelta(days=1)),
                )
            if kind == "in_collection":
                third = i % 3
                if third >= 1:
                    channel = "electronic" if has_email else "paper"
                    on = date(2025, 6, 27) if third == 1 else date(2025, 5, 20)
                    applied = None if third == 1 else on + timedelta(days=1)
                    letter(i, "follow_up_reminder", 3, channel, on, applied=applied, cost=True)
                if third == 2:
                    letter(
                        i,
                        "follow_up_reminder",
                        4,
                        "paper",
                        date(2025, 6, 11),
                        applied=date(2025, 6, 12),
                        cost=True,
                    )
        for table in tables:
            table.flush()
        for statement in connection.ops.sequence_reset_sql(
            no_style(), [Debtor, File, Claim, LedgerEntry, Allocation, Event, LetterRequest]
        ):
            django_cursor.execute(statement)
        django_cursor.execute("ANALYZE")
    # Yesterday's run, finished with the books whole: today's run verifies what was written
    # since it started, as every day but the first after installation. As if that run and the
    # day had written the last row of each file in each chained table (a month-end run writes
    # about one entry and two events a file).
    from amicable.files.chain import last_ids
    from amicable.workflow.models import DailyRun, RunStatus

    DailyRun.objects.create(
        run_date=RUN_DATE - timedelta(days=1),
        batch_size=1000,
        status=RunStatus.FINISHED,
        books_from={name: max(0, last - files) for name, last in last_ids().items()},
    )
    return claim_id


def run_child(database_url: str, server: str) -> tuple[float, float, int, str]:
    """``amicable run-daily`` in a child process.

    Returns the wall seconds, the CPU seconds (the child and its database backend), the peak
    RSS of the child in KiB, and its output.
    """
    env = {**os.environ, "DATABASE_URL": database_url, "DATABASE_CONN_MAX_AGE": "0"}
    backend = BackendCPU(server, DATABASE)
    backend.start()
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "amicable", "run-daily", "--date", RUN_DATE.isoformat()],
        cwd=REPOSITORY,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    backend.done.set()
    backend.join()
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"run-daily failed with status {child.returncode}:\n{output}")
    cpu = usage.ru_utime + usage.ru_stime + backend.seconds
    own = usage.ru_utime + usage.ru_stime
    print(f"CPU: Python {own:.2f} s, PostgreSQL {backend.seconds:.2f} s", file=sys.stderr)
    return seconds, cpu, usage.ru_maxrss, output


def floor() -> float:
    """One UPDATE of the rows the run visits, rolled back (then vacuumed away)."""
    from django.db import connection, transaction

    from amicable.files.models import File
    from amicable.workflow.batch import scan_filter

    query = File.objects.filter(scan_filter(RUN_DATE))
    with transaction.atomic():
        started = time.perf_counter()
        query.update(updated_at=datetime.now(tz=UTC))
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE files_file")
    connection.close()
    return seconds


def timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL ({SERVER})")
    parser.add_argument("--header", action="store_true", help="print the table header first")
    options = parser.parse_args(argv)

    with psycopg.connect(f"{options.server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    database_url = f"{options.server}/{DATABASE}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    load_seconds, claims = timed(lambda: load(database_url, options.files))
    print(f"loaded {options.files} files, {claims} claims in {load_seconds:.0f}s", file=sys.stderr)

    floor_seconds = floor()
    run_seconds, run_cpu, peak_kib, output = run_child(database_url, options.server)
    print(output, file=sys.stderr)
    _, second_cpu, _, second_output = run_child(database_url, options.server)
    print(second_output, file=sys.stderr)

    # "Daily run #1 for 2025-06-30: 18400 of 18400 files in 20.8s (19 batches)."
    summary = output.splitlines()[0]
    visited = int(summary.split(" of ")[1].split(" files")[0])
    inside = float(summary.split(" files in ")[1].split("s (")[0])
    second_inside = float(second_output.splitlines()[0].split(" files in ")[1].split("s (")[0])
    load_average = os.getloadavg()[0]
    if options.header:
        print(HEADER)
    print(
        f"| {date.today().isoformat()} | {cpu_model()}, {os.cpu_count()} cores; "
        f"load average {load_average:.1f} | {options.files:,} | {claims:,} | {visited:,} "
        f"| {inside:.0f} ({run_seconds:.0f}) | {visited / inside:,.0f} | {run_cpu:.0f} "
        f"| {visited / run_cpu:,.0f} | {peak_kib / 1024:.0f} | {second_inside:.0f} "
        f"({second_cpu:.0f} CPU) | {floor_seconds:.1f} | {inside / floor_seconds:.0f} |"
    )


if __name__ == "__main__":
    main()
