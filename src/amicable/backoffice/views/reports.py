"""Search, the dashboard and the compliance pages (audit trail, refused contacts)."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from amicable.backoffice import oversight
from amicable.backoffice.access import staff_view
from amicable.backoffice.charts import BarChart, bar_chart
from amicable.backoffice.presenters import eur
from amicable.backoffice.roles import Perm
from amicable.backoffice.search import search_files
from amicable.backoffice.views.navigation import query_int
from amicable.files.labels import state_label
from amicable.files.rate_gaps import count_files_past_known_rates, read_rate_gaps
from amicable.files.timeline import EventKind
from amicable.letters.formatting import format_percent

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
    charts = _charts(data)
    gaps = read_rate_gaps(today=today)
    rates = {
        "rate_gaps": gaps,
        "rates_affected": count_files_past_known_rates(
            today=today, last_known_day=gaps.last_known_day
        ),
    }
    return render(request, "backoffice/dashboard.html", {"data": data, "charts": charts, **rates})


def _percent(rate: Decimal | None) -> str:
    if rate is None:
        return "—"
    language = (translation.get_language() or "en")[:2]
    return format_percent(rate, language if language in {"fr", "nl", "de"} else "en", places=1)


def _charts(data: oversight.Dashboard) -> dict[str, BarChart]:
    """The dashboard's four charts, every label in words and every figure in its table."""
    today = data.today
    queues = [q for q in data.queues if q.open_items]
    return {
        "collected": bar_chart(
            title=_("Collected this month and last month, per creditor"),
            heading=_("Creditor"),
            columns=[_("This month"), _("Last month")],
            rows=[
                (c.creditor, [c.this_month, c.last_month], [eur(c.this_month), eur(c.last_month)])
                for c in data.collected
            ],
            series=["this-month", "last-month"],
            legend=[("this-month", _("This month")), ("last-month", _("Last month"))],
            note=_("Payments to the agency and to the creditor, net of returned payments."),
        ),
        "recovery": bar_chart(
            title=_("Recovery rate by month of hand-over"),
            heading=_("Handed over in"),
            columns=[_("Files"), _("Principal"), _("Collected"), _("Rate")],
            rows=[
                (
                    capfirst(date_format(h.month, "YEAR_MONTH_FORMAT")),
                    [h.rate or 0],
                    [str(h.files), eur(h.handed_over), eur(h.collected), _percent(h.rate)],
                )
                for h in data.handovers
            ],
            series=["rate"],
            scale=100,
            note=_(
                "What the debtors of the files handed over that month have paid since, "
                "as a share of the principal."
            ),
        ),
        "queues": bar_chart(
            title=_("Work queues against their due dates"),
            heading=_("Queue"),
            columns=[_("Open"), _("Overdue"), _("Oldest (days)")],
            rows=[
                (
                    q.label,
                    [q.open_items - q.overdue, q.overdue],
                    [
                        str(q.open_items),
                        str(q.overdue),
                        str(q.oldest_age_days(today) or 0),
                    ],
                )
                for q in queues
            ],
            series=["in-time", "overdue-part"],
            legend=[("in-time", _("In time")), ("overdue-part", _("Past the due date"))],
            stacked=True,
            alerts=[bool(q.overdue) for q in queues],
            note=_(
                "Each item is due by the date the law or the agency's policy sets; "
                "queues with no open item are left out."
            ),
        ),
        "states": bar_chart(
            title=_("Open files by stage"),
            heading=_("Stage"),
            columns=[_("Files")],
            rows=[(state_label(state), [n], [str(n)]) for state, n in data.files_by_state],
        ),
    }


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
