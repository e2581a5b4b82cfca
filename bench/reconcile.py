"""Statement import at scale on PostgreSQL: 100,000 incoming payments against 1,000,000 open files.

    .venv/bin/python bench/reconcile.py [--files 1000000] [--movements 100000]

The database postgres://postgres@127.0.0.1:5432/amicable_bench_reconcile (``--url``) is dropped,
created and migrated first: never point it at a database you want to keep. Then:

1. 1,000,000 open files are loaded with PostgreSQL COPY (one debtor, one claim and its principal
   ledger entry each; half of the claims bear interest at the civil legal rate, so that posting
   books interest to the value date first);
2. a CODA file and a camt.053 file of 100,000 incoming payments each are written (to bench/out/),
   each paying other files: 90 % with the structured communication of one of our files (60 %
   of those pay the principal, 35 % a part, 5 % the principal and 10.00 more), 5 % with the file
   reference or the printed OGM in the free text, 5 % from unknown payers with free text;
3. the matching alone (reads only, no posting) is timed on a CODA file of
   ``--reader-movements`` payments (100,000 by default), before the imports close the files
   they pay in full;
4. each file is imported by ``amicable.payments.statement_import.import_statement`` in a process of
   its own (so that its peak memory is its own): parse time, match-and-post time, movements per
   second, CPU seconds (the Python process and its PostgreSQL backend), peak RSS;
5. the CODA file of step 3 is read by our reader and by ``febelfin-coda`` (installed only in the
   benchmark venv bench/out/venv-oracle, created here if missing), each in its own process,
   best of three: our time / theirs.

Target: the whole import of one file under 60 s on this 2-core machine. ``--profile`` prints a
cProfile of the CODA import (top 30) instead of the child-process measurement.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amicable_bench_reconcile"
OUT = ROOT / "bench" / "out"
ORACLE_VENV = OUT / "venv-oracle"
BOOKED = date(2025, 5, 9)
SEED = 20250509
FIRST_NAMES = [
    "Marie",
    "Jan",
    "Sophie",
    "Pieter",
    "Lucas",
    "Emma",
    "Louis",
    "Julie",
    "Thomas",
    "Laura",
    "Noah",
    "Sarah",
    "Arthur",
    "Lisa",
    "Victor",
    "Anna",
    "Jules",
    "Eva",
    "Adam",
    "Nina",
    "Hugo",
    "Elise",
    "Simon",
    "Clara",
    "Maxime",
    "Lotte",
    "Wout",
    "Ines",
    "Bram",
    "Zoe",
]
LAST_NAMES = [
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "Dubois",
    "Lambert",
    "Dupont",
    "Martin",
    "Simon",
    "Leclercq",
    "Laurent",
    "Lemaire",
    "Vermeulen",
    "Desmet",
    "Hermans",
    "Michiels",
    "Smet",
    "Renard",
    "Fontaine",
    "Gerard",
    "Collin",
    "Moreau",
    "Denis",
    "Aerts",
    "Cools",
]


# --- database --------------------------------------------------------------------------------


def _recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("The URL must name a PostgreSQL database.")
    name = parts.path.lstrip("/")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Refusing an unusual database name: {name!r}")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup_django(url: str, *, migrate: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django
    from django.conf import settings

    django.setup()
    # DEBUG would keep every query in memory: a benchmark measures production behaviour.
    settings.DEBUG = False
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


# --- 1,000,000 open files ---------------------------------------------------------------------


@dataclass(frozen=True)
class Book:
    """What the generator needs to know of the files it loaded."""

    count: int
    principals: list[Decimal]  # index = file number - 1
    names: list[str]  # the debtor's name as stored

    def iban(self, number: int) -> str:
        return _belgian_iban(number)


def _belgian_iban(number: int) -> str:
    """A valid Belgian IBAN (bank code 096) unique to ``number``."""
    base = 960_000_000 + number
    bban = f"{base:010d}{base % 97 or 97:02d}"
    check = 98 - int(bban + "111400") % 97
    return f"BE{check:02d}{bban}"


def _copy(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY ``rows`` into the model's table; unset columns take the field's default."""
    from django.db import connection
    from django.utils import timezone

    meta = model._meta
    fields = meta.concrete_fields
    now = timezone.now()
    template: list[Any] = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            template.append(now)
        else:
            # The field's default, "" for text without one, None for a nullable column.
            template.append(f.get_default())
    position = {f.attname: i for i, f in enumerate(fields)}
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    count = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for values in rows:
            row = list(template)
            for name, value in values.items():
                row[position[name]] = value
            copy.write_row(row)
            count += 1
    return count


