"""The signed-in file page under a fixed load of 100 requests/s, against a fixed page (ceiling).

    .venv/bin/python bench/portal.py [--files 100000] [--rate 100] [--seconds 20] [--workers 4]
    .venv/bin/python bench/portal.py --reuse AM00100000 --in-process 1000

1. A fresh PostgreSQL database (``amicable_bench_portal``, dropped first; ``--database-url``
   names another server) is migrated, and ``--files`` files (one claim each, one debtor each)
   are loaded through ``files.services.create_files`` in batches of 1,000, as intake does. The
   file that is measured also gets an indemnity, interest and a payment, so its page shows
   every line of the breakdown. ``--reuse`` skips the load when the database already holds it.
2. gunicorn (from the venv) serves the project on 127.0.0.1 with ``--workers`` sync workers,
   ``DEBUG=0`` and ``AMICABLE_BENCH=1`` (which adds ``/bench-ping/``: a fixed page that runs one
   ``SELECT 1`` through the same middleware and database connection, the ceiling).
3. One debtor signs in once through the real form (CSRF token, file number, access code); the
   session cookie is then sent with every request.
4. A small open-loop load generator (threads and ``http.client``) sends requests at a fixed
   rate for ``--seconds`` after a 3-second warm-up at the same rate: request *i* is due at
   ``start + i / rate``, and its latency runs from that moment, so a server that falls behind
   is charged for the wait (no coordinated omission). First the file page, then the ping.
5. A short closed-loop run (``--concurrency`` connections, as fast as the server answers)
   gives the most requests per second each page sustains.

Prints one Markdown table (machine, date, both pages, their ratio). Target: p95 of the file
page under 50 ms at 100 requests/s.

``--in-process N`` measures instead the page's own cost, without server or network: the debtor
signs in through the form with Django's test client in this process, and N requests (after 100
to warm up) give the CPU milliseconds a request of the process and of its PostgreSQL backend.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/amicable_bench_portal"
BATCH = 1000
WARM_UP_SECONDS = 3.0


# --- database ---------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql"} or not name.replace("_", "").isalnum():
        raise SystemExit(f"A PostgreSQL database with a plain name is needed, not {url!r}.")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def server_env(url: str, var_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AMICABLE_VAR_DIR": str(var_dir),
        "AMICABLE_BENCH": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on the loopback, as behind the proxy that ends TLS: no redirect to HTTPS.
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(ROOT / "src"),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(VENV_BIN / "amicable"), *args], env=env, check=True, cwd=ROOT)


@dataclass(frozen=True, slots=True)
class Target:
    reference: str
    code: str


def setup_django(env: dict[str, str]) -> None:
    """Django in this process, on the benchmark database and with the server's settings (the
    access codes are keyed by its secret)."""
    names = ("DATABASE_URL", "SECRET_KEY", "AMICABLE_VAR_DIR", "DEBUG", "SECURE_SSL_REDIRECT")
    os.environ.update({k: env[k] for k in names})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def reuse(reference: str, env: dict[str, str]) -> Target:
    """A database loaded by an earlier run: a new access code for the measured file."""
    setup_django(env)
    from django.db import connection

    from amicable.files.models import File
    from amicable.files.services import issue_access_code

    code = issue_access_code(file=File.objects.get(reference=reference), actor="bench")
    connection.close()
    return Target(reference=reference, code=code)


def load_files(count: int, env: dict[str, str]) -> Target:
    """``count`` files through create_files, 1,000 a batch; the last one gets a full history."""
    setup_django(env)
    from django.db import connection

    from amicable.files import ledger
    from amicable.files.models import Creditor
    from amicable.files.services import (
        ClaimInput,
        DebtorInput,
        FileInput,
        create_files,
        issue_access_code,
    )

    creditor = Creditor.objects.create(
        reference="bench-energy",
        name="Énergie Banc d'Essai SA",
        enterprise_number="0403170701",
        address="Boulevard du Régent 8",
        postal_code="1000",
        city="Bruxelles",
        phone="+32 2 123 45 67",
        email="recouvrement@energie.example",
        remittance_iban="BE71096123456769",
    )
    today = date(2025, 4, 1)
    started = time.perf_counter()
    last = None
    for first in range(0, count, BATCH):
        inputs = [
            FileInput(
                creditor_reference=f"F{n:07d}",
                debtor=DebtorInput(
                    customer_reference=f"C{n:07d}",
                    name=f"Client {n}",
                    address="Rue Haute 12",
                    postal_code="1000",
                    city="Bruxelles",
                    language="fr" if n % 3 else "nl",
                ),
                claims=(
                    ClaimInput(
                        creditor_reference=f"INV-{n:07d}",
                        description="Électricité, facture de régularisation",
                        invoice_date=date(2025, 1, 15),
                        due_date=date(2025, 2, 14),
                        principal=Decimal("100.00") + Decimal(n % 900),
                        contract_date=date(2024, 1, 10),
                        first_reminder_sent_on=date(2025, 3, 3),
                        first_reminder_channel="paper",
                        indemnity_percent=Decimal("10"),
                        indemnity_minimum=Decimal("25.00"),
                        # Declared reciprocal (CEL art. VI.83, 17°): the indemnity applies.
                        indemnity_reciprocity="reciprocal",
                        interest_clause=True,
                        interest_rate=Decimal("8"),
                    ),
                ),
            )
            for n in range(first, min(first + BATCH, count))
        ]
        last = create_files(creditor=creditor, inputs=inputs, actor="bench", today=today)[-1]
        done = min(first + BATCH, count)
        if done % 20_000 == 0 or done == count:
            print(f"  {done:,} files in {time.perf_counter() - started:.0f} s", flush=True)
    assert last is not None
    file = last.file
    claim = file.claims.get()
    ledger.charge_indemnity(claim=claim, on=date(2025, 3, 20), actor="bench")
    ledger.post_payment(
        file=file,
        amount=Decimal("60.00"),
        value_date=date(2025, 4, 10),
        actor="bench",
        source="statement",
        source_reference="bench-payment",
    )
    code = issue_access_code(file=file, actor="bench")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.close()
    return Target(reference=file.reference, code=code)


# --- server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_gunicorn(
    env: dict[str, str], *, port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "amicable.config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--preload",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        str(log),
    ]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    # Ready when every worker answers: the socket accepts before the workers have booted.
    deadline = time.monotonic() + 120
    answered = 0
    while time.monotonic() < deadline and answered < 4 * workers:
        try:
            answered += _get(port, "/bench-ping/", "") == 200
        except OSError:
            time.sleep(0.5)
    if answered < 4 * workers:
        server.terminate()
        raise SystemExit(f"gunicorn did not start; see {log}")
    return server


# --- CPU accounting ---------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                found.append(int(entry.name))
    return found


def server_cpu(server: subprocess.Popen[bytes], url: str) -> dict[int, float]:
    """CPU seconds used so far by each gunicorn process and each PostgreSQL backend of the
    benchmark database (not the load generator, not this process), by process id."""
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchall()
    pids = [server.pid, *_children(server.pid), *(row[0] for row in rows)]
    return {pid: _cpu_seconds(pid) for pid in pids}


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two snapshots; a process that started in between counts whole."""
    return sum(max(0.0, seconds - before.get(pid, 0.0)) for pid, seconds in after.items())


