"""Letters by e-mail: written in the recipient's language, sent through Django's e-mail
framework (the ``EMAIL_*`` settings), retried with backoff, never lost silently.

An e-mail is queued (:func:`queue_letter_email`) with its subject and its plain-text and HTML
bodies written once, in the debtor's language (or the mediator's: the debtor's), the letter's
PDF attached: the PDF is the letter, on a durable medium (CEL art. XIX.2 accepts an e-mail for
the first reminder). :func:`send_due_emails` sends what is due; before each e-mail it asks the
contact guard (:func:`amicable.letters.guard.request_contact`), since an e-mail is a contact
with hours (docs/legal.md, section 4: Monday to Saturday, 08:00 to 20:00, never on a Sunday or a
legal holiday) and a dispute may have arrived since the letter was produced.

- Sent (the server accepted it): the letter is dispatched that day
  (:func:`amicable.letters.dispatch.record_dispatched`), so a first reminder's 14-day period
  starts the day after the e-mail (CEL art. XIX.2), never earlier; a queued e-mail starts
  nothing.
- Not now (hours, Sunday, holiday, frequency): tried again when the guard allows it.
- Refused for good (a suspended or disputed file...): the e-mail is ``refused``, the letter
  request too, and an agent gets a work item.
- The server failed: tried again after 5 minutes, then 10, 20... at most 6 hours apart; after
  :data:`MAX_ATTEMPTS`, or at once when the server refused the address for good (an SMTP 5xx
  answer), the e-mail is ``failed`` and the letter goes on paper in the next post run
  (:func:`amicable.letters.dispatch.fall_back_to_paper`).
- Bounced later (:func:`mark_bounced`, :func:`mark_bounced_address`, ``amicable letters
  bounced``): ``bounced``, on the timeline, and the letter goes on paper likewise.

Policy where the law is silent: the subject line does not say that the e-mail concerns a debt
("a letter about your file"), as no mark on an envelope may (Book VI CEL; former law of
20 December 2002, art. 3): an inbox list or a phone's lock screen shows a subject to anyone near.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amicable.domain.contact import ContactChannel, ContactPurpose, Recipient
from amicable.domain.mentions import LetterKind
from amicable.files.models import File
from amicable.files.timeline import EventKind, record_event
from amicable.letters.dispatch import fall_back_to_paper, record_dispatched
from amicable.letters.guard import (
    TIME_REFUSALS,
    contact_of_kind,
    predict_contact,
    request_contact_attempt,
)
from amicable.letters.models import ContactAttempt, EmailStatus, OutgoingEmail, SentLetter
from amicable.letters.refusals import record_letter_not_sent

__all__ = [
    "EMAIL_ACTOR",
    "FIRST_RETRY",
    "LONGEST_WAIT",
    "MAX_ATTEMPTS",
    "SendReport",
    "build_message",
    "count_waiting",
    "letter_email_address",
    "mark_bounced",
    "mark_bounced_address",
    "queue_letter_email",
    "record_bounces",
    "retry_delay",
    "send_due_emails",
]

logger = logging.getLogger(__name__)

#: Who sends, on the timeline.
EMAIL_ACTOR = "letters-emails"
#: Attempts before an e-mail is given up and handed to an agent (about a day and a half).
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=5)
LONGEST_WAIT = timedelta(hours=6)
#: How long a sender holds an e-mail it took: another sender leaves it alone meanwhile, and
#: takes it again if the first one died half-way.
LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after ``attempts`` failed attempts: 5 minutes, doubling, at most 6 hours.

    >>> [str(retry_delay(n)) for n in (1, 2, 3, 7, 8)]
    ['0:05:00', '0:10:00', '0:20:00', '5:20:00', '6:00:00']
    """
    if attempts < 1:
        raise ValueError(f"attempts must be 1 or more, not {attempts}.")
    delay: timedelta = FIRST_RETRY * 2 ** (attempts - 1)
    return min(delay, LONGEST_WAIT)


def letter_email_address(file: File, kind: LetterKind) -> str:
    """Where a letter of ``kind`` goes by e-mail: the debtor's address, or the mediator's for
    the claim declaration; empty when none is known."""
    debtor = file.debtor
    if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION:
        return debtor.mediator_email
    return debtor.email


