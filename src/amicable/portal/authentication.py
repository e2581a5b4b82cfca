"""The portal's gate: sign-in with a file number and its access code, under a lock-out, and the
throttle of the public authenticity check.

Sign-in throttling (docs/journeys.md, "Getting in"): the access code has 40 bits of entropy, and
online guessing is stopped by counting failures per file number and per client address. Policy:
``MAX_FAILURES`` failures within ``WINDOW`` lock that key until fewer than ``MAX_FAILURES``
remain in the window (at most ``WINDOW`` after the last counted failure); attempts made while
locked are refused without being counted, so a lock cannot be extended for ever by an attacker.
Each attempt is counted before its code is checked, in one locked step with the decision
(:mod:`amicable.security.throttle`): guesses sent in parallel get no more checks than that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from amicable.files.access_codes import access_code_matches, hash_access_code
from amicable.files.models import File
from amicable.files.numbers import normalize_file_reference
from amicable.files.timeline import EventKind, record_event
from amicable.portal.models import ThrottledAttempt, ThrottleScope
from amicable.security.throttle import claim_attempt, locked_until, release

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
#: Authenticity checks per client address within ``WINDOW`` (journey 6: rate-limited, so the
#: page cannot be used to enumerate file numbers).
MAX_CHECKS = 10
#: How the portal appears on the timeline: the debtor, signed in, or anyone on a public page.
ACTOR = "portal"


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
    claim = claim_attempt(
        ThrottledAttempt,
        [(ThrottleScope.SIGN_IN_FILE, normalized), (ThrottleScope.SIGN_IN_IP, client_ip[:64])],
        limit=MAX_FAILURES,
        window=WINDOW,
        now=now,
    )
    if claim.refused:
        return SignInResult(outcome=SignInOutcome.LOCKED, retry_at=claim.retry_at)
    file = File.objects.filter(reference=normalized).select_related("debtor").first()
    if file is None:
        # Spend the same work as a real check, so timing does not tell the number exists.
        hash_access_code(reference=normalized, code=code)
        matches = False
    else:
        matches = access_code_matches(
            reference=file.reference, code=code, stored_hash=file.access_code_hash
        )
    if matches and file is not None:
        release(claim)
        record_event(file, EventKind.PORTAL_SIGN_IN, actor=ACTOR, data={"ip": client_ip})
        return SignInResult(outcome=SignInOutcome.SIGNED_IN, file=file)
    if file is not None:
        record_event(file, EventKind.PORTAL_SIGN_IN_FAILED, actor=ACTOR, data={"ip": client_ip})
        retry_file = locked_until(
            ThrottledAttempt,
            scope=ThrottleScope.SIGN_IN_FILE,
            key=normalized,
            limit=MAX_FAILURES,
            window=WINDOW,
            now=now,
        )
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
    claim = claim_attempt(
        ThrottledAttempt,
        [(ThrottleScope.CHECK_IP, client_ip[:64])],
        limit=MAX_CHECKS,
        window=WINDOW,
        now=now,
    )
    return not claim.refused
