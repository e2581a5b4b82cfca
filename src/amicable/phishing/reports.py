"""A phishing report: anyone may tell the agency about a message that imitates it (journey 6)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from amicable.domain.calendar import add_working_days
from amicable.files.models import WorkItem, WorkItemKind
from amicable.phishing.models import PhishingReport

__all__ = ["PHISHING_REVIEW_WORKING_DAYS", "report_phishing"]

#: A phishing report is looked at within two working days (agency policy).
PHISHING_REVIEW_WORKING_DAYS = 2


@transaction.atomic
def report_phishing(
    *,
    channel: str,
    received_on: date | None,
    sender: str,
    content: str,
    reporter_email: str,
    today: date,
) -> PhishingReport:
    """Store a phishing report and put it in the staff queue, due in two working days."""
    report = PhishingReport.objects.create(
        channel=channel,
        received_on=received_on,
        sender=sender,
        content=content,
        reporter_email=reporter_email,
    )
    WorkItem.objects.create(
        kind=WorkItemKind.PHISHING_REPORT,
        title=f"Phishing report {report.pk} ({channel})",
        due_on=add_working_days(today, PHISHING_REVIEW_WORKING_DAYS),
        data={"phishing_report_id": report.pk},
    )
    return report
