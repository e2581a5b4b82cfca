"""Background tasks of the workflow: thin wrappers that call a service (safe to rerun)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from amicable.workflow.services import DEFAULT_BATCH_SIZE, run_daily


@task()
def run_daily_task(
    run_date: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE
) -> dict[str, Any]:
    """The daily run for ``run_date`` (YYYY-MM-DD, default today in Belgium), for a scheduler.

    Returns the run's counts. Enqueueing it twice for one day is harmless: the run is idempotent.
    """
    day = date.fromisoformat(run_date) if run_date else timezone.localdate()
    result = run_daily(run_date=day, batch_size=batch_size)
    return {
        "run_id": result.run_id,
        "run_date": day.isoformat(),
        "files": result.files_done,
        "counts": dict(+result.counts),  # zero counts left out
        "amounts": {name: str(amount) for name, amount in result.amounts.items()},
    }