# --- in process -------------------------------------------------------------------------------


def in_process(target: Target, requests: int) -> tuple[float, float]:
    """The file page through Django's test client in this process (no server, no network):
    ``requests`` requests after 100 to warm up; the CPU milliseconds a request of this process
    and of its PostgreSQL backend."""
    from django.db import connection
    from django.test import Client

    client = Client()
    client.get("/sign-in/")
    answer = client.post("/sign-in/", {"reference": target.reference, "code": target.code})
    if answer.status_code != 302:
        raise SystemExit(f"Sign-in failed: HTTP {answer.status_code}")
    page = f"/files/{target.reference}/"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend,) = cursor.fetchone()
    for _ in range(100):
        status = client.get(page).status_code
        if status != 200:
            raise SystemExit(f"The file page answered HTTP {status}.")
    python, database = time.process_time(), _cpu_seconds(backend)
    for _ in range(requests):
        client.get(page)
    python, database = time.process_time() - python, _cpu_seconds(backend) - database
    return python * 1000 / requests, database * 1000 / requests


# --- client -----------------------------------------------------------------------------------


def sign_in(port: int, target: Target) -> str:
    """Sign in through the form once; the Cookie header for every later request."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/sign-in/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = _cookies(response.getheaders())
    token_match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token_match, "no CSRF token on the sign-in page"
    body = urlencode(
        {
            "csrfmiddlewaretoken": token_match.group(1),
            "reference": target.reference,
            "code": target.code,
        }
    )
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "POST",
        "/sign-in/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        },
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise SystemExit(f"Sign-in failed: HTTP {response.status}")
    cookies.update(_cookies(response.getheaders()))
    return "; ".join(
        f"{k}={v}" for k, v in cookies.items() if k in {"sessionid", "django_language"}
    )


def _cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def _get(port: int, path: str, cookie: str) -> int:
    # gunicorn's sync workers close every connection: one connection per request.
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


@dataclass(slots=True)
class Run:
    sent: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    cpu_ms_per_request: float = 0.0

    @property
    def rate(self) -> float:
        return self.sent / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def open_loop(port: int, path: str, cookie: str, *, rate: float, seconds: float) -> Run:
    """Requests due at a fixed rate; latency measured from when each was due."""
    total = int(rate * seconds)
    counter = itertools.count()
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.perf_counter() + 0.2

    def worker() -> None:
        nonlocal errors
        while True:
            i = next(counter)
            if i >= total:
                return
            due = start + i / rate
            pause = due - time.perf_counter()
            if pause > 0:
                time.sleep(pause)
            try:
                status = _get(port, path, cookie)
            except OSError:
                status = 0
            elapsed = (time.perf_counter() - due) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(max(8, int(rate // 4)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(total, errors, time.perf_counter() - start, latencies)


def closed_loop(port: int, path: str, cookie: str, *, concurrency: int, seconds: float) -> Run:
    """As many requests as ``concurrency`` connections get answered in ``seconds``."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    start = time.perf_counter()

    def worker() -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            began = time.perf_counter()
            status = _get(port, path, cookie)
            with lock:
                latencies.append((time.perf_counter() - began) * 1000)
                if status != 200:
                    errors += 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Run(len(latencies), errors, time.perf_counter() - start, latencies)


