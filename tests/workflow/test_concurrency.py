"""On PostgreSQL the run skips a file another transaction holds, and two runs never double.

Row locks between real connections are what this tests, so it runs where there are
connections to race: on PostgreSQL (CI runs the whole suite there too).
"""

from __future__ import annotations

import io
import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from amicable.domain.lifecycle import FileState
from amicable.files.models import File
from amicable.workflow.models import LetterRequest
from amicable.workflow.services import RunResult, run_daily
from tests.workflow.conftest import MONDAY, pending_file, run, state_of

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs two database connections to race"
    ),
]


def hold(file_id: int, locked: threading.Event, release: threading.Event) -> None:
    try:
        with transaction.atomic():
            File.objects.select_for_update().get(pk=file_id)
            locked.set()
            release.wait(timeout=30)
    finally:
        connections.close_all()


def test_a_file_held_by_an_agent_is_skipped_and_done_by_the_next_run() -> None:
    files = [pending_file() for _ in range(5)]
    held = files[2]
    locked, release = threading.Event(), threading.Event()
    agent = threading.Thread(target=hold, args=(held.pk, locked, release))
    agent.start()
    assert locked.wait(timeout=10)
    try:
        result = run(MONDAY, batch_size=2)
    finally:
        release.set()
        agent.join()

    assert result.counts["skipped_locked"] == 1
    assert result.counts["files"] == 4
    queued = Counter(LetterRequest.objects.values_list("file_id", flat=True))
    assert queued == {f.pk: 1 for f in files if f != held}

    again = run(MONDAY, batch_size=2)
    assert LetterRequest.objects.filter(file=held).count() == 1
    assert again.counts["queued_first_reminder"] == 1
    # Queued, not sent: every file waits for its reminder to leave (docs/legal.md, section 1).
    assert {state_of(f) for f in files} == {FileState.FIRST_REMINDER_PENDING}


def test_two_runs_at_once_do_each_step_once() -> None:
    files = [pending_file() for _ in range(40)]
    results: list[RunResult] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def one_run() -> None:
        try:
            start.wait()
            results.append(run_daily(run_date=MONDAY, batch_size=3, progress_stream=io.StringIO()))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()

    assert errors == []
    assert [state_of(file) for file in files] == [FileState.FIRST_REMINDER_PENDING] * 40
    per_file = Counter(LetterRequest.objects.values_list("file_id", flat=True))
    assert set(per_file.values()) == {1}
    assert len(per_file) == 40
    total = sum((r.counts for r in results), Counter[str]())
    assert total["queued_first_reminder"] == 40
    assert total["letters_queued"] == 40