def load_files(count: int, *, interest_share: float) -> Book:
    """Load ``count`` open files (debtor, file, claim, principal entry each) with COPY."""
    from django.db import connection, transaction

    from amicable.files.models import (
        Claim,
        Creditor,
        Debtor,
        File,
        LedgerEntry,
        NumberSequence,
    )
    from amicable.files.numbers import file_reference, file_structured_communication

    rng = random.Random(SEED)
    principals = [Decimal(rng.randrange(2500, 150_000)) / 100 for _ in range(count)]
    first = [rng.choice(FIRST_NAMES) for _ in range(count)]
    last = [rng.choice(LAST_NAMES) for _ in range(count)]
    names = [f"{f} {surname}" for f, surname in zip(first, last, strict=True)]
    interest = [rng.random() < interest_share for _ in range(count)]
    with transaction.atomic():
        creditor = Creditor.objects.create(
            reference="bench",
            name="Énergie Bench SA",
            enterprise_number="0403170701",
            address="Boulevard du Régent 8",
            postal_code="1000",
            city="Bruxelles",
            phone="+32 2 123 45 67",
            email="bench@energie.example",
            remittance_iban="BE71096123456769",
        )
        _copy(
            Debtor,
            (
                {
                    "id": n,
                    "creditor_id": creditor.pk,
                    "customer_reference": f"D{n:08d}",
                    "name": names[n - 1],
                    "address": "Rue Haute 12",
                    "postal_code": "1000",
                    "city": "Bruxelles",
                }
                for n in range(1, count + 1)
            ),
        )
        _copy(
            File,
            (
                {
                    "id": n,
                    "reference": file_reference(n),
                    "number": n,
                    "creditor_id": creditor.pk,
                    "debtor_id": n,
                    "creditor_reference": f"C{n:08d}",
                    "idempotency_key": None,
                    "state": "in_collection",
                    "structured_communication": file_structured_communication(n),
                    "opened_on": date(2025, 3, 1),
                    "formal_notice_sent_on": date(2025, 3, 5),
                }
                for n in range(1, count + 1)
            ),
        )
        _copy(
            Claim,
            (
                {
                    "id": n,
                    "file_id": n,
                    "creditor_reference": f"INV{n:08d}",
                    "description": "Électricité, facture de régularisation",
                    "invoice_date": date(2025, 1, 15),
                    "due_date": date(2025, 2, 14),
                    "principal": principals[n - 1],
                    "interest_clause": interest[n - 1],
                    "interest_applies": interest[n - 1],
                    "first_reminder_sent_on": date(2025, 2, 17),
                    "first_reminder_channel": "paper",
                    "grace_last_day": date(2025, 3, 5),
                    "first_chargeable_day": date(2025, 3, 6),
                }
                for n in range(1, count + 1)
            ),
        )
        _copy(
            LedgerEntry,
            (
                {
                    "id": n,
                    "file_id": n,
                    "claim_id": n,
                    "kind": "charge",
                    "component": "principal",
                    "amount": principals[n - 1],
                    "value_date": date(2025, 2, 14),
                    "source": "intake",
                    "actor": "bench",
                    "note": "principal",
                }
                for n in range(1, count + 1)
            ),
        )
        NumberSequence.objects.update_or_create(name="file", defaults={"value": count})
        with connection.cursor() as cursor:
            for model in (Debtor, File, Claim, LedgerEntry):
                table = model._meta.db_table
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, count]
                )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Book(count=count, principals=principals, names=names)


# --- statement files --------------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    amount: Decimal
    ogm: str | None
    text: str
    name: str
    iban: str
    reference: str