# --- report -----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return str(row[0]).split()[0] if row else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--saturation-seconds", type=float, default=5.0)
    parser.add_argument(
        "--reuse", metavar="REFERENCE", help="skip the load and measure this file's page"
    )
    parser.add_argument(
        "--in-process",
        metavar="REQUESTS",
        type=int,
        help="measure the page's own CPU in this process (Django's test client), and stop",
    )
    args = parser.parse_args()

    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    var_dir = Path(tempfile.mkdtemp(prefix="amicable-bench-portal-"))
    env = server_env(args.database_url, var_dir)
    if args.reuse:
        target = reuse(args.reuse, env)
    else:
        print(f"Creating and migrating {args.database_url} ...", flush=True)
        recreate_database(args.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        print(f"Loading {args.files:,} files ...", flush=True)
        load_started = time.perf_counter()
        target = load_files(args.files, env)
        print(
            f"  loaded in {time.perf_counter() - load_started:.0f} s; measuring "
            f"{target.reference} (to measure again: --reuse {target.reference})",
            flush=True,
        )
    manage(env, "collectstatic", "--noinput", "-v0")
    if args.in_process:
        python, database = in_process(target, args.in_process)
        print(
            f"| {date.today().isoformat()} | {cpu_model()}, {os.cpu_count()} cores | file page, "
            f"in process | {args.in_process:,} requests | Python {python:.2f} ms | PostgreSQL "
            f"{database:.2f} ms | {python + database:.2f} CPU ms a request |"
        )
        return
    port = free_port()
    server = start_gunicorn(env, port=port, workers=args.workers, log=out / "portal-gunicorn.log")
    try:
        cookie = sign_in(port, target)
        page = f"/files/{target.reference}/"
        results = {}
        for name, path in (("file page", page), ("ping (ceiling)", "/bench-ping/")):
            open_loop(port, path, cookie, rate=args.rate, seconds=WARM_UP_SECONDS)
            cpu = server_cpu(server, args.database_url)
            fixed = open_loop(port, path, cookie, rate=args.rate, seconds=args.seconds)
            fixed.cpu_ms_per_request = (
                cpu_used(cpu, server_cpu(server, args.database_url)) * 1000 / fixed.sent
            )
            most = closed_loop(
                port, path, cookie, concurrency=args.concurrency, seconds=args.saturation_seconds
            )
            results[name] = (fixed, most)
            print(
                f"  {name}: {fixed.rate:.1f} req/s, p50 {fixed.percentile(50):.1f} ms, "
                f"p95 {fixed.percentile(95):.1f} ms, p99 {fixed.percentile(99):.1f} ms, "
                f"{fixed.errors} errors, {fixed.cpu_ms_per_request:.1f} ms of server CPU a "
                f"request; at most {most.rate:.0f} req/s",
                flush=True,
            )
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    load = os.getloadavg()[0]
    machine = (
        f"{cpu_model()}, {os.cpu_count()} cores, PostgreSQL {postgres_version(args.database_url)}, "
        f"Python {platform.python_version()}, gunicorn {args.workers} sync workers; "
        f"load average {load:.1f}"
    )
    print()
    print(
        "| date | machine | page | files | rate asked | served req/s | p50 ms | p95 ms | p99 ms "
        "| errors | server CPU ms/request | most req/s (8 conn.) |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, (fixed, most) in results.items():
        print(
            f"| {date.today().isoformat()} | {machine} | {name} | {args.files:,} | "
            f"{args.rate:.0f} | {fixed.rate:.1f} | {fixed.percentile(50):.1f} | "
            f"{fixed.percentile(95):.1f} | {fixed.percentile(99):.1f} | {fixed.errors} | "
            f"{fixed.cpu_ms_per_request:.1f} | {most.rate:.0f} |"
        )
    page_run, page_most = results["file page"]
    ping_run, ping_most = results["ping (ceiling)"]
    print()
    print(
        f"file page / ping: p50 {page_run.percentile(50) / ping_run.percentile(50):.1f}x, "
        f"p95 {page_run.percentile(95) / ping_run.percentile(95):.1f}x; most req/s "
        f"{page_most.rate / ping_most.rate:.2f} of the ceiling "
        f"(median {statistics.median(page_most.latencies_ms):.1f} ms against "
        f"{statistics.median(ping_most.latencies_ms):.1f} ms per request)"
    )
    verdict = "met" if page_run.percentile(95) < 50 and page_run.errors == 0 else "NOT met"
    print(f"target p95 < 50 ms at {args.rate:.0f} req/s: {verdict}")


if __name__ == "__main__":
    main()
