"""The portal's gate: sign-in with a file number and its access code, under a lock-out, and the
throttle of the public authenticity check.

Sign-in throttling (journeys.md, "Getting in"): the access code has 40 bits of entropy, and
online guessing is stopped by counting failures per file number and per client address. Policy:
``MAX_FAILURES`` failures within ``WINDOW`` lock that key until fewer than ``MAX_FAILURES``
remain in the window (at most ``WINDOW`` after the last counted failure); attempts made while
locked are refused without being counted, so a lock cannot be extended for ever by an attacker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.db import transaction

from amicable.files.access_codes import access_code_matches, hash_access_code
from amicable.files.models import File
from amicable.files.numbers import normalize_file_reference
from amicable.files.timeline import EventKind, record_event
from amicable.portal.models import ThrottledAttempt, ThrottleScope

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
#: Authenticity checks per client address within ``WINDOW`` (journey 6: rate-limited, so the
#: page cannot be used to enumerate file numbers).
MAX_CHECKS = 10
#: How the portal appears on the timeline: the debtor, signed in, or anyone on a public page.
ACTOR = "portal"


def locked_until(*, scope: ThrottleScope, key: str, limit: int, now: datetime) -> datetime | None:
    """When ``key`` may try again, or None when it is not locked."""
    recent = list(
        ThrottledAttempt.objects.filter(scope=scope, key=key, at__gt=now - WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    # The oldest of the last ``limit`` attempts leaves the window first.
    return recent[-1] + WINDOW


def count_attempt(*, scope: ThrottleScope, key: str, now: datetime) -> None:
    ThrottledAttempt.objects.create(scope=scope, key=key[:64], at=now)


class SignInOutcome(StrEnum):
    SIGNED_IN = "signed_in"
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class SignInResult:
    outcome: SignInOutcome
    file: File | None = None
    retry_at: datetime | None = None


def sign_in(*, reference: str, code: str, client_ip: str, now: datetime) -> SignInResult:
    """Check a file number and access code, counting failures for the lock-out.

    The answer is the same whether the file number exists or not: an unknown number is
    counted and refused exactly like a wrong code.
    """
    normalized = normalize_file_reference(reference)[:64]
    retry_file = locked_until(
        scope=ThrottleScope.SIGN_IN_FILE, key=normalized, limit=MAX_FAILURES, now=now
    )
    retry_ip = locked_until(
        scope=ThrottleScope.SIGN_IN_IP, key=client_ip, limit=MAX_FAILURES, now=now
    )
    file = File.objects.filter(reference=normalized).select_related("debtor").first()
    if retry_file or retry_ip:
        retry_at = max(t for t in (retry_file, retry_ip) if t is not None)
        return SignInResult(outcome=SignInOutcome.LOCKED, retry_at=retry_at)
    if file is None:
        # Spend the same work as a real check, so timing does not tell the number exists.
        hash_access_code(reference=normalized, code=code)
        matches = False
    else:
        matches = access_code_matches(
            reference=file.reference, code=code, stored_hash=file.access_code_hash
        )
    if matches and file is not None:
        record_event(file, EventKind.PORTAL_SIGN_IN, actor=ACTOR, data={"ip": client_ip})
        return SignInResult(outcome=SignInOutcome.SIGNED_IN, file=file)
    with transaction.atomic():
        count_attempt(scope=ThrottleScope.SIGN_IN_FILE, key=normalized, now=now)
        count_attempt(scope=ThrottleScope.SIGN_IN_IP, key=client_ip, now=now)
    retry_file = locked_until(
        scope=ThrottleScope.SIGN_IN_FILE, key=normalized, limit=MAX_FAILURES, now=now
    )
    if file is not None:
        record_event(file, EventKind.PORTAL_SIGN_IN_FAILED, actor=ACTOR, data={"ip": client_ip})
        if retry_file is not None:
            record_event(
                file,
                EventKind.PORTAL_LOCKED,
                actor=ACTOR,
                message=f"Sign-in locked after {MAX_FAILURES} failures until {retry_file}.",
                data={"ip": client_ip, "until": retry_file.isoformat()},
            )
    return SignInResult(outcome=SignInOutcome.REFUSED)


def may_check(*, client_ip: str, now: datetime) -> bool:
    """Count one authenticity check from ``client_ip``; False when that address is locked
    (journey 6: rate-limited, so the page cannot be used to enumerate file numbers)."""
    if locked_until(scope=ThrottleScope.CHECK_IP, key=client_ip, limit=MAX_CHECKS, now=now):
        return False
    count_attempt(scope=ThrottleScope.CHECK_IP, key=client_ip, now=now)
    return True