def payments(book: Book, numbers: Sequence[int], count: int, rng: random.Random) -> list[Payment]:
    """``count`` payments: 90 % with a file's OGM, 5 % naming it in the text, 5 % unknown."""
    from amicable.domain.references import ogm_format
    from amicable.files.numbers import file_reference, file_structured_communication

    result: list[Payment] = []
    files = iter(numbers)
    for n in range(count):
        kind = n % 20  # 18 of 20 with the OGM, 1 in the text, 1 unknown
        if kind == 19:
            unknown = rng.randrange(10_000_000, 20_000_000)
            result.append(
                Payment(
                    amount=Decimal(rng.randrange(1000, 90_000)) / 100,
                    ogm=None,
                    text=rng.choice(("Virement", "Betaling factuur", "Remboursement", "Zahlung")),
                    name=f"{rng.choice(LAST_NAMES)} {rng.choice(FIRST_NAMES)}".upper(),
                    iban=_belgian_iban(unknown),
                    reference=f"B{n:09d}",
                )
            )
            continue
        number = next(files)
        principal = book.principals[number - 1]
        share = rng.random()
        if share < 0.60:
            amount = principal
        elif share < 0.95:
            amount = max(Decimal("1.00"), (principal * Decimal(rng.randrange(10, 90)) / 100))
            amount = amount.quantize(Decimal("0.01"))
        else:
            amount = principal + Decimal("10.00")
        first, last = book.names[number - 1].split(" ", 1)
        if kind == 18:
            text = (
                f"Dossier {file_reference(number)}"
                if n % 40 < 20
                else f"Facture {ogm_format(file_structured_communication(number))}"
            )
            ogm = None
        else:
            text, ogm = "", file_structured_communication(number)
        result.append(
            Payment(
                amount=amount,
                ogm=ogm,
                text=text,
                name=f"{last} {first}".upper(),
                iban=book.iban(number),
                reference=f"B{n:09d}",
            )
        )
    return result


def write_coda(items: Sequence[Payment], path: Path) -> None:
    from tests.statements.builders import CodaStatement, Movement, coda_file

    movements = [
        Movement(
            p.amount,
            BOOKED,
            BOOKED,
            structured=("101", p.ogm) if p.ogm else None,
            communication=p.text,
            counterparty_name=p.name[:35],
            counterparty_account=p.iban,
            bank_reference=p.reference,
        )
        for p in items
    ]
    path.write_bytes(
        coda_file(
            CodaStatement(
                account="BE68539007547034",
                opening=Decimal("0.00"),
                opened_on=BOOKED,
                closed_on=BOOKED,
                movements=movements,
                coda_sequence=129,
                paper_sequence=129,
            )
        )
    )


def write_camt(items: Sequence[Payment], path: Path) -> None:
    from tests.statements.builders import camt_document, camt_statement

    entries = io.StringIO()
    for p in items:
        remittance = (
            "<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>BBA</Issr></Tp>"
            f"<Ref>{p.ogm}</Ref></CdtrRefInf></Strd>"
            if p.ogm
            else f"<Ustrd>{p.text}</Ustrd>"
        )
        entries.write(
            f'<Ntry><Amt Ccy="EUR">{p.amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
            "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-05-09</Dt></BookgDt>"
            f"<ValDt><Dt>2025-05-09</Dt></ValDt><AcctSvcrRef>{p.reference}</AcctSvcrRef>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly>"
            "</Domn></BkTxCd><NtryDtls><TxDtls>"
            f"<Refs><EndToEndId>E2E-{p.reference}</EndToEndId></Refs>"
            f"<RltdPties><Dbtr><Pty><Nm>{p.name}</Nm></Pty></Dbtr>"
            f"<DbtrAcct><Id><IBAN>{p.iban}</IBAN></Id></DbtrAcct></RltdPties>"
            f"<RmtInf>{remittance}</RmtInf></TxDtls></NtryDtls></Ntry>\n"
        )
    total = sum((p.amount for p in items), Decimal("0.00"))
    path.write_bytes(
        camt_document(
            camt_statement(
                identifier="BENCH-2025-129",
                account="BE68539007547034",
                opening="0.00",
                closing=f"{total}",
                entries=entries.getvalue(),
                opened_on="2025-05-09",
                closed_on="2025-05-09",
                sequence="129",
            )
        )
    )


