"""Background tasks of the letters: thin wrappers that call a service (safe to rerun)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django_tasks import task

from amicable.letters.emails import send_due_emails
from amicable.letters.post import run_letters_batch


@task()
def send_emails_task(limit: int = 500) -> dict[str, Any]:
    """Send the e-mails due now, for a scheduler every few minutes; returns the counts.

    Two at once are harmless: each e-mail is taken by one sender only.
    """
    report = send_due_emails(limit=limit)
    return {
        "sent": len(report.sent),
        "retried": len(report.retried),
        "failed": len(report.failed),
        "postponed": len(report.postponed),
        "refused": len(report.refused),
    }


@task()
def letters_batch_task(run_date: str | None = None) -> dict[str, Any]:
    """The day's letters (YYYY-MM-DD, default today in Belgium); a rerun produces nothing new.

    The printer's copy stays in the archive (``PostBatch``), not in a folder.
    """
    day = date.fromisoformat(run_date) if run_date else timezone.localdate()
    result = run_letters_batch(run_date=day)
    return {
        "run_date": day.isoformat(),
        "batch": result.batch.pk if result.batch else None,
        "posted": result.posted,
        "emails_queued": result.emails_queued,
        "refused": result.refused,
    }
