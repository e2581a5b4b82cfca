"""Search, the dashboard and the compliance pages (audit trail, refused contacts)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amicable.backoffice import oversight
from amicable.backoffice.access import staff_view
from amicable.backoffice.charts import bar_chart
from amicable.backoffice.presenters import eur
from amicable.backoffice.roles import Perm
from amicable.backoffice.search import search_files
from amicable.backoffice.views.navigation import query_int
from amicable.files.rate_gaps import count_files_past_known_rates, read_rate_gaps
from amicable.files.timeline import EventKind

__all__ = ["audit", "dashboard", "refused_contacts", "search"]


@require_GET
@staff_view(Perm.VIEW_FILES)
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    hits = search_files(query)
    if len(hits) == 1 and hits[0].matched_on in {"file number", "structured communication"}:
        return redirect("backoffice:file", hits[0].file.reference)
    return render(request, "backoffice/search.html", {"query": query, "hits": hits})


@require_GET
@staff_view(Perm.VIEW_DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open files by state, money collected per creditor, queue sizes and ages, as charts."""
    today = timezone.localdate()
    data = oversight.dashboard(today=today)
    charts = {
        "states": bar_chart(
            title=_("Open files by state"),
            rows=[(state.value.replace("_", " "), n, str(n)) for state, n in data.files_by_state],
        ),
        "week": bar_chart(
            title=_("Collected this week, per creditor"),
            rows=[(c.creditor, c.this_week, eur(c.this_week)) for c in data.collected],
        ),
        "month": bar_chart(
            title=_("Collected this month, per creditor"),
            rows=[(c.creditor, c.this_month, eur(c.this_month)) for c in data.collected],
        ),
        "queues": bar_chart(
            title=_("Open items per queue"),
            rows=[(q.label, q.open_items, str(q.open_items)) for q in data.queues],
        ),
        "ages": bar_chart(
            title=_("Age of the oldest open item, in days"),
            rows=[
                (q.label, age, str(age))
                for q in data.queues
                if (age := q.oldest_age_days(today)) is not None
            ],
        ),
    }
    gaps = read_rate_gaps(today=today)
    rates = {
        "rate_gaps": gaps,
        "rates_affected": count_files_past_known_rates(
            today=today, last_known_day=gaps.last_known_day
        ),
    }
    return render(request, "backoffice/dashboard.html", {"data": data, "charts": charts, **rates})


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def audit(request: HttpRequest) -> HttpResponse:
    """Every action with who did it (docs/architecture.md, invariant 4), newest first."""
    filters = {
        "actor": request.GET.get("actor", "").strip()[:100],
        "kind": request.GET.get("kind", "").strip()[:40],
        "file_reference": request.GET.get("file", "").strip()[:20],
    }
    page = oversight.list_audit_events(**filters, before=query_int(request.GET.get("before")))
    kinds = sorted(((kind.value, kind.label) for kind in EventKind), key=lambda pair: pair[1])
    return render(
        request,
        "backoffice/audit.html",
        {"page": page, "filters": filters, "event_kinds": kinds},
    )


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def refused_contacts(request: HttpRequest) -> HttpResponse:
    """The calls the contact rules refused (docs/legal.md, section 4), newest first."""
    attempts = oversight.list_refused_contacts(before=query_int(request.GET.get("before")))
    return render(request, "backoffice/refused_contacts.html", {"attempts": attempts})
