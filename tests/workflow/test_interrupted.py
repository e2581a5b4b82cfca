"""A run killed half-way is completed by the next one, without doubling anything.

The run is the real command, ``amicable run-daily``, in a child process that ends abruptly
(``os._exit``, no cleanup, like a kill) after two committed batches; then it is run again. On
PostgreSQL the child uses the test database itself; on SQLite, whose test database lives in
memory, the test copies it to a file for the child and copies the result back.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from amicable.domain.lifecycle import FileState
from amicable.files.models import Event, LedgerEntry
from amicable.workflow.models import DailyRun, LetterRequest, RunStatus
from amicable.workflow.services import EXIT_AFTER_BATCHES_ENV, INTERRUPTED_EXIT_STATUS
from tests.factories import claim_input, make_file
from tests.workflow.conftest import MONTH_END, mixed_files, run, snapshot, state_of

pytestmark = pytest.mark.django_db(transaction=True)

REPOSITORY = Path(__file__).resolve().parents[2]


@contextmanager
def database_for_a_child(tmp_path: Path) -> Iterator[str]:
    """A DATABASE_URL under which a child process sees (and changes) the test database."""
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        user = quote(settings["USER"] or "", safe="")
        password = quote(settings["PASSWORD"] or "", safe="")
        credentials = f"{user}:{password}@" if password else f"{user}@"
        yield (
            f"postgres://{credentials}{settings['HOST'] or 'localhost'}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
        return
    assert connection.vendor == "sqlite"
    path = tmp_path / "child.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    with sqlite3.connect(path) as copy:
        memory.backup(copy)
    copy.close()
    yield f"sqlite:///{path}"
    with sqlite3.connect(path) as result:
        result.backup(memory)
    result.close()


def run_command(database_url: str, *, exit_after: int | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    env.pop(EXIT_AFTER_BATCHES_ENV, None)
    if exit_after is not None:
        env[EXIT_AFTER_BATCHES_ENV] = str(exit_after)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "amicable",
            "run-daily",
            "--date",
            MONTH_END.isoformat(),
            "--batch-size",
            "2",
        ],
        env=env,
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def without_files(counts: dict[str, object]) -> Counter[str]:
    """The counts of what was done; "files" counts visits, and the second run revisits."""
    return Counter(
        {name: n for name, n in counts.items() if name != "files" and isinstance(n, int) and n}
    )


def test_killed_run_is_completed_by_the_next_without_doubles(tmp_path: Path) -> None:
    files = mixed_files()
    more = [
        make_file(
            claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
            today=MONTH_END,
        )
        for _ in range(6)
    ]
    # What an uninterrupted run does, decided without writing anything.
    dry = run(MONTH_END, dry_run=True)
    expected, expected_amounts = dry.counts, dry.amounts
    assert expected["files"] == 13
    rows_before = (Event.objects.count(), LedgerEntry.objects.count())

    with database_for_a_child(tmp_path) as url:
        killed = run_command(url, exit_after=2)
        again = run_command(url, exit_after=None)

    assert killed.returncode == INTERRUPTED_EXIT_STATUS, killed.stderr
    assert killed.stderr.startswith("daily run 2025-04-30: 2/13 files")
    assert again.returncode == 0, again.stderr
    # The paid file, closed by the first batch, is no longer visited.
    assert "12/12 files (100.0 %)" in again.stderr
    first, second = DailyRun.objects.filter(run_date=MONTH_END).order_by("id")
    # The killed run stopped after its second batch: two batches of two files committed.
    visited = sorted(
        [f.pk for name, f in files.items() if name not in {"suspended", "disputed"}]
        + [f.pk for f in more]
    )
    assert (first.status, first.files_done, first.last_file_id) == (
        RunStatus.RUNNING,
        4,
        visited[3],
    )
    assert (second.status, second.files_done) == (RunStatus.FINISHED, 12)
    done = without_files(first.counts) + without_files(second.counts)
    assert done == without_files(dict(expected))
    assert done["queued_first_reminder"] == 8
    amounts = Counter({k: Decimal(v) for k, v in first.counts["amounts"].items()})
    amounts.update({k: Decimal(v) for k, v in second.counts["amounts"].items()})
    assert dict(amounts) == expected_amounts
    assert (Event.objects.count(), LedgerEntry.objects.count()) == (
        rows_before[0] + expected["events"],
        rows_before[1] + expected["ledger_entries"],
    )
    assert (
        LetterRequest.objects.filter(run__run_date=MONTH_END).count() == expected["letters_queued"]
    )
    # Their reminders are queued, not sent: no period runs yet (docs/legal.md, section 1).
    assert [state_of(file) for file in more] == [FileState.FIRST_REMINDER_PENDING] * 6
    # And a third run finds nothing left to do.
    after = snapshot()
    third = run(MONTH_END)
    assert snapshot() == after
    assert without_files(dict(third.counts)) == Counter()