# --- measuring one import in its own process --------------------------------------------------


def _backend_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def import_one(path: Path, url: str, *, profile: bool = False) -> dict[str, Any]:
    """Import one file (in this process) and return what was measured."""
    _setup_django(url, migrate=False)
    from django.db import connection

    from amicable.payments.statement_import import import_statement

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    data = path.read_bytes()
    cpu = time.process_time() + _backend_cpu(backend)
    started = time.perf_counter()
    profiler = cProfile.Profile() if profile else None
    if profiler is not None:
        profiler.enable()
    report = import_statement(data, name=path.name, actor="bench", today=date(2025, 5, 12))
    if profiler is not None:
        profiler.disable()
        if dump := os.environ.get("BENCH_PROFILE_DUMP"):
            profiler.dump_stats(dump)  # for pstats' callers and callees
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)
    wall = time.perf_counter() - started
    cpu = time.process_time() + _backend_cpu(backend) - cpu
    return {
        "file": path.name,
        "format": report.format,
        "movements": report.movements,
        "new": report.new_movements,
        "parse_s": report.parse_seconds,
        "match_s": report.match_seconds,
        "wall_s": wall,
        "cpu_s": cpu,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "outcomes": report.outcomes,
        "methods": report.methods,
        "files_paid": report.files_paid,
        "overpayments": report.overpayments,
    }


def match_only(path: Path, url: str) -> dict[str, Any]:
    """The matching alone (three rules and suggestions, reads only) on every credit of ``path``:
    what the set-based part of an import costs, without posting."""
    _setup_django(url, migrate=False)
    from django.db import connection

    from amicable.payments.matching import match_credits
    from amicable.statements import parse_statement

    credits = [m for m in parse_statement(path.read_bytes()).movements if m.amount > 0]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    cpu = time.process_time() + _backend_cpu(backend)
    started = time.perf_counter()
    matches = match_credits(credits)
    wall = time.perf_counter() - started
    return {
        "file": path.name,
        "movements": len(credits),
        "matched": sum(1 for m in matches if m.matched),
        "wall_s": wall,
        "cpu_s": time.process_time() + _backend_cpu(backend) - cpu,
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def parse_one(path: Path) -> float:
    """Seconds our reader takes on ``path`` (no database)."""
    from amicable.statements import parse_statement

    data = path.read_bytes()
    started = time.perf_counter()
    parse_statement(data)
    return time.perf_counter() - started


ORACLE_SCRIPT = """
import sys, time, coda
started = time.perf_counter()
parsed = coda.CODA(sys.argv[1])
seconds = time.perf_counter() - started
print(seconds, sum(len(s.moves) for s in parsed.statements))
"""


def _oracle_python() -> Path:
    """bench/out/venv-oracle, with febelfin-coda, created on first use (never in .venv)."""
    python = ORACLE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(ORACLE_VENV)], check=True)
    probe = subprocess.run([str(python), "-c", "import coda"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "febelfin-coda"], check=True
        )
    return python


