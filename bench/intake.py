"""Bulk intake on PostgreSQL: claims per second through the batch API, the CSV import, and COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/amicable_bench .venv/bin/python bench/intake.py

The database named in DATABASE_URL is dropped, created and migrated first: never point it at a
database you want to keep. By default 50,000 files of 2 claims (100,000 claims) go

(a) through ``POST /api/v1/files/batch`` (the Django test client, in process, 1,000 files a
    call; the request bodies are encoded before the clock starts),
(b) through the CSV import (``amicable.intake.importer``, the code of ``amicable import-files``;
    the CSV is written before the clock starts),
(c) as the same rows (debtors, files, claims, principal ledger entries, file_created events)
    loaded with PostgreSQL COPY into the same tables: the floor, what the database alone costs.

Each path has its own creditor, so the three loads land side by side in the same tables.
``--profile api`` or ``--profile csv`` prints where the time goes (cProfile, top 30).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.machine import describe_machine  # noqa: E402 (after the path is set)

BATCH_FILES = 1000
DECIMALS = frozenset({"principal", "indemnity_percent", "indemnity_minimum", "interest_rate"})


@dataclass(frozen=True)
class Result:
    name: str
    claims: int
    seconds: float
    cpu_seconds: float  # this process plus its PostgreSQL backend

    @property
    def rate(self) -> float:
        return self.claims / self.seconds

    @property
    def cpu_rate(self) -> float:
        return self.claims / self.cpu_seconds


class Meter:
    """Wall time, and the CPU time of this process and of its PostgreSQL backend.

    On a shared machine the wall time depends on everything else that runs; the CPU time of
    the two processes that do the work does not, so both are reported.
    """

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (self.backend,) = cursor.fetchone()
        self.ticks = os.sysconf("SC_CLK_TCK")

    def _backend_cpu(self) -> float:
        fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime

    def __enter__(self) -> Meter:
        self.wall = time.perf_counter()
        self.python = time.process_time()
        self.cpu = self.python + self._backend_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            (backend,) = cursor.fetchone()
        if backend != self.backend:
            raise SystemExit("The database connection changed during the run.")
        self.wall_seconds = time.perf_counter() - self.wall
        self.cpu_seconds = time.process_time() + self._backend_cpu() - self.cpu
        self.python_seconds = time.process_time() - self.python


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--claims-per-file", type=int, default=2)
    parser.add_argument("--profile", choices=["api", "csv"], default=None)
    parser.add_argument(
        "--only", choices=["api", "csv", "copy"], action="append", help="run only these paths"
    )
    return parser.parse_args()


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("DATABASE_URL must name a PostgreSQL database.")
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name: {name!r}")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django
    from django.conf import settings

    django.setup()
    # DEBUG would keep every query in memory: a benchmark measures production behaviour.
    settings.DEBUG = False
    # One connection for the whole run, so that its backend's CPU time can be read.
    from django.db import connection

    connection.settings_dict["CONN_MAX_AGE"] = None
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


# --- data -------------------------------------------------------------------------------------

CLAIM_DATES = {
    "invoice_date": "2026-04-15",
    "due_date": "2026-05-15",
    "first_reminder_sent_on": "2026-06-01",
}


def _claim(file_no: int, claim_no: int) -> dict[str, Any]:
    return {
        "creditor_reference": f"INV-{file_no:07d}-{claim_no}",
        "description": "Électricité, facture de régularisation",
        **CLAIM_DATES,
        "principal": f"{100 + (file_no % 900)}.{claim_no:02d}",
        "contract_date": "2024-01-10",
        "regular_supply": True,
        "first_reminder_channel": "paper",
        "indemnity_percent": "10",
        "indemnity_minimum": "25.00",
        # Declared reciprocal (CEL art. VI.83, 17°), as a valid clause is: the indemnity is
        # then decided and capped, rather than refused before any arithmetic.
        "indemnity_reciprocity": "reciprocal",
        "interest_clause": True,
        "interest_rate": "8",
        "reminder_cost_clause": True,
    }


def _file(prefix: str, file_no: int, claims: int) -> dict[str, Any]:
    return {
        "creditor_reference": f"{prefix}-{file_no:07d}",
        "debtor": {
            "customer_reference": f"CUST-{file_no:07d}",
            "name": f"Marie Dupont {file_no}",
            "address": f"Rue Haute {file_no % 300 + 1}",
            "postal_code": str(1000 + file_no % 9000),
            "city": "Bruxelles",
            "language": ("fr", "nl", "de", "en")[file_no % 4],
            "email": f"client{file_no}@example.be",
        },
        "claims": [_claim(file_no, c) for c in range(claims)],
    }


def _files(prefix: str, count: int, claims: int) -> Iterator[dict[str, Any]]:
    for n in range(count):
        yield _file(prefix, n, claims)


def _creditor(reference: str) -> Any:
    from tests.factories import make_creditor

    return make_creditor(reference=reference)


def _measured(run: Callable[[], None], *, profile: bool) -> Meter:
    profiler = cProfile.Profile() if profile else None
    with Meter() as meter:
        if profiler is not None:
            profiler.enable()
        run()
        if profiler is not None:
            profiler.disable()
    backend = meter.cpu_seconds - meter.python_seconds
    print(f"CPU: Python {meter.python_seconds:.2f} s, PostgreSQL {backend:.2f} s", file=sys.stderr)
    if profiler is not None:
        if dump := os.environ.get("BENCH_PROFILE_DUMP"):
            profiler.dump_stats(dump)  # for pstats' callers and callees
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(30)
    return meter


# --- (a) the batch API --------------------------------------------------------------------------


def _client(reference: str) -> Any:
    from django.test import Client

    from amicable.intake.tokens import issue_token

    creditor = _creditor(reference)
    secret = issue_token(creditor=creditor, name="bench", actor="bench").secret
    return Client(headers={"Authorization": f"Bearer {secret}"})


def warm_up(claims: int) -> None:
    """A few files through each path first: imports, caches and the first queries are paid
    once per process, and the benchmark measures the steady state."""
    from amicable.intake.importer import import_files, read_sheet

    body = json.dumps({"files": list(_files("WARM", 20, claims))})
    response = _client("bench-warm-up").post(
        "/api/v1/files/batch", body, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    path = _write_csv("WARM", 20, claims)
    with path.open("rb") as stream:
        report = import_files(
            creditor=_creditor("bench-warm-up-csv"),
            rows=read_sheet(stream, name=path.name),
            actor="bench",
            today=date.today(),
        )
    path.unlink()
    assert report.ok, report.errors[:3]


def bench_api(files: int, claims: int, *, profile: bool) -> Result:
    client = _client("bench-api")
    documents = list(_files("API", files, claims))
    bodies = [
        json.dumps({"files": documents[i : i + BATCH_FILES]}).encode()
        for i in range(0, files, BATCH_FILES)
    ]
    created = 0

    def run() -> None:
        nonlocal created
        for body in bodies:
            response = client.post("/api/v1/files/batch", body, content_type="application/json")
            if response.status_code != 200:
                raise SystemExit(f"batch refused: {response.status_code} {response.content!r}")
            answer = response.json()
            if answer["rejected"]:
                raise SystemExit(f"items rejected: {answer['items'][:3]}")
            created += answer["created"]

    meter = _measured(run, profile=profile)
    assert created == files, created
    return Result(
        "batch API (POST /api/v1/files/batch, 1,000 files a call)",
        files * claims,
        meter.wall_seconds,
        meter.cpu_seconds,
    )


# --- (b) the CSV import -------------------------------------------------------------------------


def _write_csv(prefix: str, files: int, claims: int) -> Path:
    from amicable.intake.importer import COLUMNS

    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(COLUMNS)
        for document in _files(prefix, files, claims):
            debtor = document["debtor"]
            for claim in document["claims"]:
                row = {
                    "file_reference": document["creditor_reference"],
                    **{f"debtor_{k}": v for k, v in debtor.items()},
                    "debtor_reference": debtor["customer_reference"],
                    **claim,
                    "claim_reference": claim["creditor_reference"],
                }
                writer.writerow(["yes" if row.get(c) is True else row.get(c, "") for c in COLUMNS])
    return Path(handle.name)


def bench_csv(files: int, claims: int, *, profile: bool) -> Result:
    from amicable.intake.importer import import_files, read_sheet

    creditor = _creditor("bench-csv")
    path = _write_csv("CSV", files, claims)
    report: Any = None

    def run() -> None:
        nonlocal report
        with path.open("rb") as stream:
            report = import_files(
                creditor=creditor,
                rows=read_sheet(stream, name=path.name),
                actor="bench",
                today=date.today(),
            )

    meter = _measured(run, profile=profile)
    path.unlink()
    if report.errors:
        raise SystemExit(f"lines rejected: {report.errors[:3]}")
    assert report.claims_created == files * claims, report
    return Result(
        "CSV import (amicable import-files, 1,000 claims a transaction)",
        files * claims,
        meter.wall_seconds,
        meter.cpu_seconds,
    )


# --- (c) the floor: COPY ------------------------------------------------------------------------


def bench_copy(files: int, claims: int) -> Result:
    """The same rows, built beforehand, written with COPY in one transaction."""
    from django.db import connection, transaction
    from django.db.models import Max, Model
    from django.utils import timezone

    from amicable.files.access_codes import hash_access_code
    from amicable.files.models import (
        Claim,
        Debtor,
        EntryKind,
        EntrySource,
        Event,
        File,
        LedgerEntry,
    )
    from amicable.files.numbers import (
        allocate_file_numbers,
        file_reference,
        file_structured_communication,
    )

    creditor = _creditor("bench-copy")
    now = timezone.now()
    today = date.today()

    def next_id(model: type[Model]) -> int:
        return int(model._default_manager.aggregate(top=Max("id"))["top"] or 0) + 1

    debtor_id, file_id, claim_id = next_id(Debtor), next_id(File), next_id(Claim)
    entry_id, event_id = next_id(LedgerEntry), next_id(Event)
    debtors: list[Model] = []
    file_rows: list[Model] = []
    claim_rows: list[Model] = []
    entries: list[Model] = []
    events: list[Model] = []
    numbers = allocate_file_numbers(files)
    for document, number in zip(_files("COPY", files, claims), numbers, strict=True):
        d = document["debtor"]
        debtors.append(Debtor(id=debtor_id, creditor=creditor, created_at=now, **d))
        reference = file_reference(number)
        file_rows.append(
            File(
                id=file_id,
                reference=reference,
                number=number,
                creditor=creditor,
                debtor_id=debtor_id,
                creditor_reference=document["creditor_reference"],
                state="formal_notice",
                structured_communication=file_structured_communication(number),
                access_code_hash=hash_access_code(reference=reference, code="ABCD-EFGH"),
                opened_on=today,
                created_at=now,
                updated_at=now,
            )
        )
        for c in document["claims"]:
            fields = {
                k: Decimal(v) if k in DECIMALS else v for k, v in c.items() if k not in CLAIM_DATES
            }
            claim_rows.append(
                Claim(
                    id=claim_id,
                    file_id=file_id,
                    **fields,
                    **{k: date.fromisoformat(v) for k, v in CLAIM_DATES.items()},
                    indemnity_clause=True,
                    allowed_indemnity=Decimal("25.00"),
                    applied_interest_rate=Decimal("8"),
                    interest_applies=True,
                    grace_last_day=date(2026, 6, 18),
                    first_chargeable_day=date(2026, 6, 19),
                    created_at=now,
                )
            )
            entries.append(
                LedgerEntry(
                    id=entry_id,
                    file_id=file_id,
                    claim_id=claim_id,
                    kind=EntryKind.CHARGE,
                    component="principal",
                    amount=Decimal(c["principal"]),
                    value_date=date.fromisoformat(c["due_date"]),
                    booked_at=now,
                    source=EntrySource.INTAKE,
                    actor="bench",
                    note="principal",
                )
            )
            claim_id += 1
            entry_id += 1
        events.append(
            Event(
                id=event_id,
                file_id=file_id,
                kind="file_created",
                at=now,
                actor="bench",
                data={"state": "formal_notice", "claims": claims},
            )
        )
        debtor_id, file_id, event_id = debtor_id + 1, file_id + 1, event_id + 1

    tables = [
        (Debtor, debtors),
        (File, file_rows),
        (Claim, claim_rows),
        (LedgerEntry, entries),
        (Event, events),
    ]
    prepared = []
    for model, rows in tables:
        concrete = model._meta.concrete_fields
        columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in concrete)
        buffer = io.StringIO()
        for row in rows:
            values = []
            for f in concrete:
                value = f.get_db_prep_save(getattr(row, f.attname), connection)
                values.append(_copy_text(value))
            buffer.write("\t".join(values) + "\n")
        prepared.append((model._meta.db_table, columns, buffer.getvalue()))

    with Meter() as meter, transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        for table, columns, text in prepared:
            with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write(text)

    with connection.cursor() as cursor:
        for model, _ in tables:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT MAX(id) FROM {table}))"
            )
    return Result(
        "PostgreSQL COPY of the same rows (the floor)",
        files * claims,
        meter.wall_seconds,
        meter.cpu_seconds,
    )


def _copy_text(value: Any) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "obj"):  # psycopg's Jsonb wrapper
        value = json.dumps(value.obj)
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


# --- main -------------------------------------------------------------------------------------


def main() -> None:
    args = _parse()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amicable_bench")
    _recreate_database(url)
    _setup_django(url)
    only = set(args.only or ["api", "csv", "copy"])
    files, claims = args.files, args.claims_per_file
    print(f"machine: {describe_machine()}")
    print(f"load: {files:,} files x {claims} claims = {files * claims:,} claims per path\n")

    warm_up(claims)
    results = []
    if "api" in only:
        results.append(bench_api(files, claims, profile=args.profile == "api"))
        print(f"done: {results[-1].name}", file=sys.stderr)
    if "csv" in only:
        results.append(bench_csv(files, claims, profile=args.profile == "csv"))
        print(f"done: {results[-1].name}", file=sys.stderr)
    floor = None
    if "copy" in only:
        floor = bench_copy(files, claims)
        results.append(floor)

    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.2f} on {os.cpu_count()} cores\n")
    print("| path | claims | wall s | claims/s | CPU s | claims per CPU s | CPU vs COPY |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for result in results:
        ratio = f"{result.cpu_seconds / floor.cpu_seconds:.1f}x" if floor else "n/a"
        print(
            f"| {result.name} | {result.claims:,} | {result.seconds:.1f} | {result.rate:,.0f} | "
            f"{result.cpu_seconds:.1f} | {result.cpu_rate:,.0f} | {ratio} |"
        )


if __name__ == "__main__":
    main()
