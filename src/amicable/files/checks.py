"""``amicable check``: the interest rate table must know today's rates (``amicable.W001``).

A check that reads the database runs only when it is given one, as Django asks of every check:
``amicable check`` gives it the default database (the files app's own ``check`` command), as
does ``amicable migrate``; ``runserver``, the daily run and ``check --deploy`` start without a
query. Before the first migration, when the table cannot be read yet, the package's own rates
are the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, register
from django.core.checks import Warning as CheckWarning
from django.db import DEFAULT_DB_ALIAS, DatabaseError
from django.urls import reverse
from django.utils import timezone

from amicable.domain.interest import DEFAULT_RATES
from amicable.files.rate_gaps import read_rate_gaps

__all__ = ["RATES_MISSING", "interest_rates_known"]

RATES_MISSING = "amicable.W001"


@register()
def interest_rates_known(
    app_configs: Sequence[AppConfig] | None,
    databases: Sequence[str] | None = None,
    **kwargs: Any,
) -> list[CheckMessage]:
    """Warn, in the banner's words, when a rate in force up to today is not known."""
    if not databases or DEFAULT_DB_ALIAS not in databases:
        return []
    today = timezone.localdate()
    try:
        gaps = read_rate_gaps(today=today)
    except DatabaseError:  # not migrated yet: no rate can have been added
        gaps = read_rate_gaps(today=today, rates=DEFAULT_RATES)
    if not gaps:
        return []
    page = reverse("admin:files_interestrate_changelist")
    return [CheckWarning(gaps.message, hint=f"{gaps.where} ({page})", id=RATES_MISSING)]