def compare_readers(path: Path, *, rounds: int = 3) -> tuple[float, float, int]:
    """Best of ``rounds`` for our reader and for febelfin-coda, each in a fresh process."""
    python = _oracle_python()
    ours: list[float] = []
    theirs: list[float] = []
    moves = 0
    for _ in range(rounds):
        out = subprocess.run(
            [sys.executable, __file__, "--parse-one", str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        ours.append(float(out))
        out = subprocess.run(
            [str(python), "-c", ORACLE_SCRIPT, str(path)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        seconds, count = out.split()
        theirs.append(float(seconds))
        moves = int(count)
    return min(ours), min(theirs), moves


# --- main --------------------------------------------------------------------------------------


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--files", type=int, default=1_000_000)
    parser.add_argument("--movements", type=int, default=100_000)
    parser.add_argument("--interest-share", type=float, default=0.5)
    parser.add_argument(
        "--reader-movements",
        type=int,
        default=100_000,
        help="size of the CODA file on which the two readers are compared",
    )
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--import-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--parse-one", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--match-only",
        type=Path,
        help="time the matching alone on this file against the database as it is, and stop",
    )
    return parser.parse_args()


def _short(machine: str) -> str:
    """The CPU and its cores, for a table row (the full description is printed once)."""
    model, cores = machine.split(", ")[:2]
    return f"{model}, {cores}"


def _row(result: dict[str, Any], machine: str) -> str:
    matched = result["outcomes"].get("matched", 0)
    rate = result["movements"] / result["wall_s"]
    return (
        f"| {date.today().isoformat()} | {_short(machine)} | {result['format']} | "
        f"{result['movements']:,} | {matched:,} | {result['files_paid']:,} | "
        f"{result['parse_s']:.1f} | {result['match_s']:.1f} | {result['wall_s']:.1f} | "
        f"{rate:,.0f} | {result['cpu_s']:.1f} | {result['max_rss_mb']:,.0f} |"
    )


def main() -> None:
    args = _parse()
    if args.parse_one:
        print(parse_one(args.parse_one))
        return
    if args.import_one:
        print(json.dumps(import_one(args.import_one, args.url)))
        return
    if args.match_only:
        print(json.dumps(match_only(args.match_only, args.url)))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    _recreate_database(args.url)
    _setup_django(args.url, migrate=True)
    machine = describe_machine()
    print(f"machine: {machine}", flush=True)
    started = time.perf_counter()
    book = load_files(args.files, interest_share=args.interest_share)
    print(f"loaded {args.files:,} files in {time.perf_counter() - started:.0f} s", flush=True)

    rng = random.Random(SEED + 1)
    per_file = args.movements - args.movements // 20
    if 2 * per_file > args.files:
        raise SystemExit("Not enough files: each statement pays files of its own.")
    numbers = rng.sample(range(1, args.files + 1), 2 * per_file)
    coda_path = OUT / f"reconcile-{args.movements}.cod"
    camt_path = OUT / f"reconcile-{args.movements}.xml"
    write_coda(payments(book, numbers[:per_file], args.movements, rng), coda_path)
    write_camt(payments(book, numbers[per_file:], args.movements, rng), camt_path)
    print(
        f"wrote {coda_path.name} ({coda_path.stat().st_size / 1e6:.0f} MB) and "
        f"{camt_path.name} ({camt_path.stat().st_size / 1e6:.0f} MB)",
        flush=True,
    )
    from django.db import connections

    connections.close_all()
    if args.profile:
        import_one(coda_path, args.url, profile=True)
        return

    # The matching alone first: the imports below close the files they pay in full.
    reader_path = coda_path
    if args.reader_movements != args.movements:
        # Reading needs no database: the readers are compared on a file of full size even
        # when fewer movements are imported.
        reader_path = OUT / f"reconcile-reader-{args.reader_movements}.cod"
        picked = rng.choices(range(1, args.files + 1), k=args.reader_movements)
        write_coda(payments(book, picked, args.reader_movements, rng), reader_path)
    matching = json.loads(
        subprocess.run(
            [sys.executable, __file__, "--match-only", str(reader_path), "--url", args.url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()[-1]
    )
    print(json.dumps(matching), flush=True)
    rows = []
    for path in (coda_path, camt_path):
        out = subprocess.run(
            [sys.executable, __file__, "--import-one", str(path), "--url", args.url],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(json.dumps(result), flush=True)
        rows.append(_row(result, machine))

    ours, theirs, moves = compare_readers(reader_path)
    with open("/proc/loadavg") as loadavg:
        load = loadavg.read().split()[0]
    print()
    print(
        "| date | machine | format | movements | matched | files paid | parse s | "
        "match and post s | import s | movements/s | CPU s | peak RSS MB |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(row)
    print()
    print(
        f"Matching alone (reads only), {matching['movements']:,} credits of {reader_path.name}: "
        f"{matching['wall_s']:.1f} s, CPU {matching['cpu_s']:.1f} s, peak RSS "
        f"{matching['max_rss_mb']:,.0f} MB, {matching['matched']:,} matched"
    )
    print(
        f"CODA reader, {moves:,} movements, best of 3: ours {ours:.2f} s, febelfin-coda "
        f"{theirs:.2f} s, ratio {ours / theirs:.2f}; load average at the end {load}; "
        f"{datetime.now().isoformat(timespec='minutes')}"
    )


if __name__ == "__main__":
    main()