def _kind_title(kind: LetterKind) -> str:
    """The letter's name in a sentence, translated (the active language)."""
    titles = {
        # Translators: the name of a letter in "our letter of <date> about your file: <name>".
        LetterKind.FIRST_REMINDER: _("first reminder, free of charge"),
        LetterKind.FORMAL_NOTICE: _("formal notice"),
        LetterKind.FOLLOW_UP_REMINDER: _("reminder"),
        LetterKind.PAYMENT_PLAN_CONFIRMATION: _("confirmation of your payment plan"),
        LetterKind.PROOF_DECISION: _("decision on your proof of payment"),
        LetterKind.DISPUTE_ACKNOWLEDGEMENT: _("acknowledgement of your dispute"),
        LetterKind.DISPUTE_OUTCOME: _("outcome of the review of your dispute"),
        LetterKind.STATEMENT_OF_ACCOUNT: _("statement of account"),
        LetterKind.MEDIATOR_CLAIM_DECLARATION: _("claim declaration"),
    }
    return titles[kind]


def _paragraphs(letter: SentLetter) -> tuple[str, list[str]]:
    """The subject and the paragraphs of the e-mail that carries ``letter``, in the active
    language, from what the letter printed (its ``content``: amounts and dates already
    written for its language)."""
    view: dict[str, Any] = letter.content
    kind = LetterKind(letter.kind)
    agency = settings.AMICABLE_AGENCY
    reference = letter.file.reference
    if kind is LetterKind.MEDIATOR_CLAIM_DECLARATION:
        mediator = (view.get("mediator") or {}).get("name") or letter.file.debtor.mediator_name
        subject = _("Claim declaration for %(debtor)s (our file %(reference)s)") % {
            "debtor": letter.file.debtor.name,
            "reference": reference,
        }
        paragraphs = [
            _("Dear %(name)s,") % {"name": mediator},
            _(
                "Please find attached, as a PDF document, our claim declaration of %(date)s "
                "for %(debtor)s (our file %(reference)s)."
            )
            % {"date": view["date"], "debtor": letter.file.debtor.name, "reference": reference},
            _("For any question about this file, reply to this e-mail or call us on %(phone)s.")
            % {"phone": agency["phone"]},
        ]
    else:
        # Translators: e-mail subject. It must not say that the e-mail concerns a debt: an
        # inbox or a lock screen shows it to anyone nearby.
        subject = _("A letter about your file %(reference)s") % {"reference": reference}
        paragraphs = [
            _("Dear %(name)s,") % {"name": view["debtor"]["name"]},
            _(
                "Please find attached our letter of %(date)s about your file %(reference)s: "
                "%(title)s."
            )
            % {"date": view["date"], "reference": reference, "title": _kind_title(kind)},
        ]
        payment = view.get("payment")
        if payment:
            paragraphs.append(
                _(
                    "The amount to pay is %(amount)s, by transfer to %(beneficiary)s, account "
                    "%(iban)s, with the structured communication %(communication)s."
                )
                % payment
            )
        if kind is LetterKind.FORMAL_NOTICE and view.get("waiting_period_end"):
            paragraphs.append(
                _(
                    "Up to and including %(date)s you may pay, ask for a payment plan, turn to "
                    "debt mediation or dispute the debt with your reasons: no other step will be "
                    "taken before then."
                )
                % {"date": view["waiting_period_end"]}
            )
        elif payment and (view.get("grace_period_end") or view.get("pay_by")):
            paragraphs.append(
                _("Please pay by %(date)s at the latest.")
                % {"date": view.get("grace_period_end") or view.get("pay_by")}
            )
        paragraphs.append(
            _("The letter is attached to this e-mail as a PDF document; please keep it.")
        )
        portal = view.get("portal")
        if portal:
            paragraphs.append(
                _(
                    "On %(url)s you can see your file, pay, ask for a payment plan or dispute "
                    "the debt, with your file number %(reference)s and the personal access code "
                    "printed on the letter."
                )
                % {"url": portal["url"], "reference": reference}
            )
        paragraphs.append(
            _(
                "If you have a question or difficulty paying, reply to this e-mail or call us "
                "on %(phone)s: we will look for a solution with you."
            )
            % {"phone": agency["phone"]}
        )
    paragraphs.append(
        "\n".join(
            [
                _("Kind regards,"),
                str(agency["name"]),
                _("Registered with the FPS Economy under number %(registration)s.")
                % {"registration": agency["fps_economy_registration"]},
            ]
        )
    )
    return subject, paragraphs


