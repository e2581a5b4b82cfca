"""The contact guard: the one door of every outbound contact with a debtor or their mediator.

A letter, an e-mail, an SMS, a phone call an agent logs, a home visit: each is first asked of
:func:`request_contact`, which

1. locks the file, then the debtor (the frequency limits count per debtor, so two agents on
   two files of one debtor are judged one after the other, never both against the same past);
2. reads the debtor's recent allowed contacts (:class:`~amicable.letters.models.ContactAttempt`);
3. asks :func:`amicable.domain.contact.check_contact`, where the rules live with their articles
   (docs/legal.md, section 4: no third party, nothing while collection is suspended or a dispute is
   being checked, the hours, Sundays and legal holidays, at most one call a day and three a
   week);
4. records the attempt, allowed or refused, with the reason and the article;
5. puts a refusal on the file's timeline, where agents see it.

The caller acts only on an allowed decision. Nothing here sends or prints anything.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from amicable.domain.contact import (
    DEFAULT_CONTACT_POLICY,
    ContactChannel,
    ContactDecision,
    ContactPurpose,
    ContactRefusal,
    PastContact,
    Recipient,
    check_contact,
)
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files.ledger import lock_file
from amicable.files.models import Debtor, File
from amicable.files.timeline import EventKind, record_event
from amicable.letters.models import ContactAttempt

__all__ = [
    "TIME_REFUSALS",
    "contact_of_kind",
    "log_phone_call",
    "predict_contact",
    "recent_contacts",
    "request_contact",
    "request_contact_attempt",
    "state_for_guard",
]

#: Refusals that only say "not now": the same contact passes at ``next_allowed_at``.
TIME_REFUSALS: frozenset[str] = frozenset(
    {
        ContactRefusal.OUTSIDE_HOURS,
        ContactRefusal.SUNDAY,
        ContactRefusal.LEGAL_HOLIDAY,
        ContactRefusal.TOO_MANY_CALLS_TODAY,
        ContactRefusal.TOO_MANY_CALLS_THIS_WEEK,
        ContactRefusal.TOO_MANY_CONTACTS_THIS_WEEK,
    }
)

_WEEK = timedelta(days=7)

# Why each letter is sent and to whom, as the contact rules see it. The acknowledgement and the
# outcome of a dispute, and what the debtor asked for (a statement, a plan, the decision on
# their proof), pass a suspension; the claim declaration goes to the court-appointed mediator
# (Judicial Code art. 1675/9).
_CONTACT_OF_KIND: dict[LetterKind, tuple[ContactPurpose, Recipient]] = {
    LetterKind.FIRST_REMINDER: (ContactPurpose.COLLECTION, Recipient.DEBTOR),
    LetterKind.FORMAL_NOTICE: (ContactPurpose.COLLECTION, Recipient.DEBTOR),
    LetterKind.FOLLOW_UP_REMINDER: (ContactPurpose.COLLECTION, Recipient.DEBTOR),
    LetterKind.PAYMENT_PLAN_CONFIRMATION: (ContactPurpose.REQUESTED_BY_DEBTOR, Recipient.DEBTOR),
    LetterKind.PROOF_DECISION: (ContactPurpose.REQUESTED_BY_DEBTOR, Recipient.DEBTOR),
    LetterKind.DISPUTE_ACKNOWLEDGEMENT: (ContactPurpose.DISPUTE_ACKNOWLEDGEMENT, Recipient.DEBTOR),
    LetterKind.DISPUTE_OUTCOME: (ContactPurpose.DISPUTE_RESOLUTION, Recipient.DEBTOR),
    LetterKind.STATEMENT_OF_ACCOUNT: (ContactPurpose.REQUESTED_BY_DEBTOR, Recipient.DEBTOR),
    LetterKind.MEDIATOR_CLAIM_DECLARATION: (
        ContactPurpose.MEDIATOR_DECLARATION,
        Recipient.MEDIATOR,
    ),
}


def contact_of_kind(kind: LetterKind) -> tuple[ContactPurpose, Recipient]:
    """The purpose and the recipient of a letter of ``kind``, for the contact guard."""
    return _CONTACT_OF_KIND[LetterKind(kind)]


def state_for_guard(state: FileState, letter_kind: LetterKind | None) -> FileState:
    """The state in which the guard judges a contact.

    The file's own state, with one exception: the daily run moves a file from
    FIRST_REMINDER_PENDING to GRACE_PERIOD in the very run that queues its free first reminder
    (the 14-day period counts from the sending day, CEL art. XIX.2), so by the time the letter
    is printed or e-mailed the file already waits on it. That letter is judged in the state
    it was queued for; every other contact in GRACE_PERIOD is still refused (nothing but the
    first reminder before the formal notice, CEL art. XIX.7 §1).
    """
    if letter_kind is LetterKind.FIRST_REMINDER and state is FileState.GRACE_PERIOD:
        return FileState.FIRST_REMINDER_PENDING
    return state


def recent_contacts(*, debtor_id: int, at: datetime) -> list[PastContact]:
    """The debtor's allowed contacts of the 7 days before ``at``, on every file and channel.

    Every allowed contact counts, whatever its purpose: a stricter count than collection
    contacts alone, the safer reading for the consumer (messages that a dispute or the
    debtor's own request calls for pass the limits anyway, ``check_contact``). A contact that
    did not happen (an e-mail the server refused) reached nobody and does not count.
    """
    return [
        PastContact(channel=ContactChannel(channel), at=moment)
        for channel, moment in ContactAttempt.objects.filter(
            debtor_id=debtor_id,
            allowed=True,
            completed=True,
            recipient=Recipient.DEBTOR,
            at__gt=at - _WEEK,
            at__lte=at,
        ).values_list("channel", "at")
    ]


def predict_contact(
    *,
    file: File,
    channel: ContactChannel,
    purpose: ContactPurpose,
    recipient: Recipient,
    at: datetime,
    letter_kind: LetterKind | None = None,
) -> ContactDecision:
    """What the guard would answer at ``at``, without recording anything.

    For planning only (when to try an e-mail first); the contact itself must still go through
    :func:`request_contact` when it is made.
    """
    return check_contact(
        channel=channel,
        at=at,
        state=state_for_guard(file.file_state, letter_kind),
        recipient=recipient,
        purpose=purpose,
        recent=recent_contacts(debtor_id=file.debtor_id, at=at),
        policy=DEFAULT_CONTACT_POLICY,
    )


@transaction.atomic
def request_contact_attempt(
    *,
    file: File,
    channel: ContactChannel,
    purpose: ContactPurpose,
    recipient: Recipient,
    actor: str,
    at: datetime,
    note: str = "",
    letter_kind: LetterKind | None = None,
) -> tuple[ContactAttempt, ContactDecision]:
    """:func:`request_contact`, returning the recorded attempt too."""
    file = lock_file(file.pk)
    # The frequency limits count per debtor: lock the debtor after the file (the order every
    # caller takes), so that two contacts with one debtor are judged one after the other.
    Debtor.objects.select_for_update().filter(pk=file.debtor_id).values_list("pk").first()
    channel, purpose, recipient = (
        ContactChannel(channel),
        ContactPurpose(purpose),
        Recipient(recipient),
    )
    decision = check_contact(
        channel=channel,
        at=at,
        state=state_for_guard(file.file_state, letter_kind),
        recipient=recipient,
        purpose=purpose,
        recent=recent_contacts(debtor_id=file.debtor_id, at=at),
        policy=DEFAULT_CONTACT_POLICY,
    )
    attempt = ContactAttempt.objects.create(
        file=file,
        debtor_id=file.debtor_id,
        channel=channel,
        recipient=recipient,
        purpose=purpose,
        at=at,
        allowed=decision.allowed,
        reason=decision.reason or "",
        message="" if decision.allowed else decision.message[:300],
        article=decision.article[:200],
        next_allowed_at=decision.next_allowed_at,
        actor=actor[:100],
        note=note.strip()[:1000],
    )
    if not decision.allowed:
        record_event(
            file,
            EventKind.CONTACT_REFUSED,
            actor=actor,
            message=decision.message,
            data={
                "contact_attempt": attempt.pk,
                "channel": channel.value,
                "recipient": recipient.value,
                "purpose": purpose.value,
                "letter_kind": letter_kind.value if letter_kind else None,
                "reason": decision.reason,
                "article": decision.article,
                "next_allowed_at": decision.next_allowed_at.isoformat()
                if decision.next_allowed_at
                else None,
            },
        )
    return attempt, decision


def request_contact(
    *,
    file: File,
    channel: ContactChannel,
    purpose: ContactPurpose,
    recipient: Recipient,
    actor: str,
    at: datetime,
    note: str = "",
    letter_kind: LetterKind | None = None,
) -> ContactDecision:
    """Ask the contact guard whether ``recipient`` may be contacted about ``file`` now.

    Records the attempt (allowed or refused, with the reason, the article and, for a time
    rule, the next moment it would pass) and puts a refusal on the timeline. ``at`` must be
    timezone-aware. ``letter_kind`` is the letter a written contact carries, if any (see
    :func:`state_for_guard`). Act only on ``decision.allowed``.
    """
    return request_contact_attempt(
        file=file,
        channel=channel,
        purpose=purpose,
        recipient=recipient,
        actor=actor,
        at=at,
        note=note,
        letter_kind=letter_kind,
    )[1]


@transaction.atomic
def log_phone_call(
    *,
    file: File,
    actor: str,
    at: datetime,
    note: str,
    recipient: Recipient = Recipient.DEBTOR,
    purpose: ContactPurpose = ContactPurpose.COLLECTION,
) -> ContactAttempt:
    """Log a phone call an agent makes (or is about to make), through the contact guard.

    Allowed: the call is on the timeline (``call_logged``, with the note; agents only) and
    counts towards the limits of the next ones (one a day, three a week, docs/legal.md, section 4).
    Refused: the attempt is kept and the refusal is on the timeline (``contact_refused``);
    ``attempt.message`` and ``attempt.next_allowed_at`` tell the agent why and when.
    """
    attempt, decision = request_contact_attempt(
        file=file,
        channel=ContactChannel.PHONE,
        purpose=purpose,
        recipient=recipient,
        actor=actor,
        at=at,
        note=note,
    )
    if decision.allowed:
        record_event(
            file,
            EventKind.CALL_LOGGED,
            actor=actor,
            message=note.strip(),
            data={
                "contact_attempt": attempt.pk,
                "channel": ContactChannel.PHONE.value,
                "recipient": Recipient(recipient).value,
                "purpose": ContactPurpose(purpose).value,
            },
        )
    return attempt
