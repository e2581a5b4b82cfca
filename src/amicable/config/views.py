"""The home page (where to go) and a health check."""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static


def home(request: HttpRequest) -> HttpResponse:
    # A development or evaluation installation (DEBUG on, as after `make run`) tells whoever
    # opens it where the staff and creditors come in; a production portal speaks to debtors only.
    return render(request, "home.html", {"show_entrances": settings.DEBUG})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The portal's icon, for a browser that asks /favicon.ico (the pages link it)."""
    return HttpResponsePermanentRedirect(static("portal/favicon.svg"))