def _sender_domain() -> str:
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def _first_try(file: File, kind: LetterKind, at: datetime) -> datetime:
    """The first moment the guard would let the e-mail go (a plan, not a decision)."""
    purpose, recipient = contact_of_kind(kind)
    decision = predict_contact(
        file=file,
        channel=ContactChannel.EMAIL,
        purpose=purpose,
        recipient=recipient,
        at=at,
        letter_kind=kind,
    )
    if not decision.allowed and decision.reason in TIME_REFUSALS and decision.next_allowed_at:
        return decision.next_allowed_at
    return at


def queue_letter_email(*, letter: SentLetter, actor: str, at: datetime) -> OutgoingEmail:
    """Queue the e-mail that carries ``letter`` (its PDF attached), in the letter's language.

    Raises ``ValueError`` when no address is known (the letter services refuse that letter
    before it is produced).
    """
    file = letter.file
    kind = LetterKind(letter.kind)
    to = letter_email_address(file, kind)
    if not to:
        raise ValueError(f"No e-mail address for the {kind.value} of file {file.reference}.")
    purpose, recipient = contact_of_kind(kind)
    with translation.override(letter.language):
        subject, paragraphs = _paragraphs(letter)
        html = render_to_string(
            "letters/email/message.html",
            {"language": letter.language, "subject": subject, "paragraphs": paragraphs},
        )
    email = OutgoingEmail.objects.create(
        file=file,
        letter=letter,
        to=to,
        recipient=recipient,
        purpose=purpose,
        language=letter.language,
        subject=subject,
        text_body="\n\n".join(paragraphs) + "\n",
        html_body=html,
        attachment_name=f"{file.reference}-{letter.letter_date.isoformat()}.pdf",
        message_id=make_msgid(domain=_sender_domain()),
        next_attempt_at=_first_try(file, kind, at),
        created_by=actor[:100],
    )
    record_event(
        file,
        EventKind.EMAIL_QUEUED,
        actor=actor,
        data={"email": email.pk, "letter": letter.pk, "kind": kind.value},
    )
    return email


