"""The scheduler's entry point: a task that runs the day and returns its counts."""

from __future__ import annotations

import pytest

from amicable.domain.lifecycle import FileState
from amicable.workflow.models import DailyRun
from amicable.workflow.tasks import run_daily_task
from tests.workflow.conftest import pending_file, state_of

pytestmark = pytest.mark.django_db


def test_task_runs_the_day_and_is_safe_to_enqueue_twice() -> None:
    file = pending_file()

    first = run_daily_task.enqueue(run_date="2025-03-03", batch_size=10)
    second = run_daily_task.enqueue(run_date="2025-03-03", batch_size=10)

    assert state_of(file) is FileState.FIRST_REMINDER_PENDING  # queued, not yet sent
    value = first.return_value
    assert value is not None
    assert (value["run_date"], value["files"]) == ("2025-03-03", 1)
    assert value["counts"]["queued_first_reminder"] == 1
    assert value["run_id"] == DailyRun.objects.order_by("id").first().pk  # type: ignore[union-attr]
    again = second.return_value
    assert again is not None
    assert again["counts"] == {"files": 1}
