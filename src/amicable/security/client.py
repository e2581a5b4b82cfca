"""The client's address, the key of the per-address lock-outs and of the audit trail.

Behind reverse proxies every request comes from a proxy's address (``REMOTE_ADDR``): taken as
is, five failures from anyone would lock the whole portal and every staff sign-in. Each proxy
appends the address it received the request from to ``X-Forwarded-For`` (nginx:
``proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for``); only the entries added by
*our* proxies can be believed, the rest is whatever the client wrote. With
``TRUSTED_PROXY_COUNT`` = N (README, "Behind a reverse proxy"), the client is the N-th address
from the right of the header; with 0 (the default) the header is never read.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address"]

logger = logging.getLogger(__name__)


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent ``request``, as far as our proxies can tell."""
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    header = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    forwarded = [entry.strip() for entry in header.split(",") if entry.strip()]
    if not forwarded:
        # Not through the proxies (a health check on the local port): the peer is the client.
        return remote
    # Fewer entries than proxies: the request skipped the outer ones; the leftmost entry was
    # then written by the first of ours it reached.
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        logger.warning(
            "X-Forwarded-For entry %r is not an address: check TRUSTED_PROXY_COUNT and the "
            "proxies' configuration.",
            candidate[:100],
        )
        return remote