def build_message(
    email: OutgoingEmail, *, connection: BaseEmailBackend | None = None
) -> EmailMultiAlternatives:
    """The message as it goes out: plain text, the HTML alternative, the PDF attached."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text_body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        reply_to=[settings.AMICABLE_AGENCY["email"]],
        headers={"Message-ID": email.message_id},
        connection=connection,
    )
    message.attach_alternative(email.html_body, "text/html")
    if email.letter is not None:
        document = email.letter.document
        with document.content.open("rb") as pdf:
            message.attach(email.attachment_name, pdf.read(), "application/pdf")
    return message


@dataclass(slots=True)
class SendReport:
    """What one :func:`send_due_emails` did, e-mail ids by outcome."""

    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    postponed: list[int] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    skipped: int = 0


def _claim(email_id: int, *, now: datetime) -> OutgoingEmail | None:
    """Take a due e-mail for this sender: a conditional UPDATE, so that two senders running
    at once never send the same e-mail twice (the loser updates no row)."""
    taken = OutgoingEmail.objects.filter(
        pk=email_id, status=EmailStatus.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE)
    if not taken:
        return None
    return OutgoingEmail.objects.select_related("file__debtor", "letter__document").get(pk=email_id)


def send_due_emails(
    *, now: datetime | None = None, limit: int = 500, actor: str = EMAIL_ACTOR
) -> SendReport:
    """Send the queued e-mails that are due at ``now`` (default: the current time).

    Safe to run often and from several processes at once. One SMTP connection is opened for
    the run and opened again after a failure.
    """
    now = now or timezone.now()
    report = SendReport()
    due = list(
        OutgoingEmail.objects.filter(status=EmailStatus.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    connection: BaseEmailBackend | None = None
    try:
        for email_id in due:
            email = _claim(email_id, now=now)
            if email is None:
                report.skipped += 1
                continue
            if connection is None:
                connection = get_connection(fail_silently=False)
            if not _send_one(email, now=now, actor=actor, connection=connection, report=report):
                connection.close()
                connection = None
    finally:
        if connection is not None:
            connection.close()
    return report


def _send_one(
    email: OutgoingEmail,
    *,
    now: datetime,
    actor: str,
    connection: BaseEmailBackend,
    report: SendReport,
) -> bool:
    """Send one e-mail through the guard; False when the server failed."""
    kind = LetterKind(email.letter.kind) if email.letter is not None else None
    attempt, decision = request_contact_attempt(
        file=email.file,
        channel=ContactChannel.EMAIL,
        purpose=ContactPurpose(email.purpose),
        recipient=Recipient(email.recipient),
        actor=actor,
        at=now,
        letter_kind=kind,
    )
    if not decision.allowed:
        if decision.reason in TIME_REFUSALS and decision.next_allowed_at is not None:
            OutgoingEmail.objects.filter(pk=email.pk).update(
                next_attempt_at=decision.next_allowed_at
            )
            report.postponed.append(email.pk)
            return True
        _give_up(
            email,
            status=EmailStatus.REFUSED,
            error=decision.message,
            now=now,
            actor=actor,
            what="refused",
        )
        report.refused.append(email.pk)
        return True
    try:
        build_message(email, connection=connection).send()
    except Exception as error:
        # Any failure is recorded and tried again, never lost. Nothing reached the debtor, so
        # the attempt does not count towards the frequency limits.
        ContactAttempt.objects.filter(pk=attempt.pk).update(completed=False)
        _failed(email, error=error, now=now, actor=actor, report=report)
        return False
    _sent(email, now=now, actor=actor)
    report.sent.append(email.pk)
    return True


@transaction.atomic
def _sent(email: OutgoingEmail, *, now: datetime, actor: str) -> None:
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=now, attempts=email.attempts + 1, next_attempt_at=None
    )
    letter = email.letter
    record_event(
        email.file,
        EventKind.EMAIL_SENT,
        actor=actor,
        data={
            "email": email.pk,
            "letter": letter.pk if letter else None,
            "kind": letter.kind if letter else None,
            "sha256": letter.sha256 if letter else None,
        },
    )
    if letter is not None:
        # Accepted by the server today: the letter left today, whatever day it was printed
        # (CEL art. XIX.2: an electronic reminder's period starts the day after sending).
        record_dispatched([letter.pk], on=timezone.localdate(now), actor=actor)


def _failed(
    email: OutgoingEmail, *, error: Exception, now: datetime, actor: str, report: SendReport
) -> None:
    attempts = email.attempts + 1
    text = f"{type(error).__name__}: {error}"[:2000]
    logger.warning(
        "E-mail %s to file %s failed (attempt %s): %s", email.pk, email.file_id, attempts, text
    )
    if attempts >= MAX_ATTEMPTS or is_permanent_failure(error):
        OutgoingEmail.objects.filter(pk=email.pk).update(attempts=attempts)
        email.attempts = attempts
        _give_up(
            email, status=EmailStatus.FAILED, error=text, now=now, actor=actor, what="e-mail failed"
        )
        report.failed.append(email.pk)
        return
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=attempts, last_error=text, next_attempt_at=now + retry_delay(attempts)
    )
    record_event(
        email.file,
        EventKind.EMAIL_ATTEMPT_FAILED,
        actor=actor,
        message=text[:500],
        data={"email": email.pk, "attempt": attempts},
    )
    report.retried.append(email.pk)


def is_permanent_failure(error: Exception) -> bool:
    """Whether the server refused the e-mail for good: every recipient refused, or a 5xx answer
    (RFC 5321, section 4.2.1: a permanent negative completion). Trying again would only be
    refused again; the letter goes on paper at once."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return False


