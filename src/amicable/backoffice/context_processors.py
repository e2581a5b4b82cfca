"""What every back-office page may show: the interest rates missing today (the banner)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from amicable.files.rate_gaps import read_rate_gaps

__all__ = ["interest_rate_gaps"]


def interest_rate_gaps(request: HttpRequest) -> dict[str, object]:
    """``rate_gaps`` for ``backoffice/_rates_banner.html``: read once, and only by a page that
    shows it (the portal's pages never do)."""
    return {"rate_gaps": SimpleLazyObject(lambda: read_rate_gaps(today=timezone.localdate()))}
