"""The public pages: is this message from us (journey 6), report a phishing message, the
debtor's rights (journey 7), the questions asked most."""

from __future__ import annotations

import os

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amicable.phishing import reports as phishing_reports
from amicable.phishing.authenticity import check_authenticity
from amicable.phishing.models import FraudCampaign
from amicable.portal import authentication, faq
from amicable.portal.forms import AuthenticityForm, PhishingReportForm
from amicable.security.client import client_address

__all__ = ["bench_enabled", "bench_ping", "check", "faq_page", "report_phishing", "rights"]

#: The outcome shown when the client's address made too many checks.
LOCKED = "locked"


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest) -> HttpResponse:
    """Journey 6: is this message really from us (public, rate-limited)."""
    form = AuthenticityForm(request.POST or None)
    outcome = ""
    if request.method == "POST" and form.is_valid():
        if authentication.may_check(client_ip=client_address(request), now=timezone.now()):
            outcome = check_authenticity(
                reference=form.cleaned_data["reference"],
                iban=form.cleaned_data["iban"],
                structured_communication=form.cleaned_data["structured_communication"],
            ).value
        else:
            outcome = LOCKED
    campaigns = FraudCampaign.objects.filter(is_active=True)
    context = {
        "form": form,
        "outcome": outcome,
        "campaigns": campaigns,
        "agency": settings.AMICABLE_AGENCY,
    }
    return render(request, "portal/check.html", context)


@require_http_methods(["GET", "POST"])
def report_phishing(request: HttpRequest) -> HttpResponse:
    form = PhishingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phishing_reports.report_phishing(
            channel=form.cleaned_data["channel"],
            received_on=form.cleaned_data["received_on"],
            sender=form.cleaned_data["sender"],
            content=form.cleaned_data["content"],
            reporter_email=form.cleaned_data["reporter_email"],
            today=timezone.localdate(),
        )
        return render(request, "portal/report_sent.html")
    return render(request, "portal/report.html", {"form": form})


def rights(request: HttpRequest) -> HttpResponse:
    """Journey 7: the debtor's rights and the supervisory authority."""
    return render(request, "portal/rights.html", {"agency": settings.AMICABLE_AGENCY})


def faq_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    entries = faq.search(query)
    return render(request, "portal/faq.html", {"entries": entries, "query": query})


def bench_enabled() -> bool:
    """Whether the benchmark's ceiling page is served: in development, or when the benchmark
    starts the server with ``AMICABLE_BENCH=1``; never in production otherwise."""
    return bool(settings.DEBUG) or os.environ.get("AMICABLE_BENCH") == "1"


def bench_ping(request: HttpRequest) -> HttpResponse:
    """A fixed page through the same middleware, server and database connection as the portal:
    the ceiling that ``bench/portal.py`` compares the file page with."""
    if not bench_enabled():
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("<!doctype html><title>pong</title><p>pong</p>")
