"""Writes of the portal: sign-in with lock-out, authenticity checks, phishing reports, proofs of
payment and the record of a statement given.

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
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amicable.disputes.documents import store_debtor_upload
from amicable.domain.calendar import add_working_days
from amicable.files.access_codes import access_code_matches, hash_access_code
from amicable.files.models import Document, DocumentKind, File, WorkItem, WorkItemKind
from amicable.files.numbers import normalize_file_reference
from amicable.files.timeline import EventKind, record_event
from amicable.files.uploads import CheckedUpload
from amicable.portal.models import PhishingReport, ThrottledAttempt, ThrottleScope
from amicable.security.throttle import claim_attempt, locked_until, release

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
#: Authenticity checks per client address within ``WINDOW`` (journey 6: rate-limited, so the
#: page cannot be used to enumerate file numbers).
MAX_CHECKS = 10
#: A phishing report is looked at within two working days (agency policy).
PHISHING_REVIEW_WORKING_DAYS = 2
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


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


class CheckOutcome(StrEnum):
    GENUINE = "genuine"
    NOT_GENUINE = "not_genuine"
    WRONG_IBAN = "wrong_iban"
    LOCKED = "locked"


def check_authenticity(
    *, reference: str, iban: str, structured_communication: str, client_ip: str, now: datetime
) -> CheckOutcome:
    """Whether a file number, IBAN and structured communication are ours (journey 6).

    "Genuine" only when the IBAN is the agency's and the number and communication name the
    same file; nothing else about the file is revealed. An IBAN that is not ours is reported
    apart: it is the clearest warning sign of a fraudulent message.
    """
    claim = claim_attempt(
        ThrottledAttempt,
        [(ThrottleScope.CHECK_IP, client_ip[:64])],
        limit=MAX_CHECKS,
        window=WINDOW,
        now=now,
    )
    if claim.refused:
        return CheckOutcome.LOCKED
    if _compact(iban) != _compact(settings.AMICABLE_AGENCY["iban"]):
        return CheckOutcome.WRONG_IBAN
    digits = "".join(ch for ch in structured_communication if ch.isdigit())
    exists = File.objects.filter(
        reference=normalize_file_reference(reference), structured_communication=digits
    ).exists()
    return CheckOutcome.GENUINE if exists else CheckOutcome.NOT_GENUINE


@transaction.atomic
def report_phishing(
    *,
    channel: str,
    received_on: date | None,
    sender: str,
    content: str,
    reporter_email: str,
    today: date,
) -> PhishingReport:
    """Store a phishing report and put it in the staff queue, due in two working days."""
    report = PhishingReport.objects.create(
        channel=channel,
        received_on=received_on,
        sender=sender,
        content=content,
        reporter_email=reporter_email,
    )
    WorkItem.objects.create(
        kind=WorkItemKind.PHISHING_REPORT,
        title=f"Phishing report {report.pk} ({channel})",
        due_on=add_working_days(today, PHISHING_REVIEW_WORKING_DAYS),
        data={"phishing_report_id": report.pk},
    )
    return report


def record_statement_download(*, file: File, on: date) -> None:
    """A statement of account given to the debtor is on the timeline, like any letter."""
    record_event(
        file,
        EventKind.STATEMENT_DOWNLOADED,
        actor=ACTOR,
        data={"as_of": on.isoformat()},
    )


#: A proof of payment is reviewed within three working days (agency policy,
#: docs/journeys.md, journey 3).
PROOF_REVIEW_WORKING_DAYS = 3
#: When a payment shows on the file (docs/journeys.md, journey 3): paid to the agency, the bank
#: statement of the next days brings it; paid to the creditor, the creditor must report it to us
#: first.
VISIBLE_AFTER_WORKING_DAYS = {"agency": 3, "creditor": 5}


def payment_visible_by(*, paid_on: date, paid_to: str) -> date:
    """The working day by which a payment made on ``paid_on`` should show on the file."""
    return add_working_days(paid_on, VISIBLE_AFTER_WORKING_DAYS[paid_to])


@dataclass(frozen=True, slots=True)
class DeclaredPayment:
    """What the debtor says about the payment a proof shows; each part may be left out.

    Stored on the proof's work item, where the bank import reads ``amount`` and
    ``structured_communication`` to confirm the proof when the payment arrives.
    """

    paid_to: str
    paid_on: date | None = None
    amount: Decimal | None = None
    #: The 12 digits of an OGM, or a compact RF reference (amicable.domain.references).
    structured_communication: str = ""

    def as_data(self) -> dict[str, str]:
        data = {"paid_to": self.paid_to}
        if self.paid_on is not None:
            data["paid_on"] = self.paid_on.isoformat()
        if self.amount is not None:
            data["amount"] = str(self.amount)
        if self.structured_communication:
            data["structured_communication"] = self.structured_communication
        return data


def _proof_title(file: File, declared: DeclaredPayment) -> str:
    """The work item's title, for the agents' queue (staff data, not translated)."""
    what = f"{declared.amount} paid" if declared.amount is not None else "payment"
    when = f" on {declared.paid_on:%d/%m/%Y}" if declared.paid_on is not None else ""
    return f"{file.reference}: proof of {what} to the {declared.paid_to}{when}"


@transaction.atomic
def submit_proof_of_payment(
    *,
    file: File,
    upload: CheckedUpload,
    original_name: str,
    declared: DeclaredPayment,
    today: date,
) -> Document:
    """Store a proof of payment, pending review, and put it in the staff queue (3 working days).

    The proof changes nothing on the ledger: only a bank movement, or an agent who accepts the
    proof, registers a payment.
    """
    if declared.paid_to not in VISIBLE_AFTER_WORKING_DAYS:
        raise ValueError(f"paid_to must be 'agency' or 'creditor', not {declared.paid_to!r}.")
    if declared.amount is not None and declared.amount <= 0:
        raise ValueError(f"A declared amount is more than 0, not {declared.amount}.")
    document = store_debtor_upload(
        file=file, upload=upload, original_name=original_name, kind=DocumentKind.PROOF_OF_PAYMENT
    )
    details = {"document_id": document.pk, **declared.as_data()}
    WorkItem.objects.create(
        kind=WorkItemKind.PROOF_REVIEW,
        file=file,
        document=document,
        title=_proof_title(file, declared),
        due_on=add_working_days(today, PROOF_REVIEW_WORKING_DAYS),
        data=details,
    )
    record_event(
        file,
        EventKind.PROOF_OF_PAYMENT_UPLOADED,
        actor=ACTOR,
        data={**details, "sha256": document.sha256},
    )
    return document


def sign_in_expiry(now: datetime) -> datetime:
    return now + timedelta(seconds=settings.SESSION_COOKIE_AGE)


def local_today() -> date:
    return timezone.localdate()