@transaction.atomic
def _give_up(
    email: OutgoingEmail, *, status: EmailStatus, error: str, now: datetime, actor: str, what: str
) -> None:
    """The e-mail will not go: say so on the timeline and to an agent, with the reason."""
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=status,
        last_error=error[:2000],
        next_attempt_at=None,
        bounced_at=now if status == EmailStatus.BOUNCED else None,
    )
    record_event(
        email.file,
        EventKind(f"email_{status}"),
        actor=actor,
        message=error[:500],
        data={"email": email.pk, "to": email.to, "attempts": email.attempts},
    )
    letter = email.letter
    if letter is None:
        return
    if status in (EmailStatus.FAILED, EmailStatus.BOUNCED) and fall_back_to_paper(
        letter=letter, to=email.to, reason=error, at=now, actor=actor
    ):
        return
    record_letter_not_sent(
        file=email.file,
        kind=LetterKind(letter.kind),
        errors=[error],
        actor=actor,
        on=timezone.localdate(now),
        request=letter.request,
        what=what,
        extra={"email": email.pk, "letter": letter.pk},
    )


def mark_bounced(
    message_id: str, reason: str, *, at: datetime | None = None, actor: str = "mail-bounce"
) -> OutgoingEmail | None:
    """Record that the e-mail with this Message-ID came back; None when no e-mail has it.

    The letter it carried did not reach the debtor: the bounce is on the timeline and the
    letter goes on paper in the next post run (an agent's letter, with no queued request: an
    agent gets a work item to send it another way). Marking the same bounce twice changes
    nothing.
    """
    email = (
        OutgoingEmail.objects.select_related("file", "letter__request")
        .filter(message_id=_angled(message_id))
        .first()
    )
    if email is None:
        return None
    return _bounced(email, reason, at=at, actor=actor)


def mark_bounced_address(
    address: str, reason: str, *, at: datetime | None = None, actor: str = "mail-bounce"
) -> OutgoingEmail | None:
    """Record that the last e-mail accepted for ``address`` came back; None when there is none.

    For bounce reports that name the address but not the Message-ID: the most recent e-mail
    the server accepted for that address is the one returned (an earlier one was either
    delivered, or reported already).
    """
    email = (
        OutgoingEmail.objects.select_related("file", "letter__request")
        .filter(to__iexact=address.strip(), status=EmailStatus.SENT)
        .order_by("-sent_at", "-pk")
        .first()
    )
    if email is None:
        return None
    return _bounced(email, reason, at=at, actor=actor)


def _bounced(
    email: OutgoingEmail, reason: str, *, at: datetime | None, actor: str
) -> OutgoingEmail:
    if email.status == EmailStatus.BOUNCED:
        return email
    _give_up(
        email,
        status=EmailStatus.BOUNCED,
        error=reason or "bounced",
        now=at or timezone.now(),
        actor=actor,
        what="e-mail bounced",
    )
    email.refresh_from_db()
    return email


@dataclass(slots=True)
class BounceReport:
    """What :func:`record_bounces` did: bounces recorded now, letters sent again on paper, and
    the values that matched no e-mail the server accepted."""

    recorded: int = 0
    to_paper: int = 0
    unknown: list[str] = field(default_factory=list)


def record_bounces(
    values: list[str], reason: str, *, at: datetime | None = None, actor: str = "mail-bounce"
) -> BounceReport:
    """Record the bounces a report names, each by Message-ID or by address.

    A value is first looked up as a Message-ID (with or without its angle brackets), then as
    the address of the last e-mail the server accepted. A bounce already recorded is not
    recorded again.
    """
    report = BounceReport()
    for value in values:
        email = OutgoingEmail.objects.filter(message_id=_angled(value)).first()
        if email is None:
            email = (
                OutgoingEmail.objects.filter(
                    to__iexact=value.strip(), status__in=[EmailStatus.SENT, EmailStatus.BOUNCED]
                )
                .order_by("-sent_at", "-pk")
                .first()
            )
        if email is None:
            report.unknown.append(value)
            continue
        if email.status != EmailStatus.SENT:
            continue  # reported already, or never accepted (then it failed, not bounced)
        _bounced(email, reason, at=at, actor=actor)
        report.recorded += 1
        if (
            email.letter_id is not None
            and SentLetter.objects.filter(pk=email.letter_id, undelivered_at__isnull=False).exists()
        ):
            report.to_paper += 1
    return report


def _angled(message_id: str) -> str:
    wanted = message_id.strip()
    return wanted if wanted.startswith("<") else f"<{wanted}>"


def count_waiting() -> int:
    """How many e-mails are queued, due now or later (for the command's report)."""
    return OutgoingEmail.objects.filter(status=EmailStatus.QUEUED).count()
