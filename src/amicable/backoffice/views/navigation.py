"""Reading a page's query and going back where the agent came from."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["back", "query_int"]


def query_int(value: str | None) -> int | None:
    """A page number or an id from the query string; None for anything else."""
    return int(value) if value is not None and value.isdigit() and len(value) < 18 else None


def back(request: HttpRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if target.startswith("/backoffice/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(fallback)
