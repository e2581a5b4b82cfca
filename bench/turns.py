"""The daily run and the statement import of two trees, taking turns on copies of one load each.

    git worktree add ../before 63ebb1f && make -C ../before install
    .venv/bin/python bench/turns.py ../before [--turns 4] [--prepare]

Compares another checkout of amicable (BEFORE: a commit to compare with, installed with its own
``.venv``) with this one (``--after``, this tree by default) on the workloads that move the most
rows: the daily run's heaviest day and the same day run again (nothing left to do), and the
import of a CODA and of a camt.053 statement. On a machine whose speed drifts between runs (a
shared virtual machine), one run of each tree says little; turns on identical data do.

``--prepare`` (or a load missing) loads, with each tree's own benchmark scripts and schema, the
daily run's ``--files`` (50,000) into ``amicable_turns_<tree>_daily`` and the statements' files
(``--statement-files`` 200,000, ``--movements`` 20,000 payments) into
``amicable_turns_<tree>_statements``, the statements themselves written to ``bench/out/turns-
<tree>/``. Each turn then copies a load (``CREATE DATABASE ... TEMPLATE``) and runs the tree's
own command on the copy, before then after: ``amicable run-daily --date 2025-06-30`` twice, and
``bench/reconcile.py --import-one`` of each statement. The load makes the day before the
heaviest one a month's end too (the books' check of a tree that checks them reads a month-end's
rows on the heaviest day, the worst case); two more runs follow the days as they come: the
heaviest day after a quiet one (nothing written since the last run that checked the books),
then ``--date 2025-07-01``, which books nothing and checks the heaviest day's rows. CPU is the
command's process and its PostgreSQL backend. Prints a Markdown table: each tree's median and
every turn, the ratio of the medians and turn by turn. Needs a PostgreSQL server on this
machine (``--server``); the ``amicable_turns_*`` databases are dropped and created again.

Both trees' code and environments are byte-compiled before the turns (:func:`compile_tree`):
where the machine sets ``PYTHONDONTWRITEBYTECODE``, an uncompiled tree pays for compiling its
modules at each command's start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
from bench.backend_cpu import BackendCPU  # noqa: E402 (after the path is set)

SERVER = "postgres://postgres@127.0.0.1:5432"
RUN_DATE = "2025-06-30"  # the daily benchmark's heaviest day (bench/daily.py)
NEXT_DATE = "2025-07-01"  # the day after: nothing to book, the check of the heaviest day's rows

#: Run in a tree's own interpreter: its bench/daily.py loads its own schema.
_LOAD_DAILY = """
import importlib.util, os, sys
url, files = sys.argv[1], int(sys.argv[2])
spec = importlib.util.spec_from_file_location("daily", "bench/daily.py")
daily = importlib.util.module_from_spec(spec); sys.modules["daily"] = daily
spec.loader.exec_module(daily)
os.environ["DATABASE_URL"] = url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
import django; django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
daily.load(url, files)
"""
#: The same for bench/reconcile.py: the files, then the two statements paying them.
_LOAD_STATEMENTS = """
import importlib.util, random, sys
from pathlib import Path
url, files, movements, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
spec = importlib.util.spec_from_file_location("rec", "bench/reconcile.py")
rec = importlib.util.module_from_spec(spec); sys.modules["rec"] = rec
spec.loader.exec_module(rec)
rec._setup_django(url, migrate=True)
book = rec.load_files(files, interest_share=0.5)
rng = random.Random(rec.SEED + 1)
per_file = movements - movements // 20
numbers = rng.sample(range(1, files + 1), 2 * per_file)
out.mkdir(parents=True, exist_ok=True)
rec.write_coda(rec.payments(book, numbers[:per_file], movements, rng), out / "statement.cod")
rec.write_camt(rec.payments(book, numbers[per_file:], movements, rng), out / "statement.xml")
"""


@dataclass(frozen=True)
class Tree:
    name: str  # "before" or "after"
    path: Path

    @property
    def python(self) -> str:
        return str(self.path / ".venv" / "bin" / "python")

    def database(self, load: str) -> str:
        return f"amicable_turns_{self.name}_{load}"

    @property
    def out(self) -> Path:
        return HERE / "bench" / "out" / f"turns-{self.name}"


def _admin(server: str, *statements: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _exists(server: str, database: str) -> bool:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
        return found.fetchone() is not None


def prepare(tree: Tree, options: argparse.Namespace) -> None:
    """Load the tree's two databases with its own benchmark scripts, then analyse them."""
    for load, script, arguments in (
        ("daily", _LOAD_DAILY, [str(options.files)]),
        (
            "statements",
            _LOAD_STATEMENTS,
            [str(options.statement_files), str(options.movements), str(tree.out)],
        ),
    ):
        database = tree.database(load)
        _admin(
            options.server,
            f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)',
            f'CREATE DATABASE "{database}"',
        )
        url = f"{options.server}/{database}"
        print(f"loading {database} with {tree.path}", file=sys.stderr, flush=True)
        subprocess.run(
            [tree.python, "-c", script, url, *arguments],
            cwd=tree.path,
            env={**os.environ, "DATABASE_URL": url},
            check=True,
        )
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")


def compile_tree(tree: Tree) -> None:
    """Byte-compile the tree's own code and its environment, so that neither command pays for
    compiling its modules at start (the machine may set ``PYTHONDONTWRITEBYTECODE``, and an
    older tree's ``make install`` compiled neither): both trees start alike."""
    subprocess.run(
        [tree.python, "-m", "compileall", "-q", "src", ".venv/lib"],
        cwd=tree.path,
        stdout=subprocess.DEVNULL,
        check=True,
    )


def _copy(server: str, template: str) -> str:
    copy = f"{template}_run"
    _admin(
        server,
        f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)',
        f'CREATE DATABASE "{copy}" TEMPLATE "{template}"',
    )
    return copy


def _daily_run(tree: Tree, server: str, database: str, run_date: str = RUN_DATE) -> float:
    """``amicable run-daily`` of the tree in a child process: CPU seconds of it and its
    backend."""
    backend = BackendCPU(server, database)
    backend.start()
    child = subprocess.Popen(
        [tree.python, "-m", "amicable", "run-daily", "--date", run_date],
        cwd=tree.path,
        env={
            **os.environ,
            "DATABASE_URL": f"{server}/{database}",
            "DATABASE_CONN_MAX_AGE": "0",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    backend.done.set()
    backend.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"run-daily of {tree.path} failed ({status}).")
    return usage.ru_utime + usage.ru_stime + backend.seconds


def _import(tree: Tree, server: str, database: str, statement: Path) -> float:
    """The tree's ``bench/reconcile.py --import-one``: CPU seconds it measured itself (its
    process and its backend)."""
    done = subprocess.run(
        [
            tree.python,
            "bench/reconcile.py",
            "--import-one",
            str(statement),
            "--url",
            f"{server}/{database}",
        ],
        cwd=tree.path,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1])["cpu_s"])


WORKLOADS = (
    "daily run, heaviest day",
    "daily run, nothing to do",
    "statement import, CODA",
    "statement import, camt.053",
    "daily run, heaviest day after a quiet one",
    "daily run, the day after the heaviest",
)


def _quiet_day_before(server: str, database: str) -> None:
    """The load's last run made to have found the books whole after every row written (a day
    that wrote next to nothing, such as a Sunday's), where the load puts a month-end's rows
    since: a tree whose runs check the books then checks none on the heaviest day. (A tree
    whose runs keep no such starting point is left as it is.)"""
    with psycopg.connect(f"{server}/{database}", autocommit=True) as connection:
        known = connection.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_name = 'workflow_dailyrun' AND column_name = 'books_from'"
        ).fetchone()
        if known is None:
            return
        connection.execute(
            "UPDATE workflow_dailyrun SET books_from = json_build_object("
            "'ledger', (SELECT coalesce(max(id), 0) FROM files_ledgerentry), "
            "'allocations', (SELECT coalesce(max(id), 0) FROM files_allocation), "
            "'events', (SELECT coalesce(max(id), 0) FROM files_event))"
        )


def one_turn(tree: Tree, server: str) -> dict[str, float]:
    copy = _copy(server, tree.database("daily"))
    heaviest = _daily_run(tree, server, copy)
    nothing = _daily_run(tree, server, copy)
    figures = {WORKLOADS[0]: heaviest, WORKLOADS[1]: nothing}
    # The same month's end as days follow one another: the heaviest day after a quiet one,
    # then the next day, which books nothing and checks the heaviest day's rows.
    copy = _copy(server, tree.database("daily"))
    _quiet_day_before(server, copy)
    figures[WORKLOADS[4]] = _daily_run(tree, server, copy)
    figures[WORKLOADS[5]] = _daily_run(tree, server, copy, NEXT_DATE)
    for workload, statement in zip(WORKLOADS[2:4], ("statement.cod", "statement.xml"), strict=True):
        copy = _copy(server, tree.database("statements"))
        figures[workload] = _import(tree, server, copy, tree.out / statement)
    _admin(
        server,
        f'DROP DATABASE IF EXISTS "{tree.database("daily")}_run" WITH (FORCE)',
        f'DROP DATABASE IF EXISTS "{tree.database("statements")}_run" WITH (FORCE)',
    )
    return figures


def table(turns: list[dict[str, dict[str, float]]]) -> str:
    lines = [
        "| workload | before, CPU s | after, CPU s | after / before |",
        "|---|---:|---:|---:|",
    ]
    for workload in WORKLOADS:
        before = [turn["before"][workload] for turn in turns]
        after = [turn["after"][workload] for turn in turns]
        ratio = statistics.median(after) / statistics.median(before)
        by_turn = ", ".join(f"{a / b:.2f}" for a, b in zip(after, before, strict=True))
        lines.append(
            f"| {workload} | {statistics.median(before):.2f} "
            f"({', '.join(f'{b:.2f}' for b in before)}) | {statistics.median(after):.2f} "
            f"({', '.join(f'{a:.2f}' for a in after)}) | {ratio:.2f}; turn by turn {by_turn} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("before", type=Path, help="the checkout to compare with")
    parser.add_argument("--after", type=Path, default=HERE, help="this tree by default")
    parser.add_argument("--turns", type=int, default=4)
    parser.add_argument("--prepare", action="store_true", help="load both trees' data again")
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--statement-files", type=int, default=200_000)
    parser.add_argument("--movements", type=int, default=20_000)
    parser.add_argument("--server", default=SERVER, help=f"PostgreSQL server URL ({SERVER})")
    options = parser.parse_args()
    trees = [Tree("before", options.before.resolve()), Tree("after", options.after.resolve())]
    for tree in trees:
        if not Path(tree.python).exists():
            raise SystemExit(f"{tree.path} has no .venv: run `make install` there first.")
        loads = ("daily", "statements")
        loaded = all(_exists(options.server, tree.database(load)) for load in loads)
        if options.prepare or not loaded or not (tree.out / "statement.xml").exists():
            prepare(tree, options)
        compile_tree(tree)
    turns: list[dict[str, dict[str, float]]] = []
    for number in range(1, options.turns + 1):
        started = time.monotonic()
        turn = {tree.name: one_turn(tree, options.server) for tree in trees}
        turns.append(turn)
        print(
            f"turn {number}: {json.dumps(turn)} ({time.monotonic() - started:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    print(table(turns))


if __name__ == "__main__":
    main()
