"""The timeline: the only way to write an event, and who may read each kind.

Every action on a file lands here with who did it (invariant 4 of ``docs/architecture.md``).
Each :class:`EventKind` carries its audience: staff read every event; the debtor's portal shows
the kinds meant for the debtor; a creditor (API, creditor pages) only the kinds meant for
creditors. A debtor's sign-ins, their IP address, calls, notes and the agency's internal work
are staff-only: no query for a debtor or a creditor can return them, since those queries ask
:func:`kinds_for` which kinds they may read.

One event is written with :func:`record_event`; many at once (a bank statement, a daily-run
batch) with :func:`record_events`, through the one bulk-copy helper.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from functools import reduce
from types import MappingProxyType
from typing import Any, NamedTuple

from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amicable.files.bulk import JsonText, copy_rows
from amicable.files.chain import seal
from amicable.files.models import Event, File

__all__ = [
    "ERASED",
    "EVENT_LABELS",
    "Audience",
    "EventKind",
    "EventRow",
    "audiences_of",
    "event_label",
    "has_personal_data",
    "is_worded_for_debtor",
    "kinds_for",
    "personal_part",
    "pseudonymise_events",
    "record_event",
    "record_events",
    "to_pseudonymise",
]


class Audience(StrEnum):
    """Who may read an event besides the agency's staff, who read them all."""

    DEBTOR = "debtor"
    CREDITOR = "creditor"
    STAFF = "staff"


class EventKind(StrEnum):
    """What happened; the values are stored, a person reads :attr:`label`."""

    @property
    def label(self) -> str:
        return str(EVENT_LABELS[self])

    # The file and its claims.
    FILE_CREATED = "file_created"
    CLAIM_ADDED = "claim_added"
    STATE_CHANGED = "state_changed"
    FIRST_REMINDER_DATED = "first_reminder_dated"
    FIRST_REMINDER_MISSING = "first_reminder_missing"
    INDEMNITY_TRIMMED = "indemnity_trimmed"
    INTEREST_RATE_ADJUSTED = "interest_rate_adjusted"
    RECIPROCITY_DECLARED = "reciprocity_declared"
    # Money.
    INDEMNITY_CHARGED = "indemnity_charged"
    INTEREST_BOOKED = "interest_booked"
    INTEREST_RECALCULATED = "interest_recalculated"
    REMINDER_COST_CHARGED = "reminder_cost_charged"
    CHARGE_REFUSED = "charge_refused"
    CHARGE_REDUCED = "charge_reduced"
    PAYMENT_POSTED = "payment_posted"
    PAYMENT_REVERSED = "payment_reversed"
    OVERPAYMENT = "overpayment"
    CREDIT_REFUNDED = "credit_refunded"
    # What the debtor brings.
    DOCUMENT_UPLOADED = "document_uploaded"
    PROOF_OF_PAYMENT_UPLOADED = "proof_of_payment_uploaded"
    PROOF_ACCEPTED = "proof_accepted"
    PROOF_REJECTED = "proof_rejected"
    PROOF_CONFIRMED = "proof_confirmed"
    DISPUTE_OPENED = "dispute_opened"
    DISPUTE_RESOLVED = "dispute_resolved"
    DOCUMENTS_REQUESTED = "documents_requested"
    DEBT_MEDIATION_DECLARED = "debt_mediation_declared"
    COLLECTIVE_SETTLEMENT_DECLARED = "collective_settlement_declared"
    PAYMENT_PLAN_REQUESTED = "payment_plan_requested"
    PAYMENT_PLAN_AGREED = "payment_plan_agreed"
    PAYMENT_PLAN_REFUSED = "payment_plan_refused"
    PAYMENT_PLAN_BROKEN = "payment_plan_broken"
    # Letters, e-mails and calls.
    LETTER_QUEUED = "letter_queued"
    LETTER_PRODUCED = "letter_produced"
    LETTER_REFUSED = "letter_refused"
    LETTER_REQUEUED = "letter_requeued"
    LETTER_NOT_DELIVERED = "letter_not_delivered"
    LETTER_DISPATCHED = "letter_dispatched"
    LETTER_SENT_BY_POST_INSTEAD = "letter_sent_by_post_instead"
    EMAIL_QUEUED = "email_queued"
    EMAIL_SENT = "email_sent"
    EMAIL_REFUSED = "email_refused"
    EMAIL_ATTEMPT_FAILED = "email_attempt_failed"
    EMAIL_FAILED = "email_failed"
    EMAIL_BOUNCED = "email_bounced"
    CALL_LOGGED = "call_logged"
    CONTACT_REFUSED = "contact_refused"
    # The agency's own work.
    NOTE_ADDED = "note_added"
    DEBT_ACKNOWLEDGED = "debt_acknowledged"
    WORK_ITEM_ASSIGNED = "work_item_assigned"
    WORK_ITEM_CLOSED = "work_item_closed"
    # Access.
    ACCESS_CODE_ISSUED = "access_code_issued"
    PORTAL_SIGN_IN = "portal_sign_in"
    PORTAL_SIGN_IN_FAILED = "portal_sign_in_failed"
    PORTAL_LOCKED = "portal_locked"
    STATEMENT_DOWNLOADED = "statement_downloaded"
    PERSONAL_DATA_DOWNLOADED = "personal_data_downloaded"
    PERSONAL_DATA_ERASED = "personal_data_erased"
    API_TOKEN_ISSUED = "api_token_issued"  # noqa: S105 (an event name, not a secret)
    API_TOKEN_REVOKED = "api_token_revoked"  # noqa: S105 (an event name, not a secret)
    STAFF_ACCOUNT_CREATED = "staff_account_created"
    STAFF_ACCOUNT_CHANGED = "staff_account_changed"
    STAFF_SIGNED_IN = "staff_signed_in"
    STAFF_SIGNED_OUT = "staff_signed_out"
    STAFF_SIGN_IN_FAILED = "staff_sign_in_failed"
    STAFF_SIGN_IN_LOCKED = "staff_sign_in_locked"
    STAFF_TWO_FACTOR_SET_UP = "staff_two_factor_set_up"
    STAFF_TWO_FACTOR_FAILED = "staff_two_factor_failed"
    STAFF_TWO_FACTOR_RESET = "staff_two_factor_reset"


#: What a person reads for each kind, in the reader's language (the back office's timeline and
#: audit trail, the admin). One label per kind: ``tests/files/test_timeline_labels.py`` checks
#: that no kind is left without one.
EVENT_LABELS: Mapping[EventKind, Promise] = MappingProxyType(
    {
        EventKind.FILE_CREATED: _("File received"),
        EventKind.RECIPROCITY_DECLARED: _("Damages clause declared"),
        EventKind.LETTER_DISPATCHED: _("Letter sent"),
        EventKind.LETTER_SENT_BY_POST_INSTEAD: _("Letter sent by post instead"),
        EventKind.CLAIM_ADDED: _("Invoice added"),
        EventKind.STATE_CHANGED: _("Stage changed"),
        EventKind.FIRST_REMINDER_DATED: _("First reminder dated"),
        EventKind.FIRST_REMINDER_MISSING: _("No first reminder given"),
        EventKind.INDEMNITY_TRIMMED: _("Indemnity reduced to what the law allows"),
        EventKind.INTEREST_RATE_ADJUSTED: _("Interest rate adjusted to the legal cap"),
        EventKind.INDEMNITY_CHARGED: _("Lump-sum indemnity charged"),
        EventKind.INTEREST_BOOKED: _("Interest booked"),
        EventKind.INTEREST_RECALCULATED: _("Interest counted again"),
        EventKind.REMINDER_COST_CHARGED: _("Reminder cost charged"),
        EventKind.CHARGE_REFUSED: _("Charge refused by the rules"),
        EventKind.CHARGE_REDUCED: _("Charge reduced"),
        EventKind.PAYMENT_POSTED: _("Payment posted"),
        EventKind.PAYMENT_REVERSED: _("Payment returned by the bank"),
        EventKind.OVERPAYMENT: _("Overpayment"),
        EventKind.CREDIT_REFUNDED: _("Credit paid back"),
        EventKind.DOCUMENT_UPLOADED: _("Document added"),
        EventKind.PROOF_OF_PAYMENT_UPLOADED: _("Proof of payment received"),
        EventKind.PROOF_ACCEPTED: _("Proof of payment accepted"),
        EventKind.PROOF_REJECTED: _("Proof of payment refused"),
        EventKind.PROOF_CONFIRMED: _("Proof of payment confirmed by the bank"),
        EventKind.DISPUTE_OPENED: _("Dispute received"),
        EventKind.DISPUTE_RESOLVED: _("Dispute decided"),
        EventKind.DOCUMENTS_REQUESTED: _("Supporting documents requested"),
        EventKind.DEBT_MEDIATION_DECLARED: _("Debt mediation declared"),
        EventKind.COLLECTIVE_SETTLEMENT_DECLARED: _("Collective debt settlement declared"),
        EventKind.PAYMENT_PLAN_REQUESTED: _("Payment plan requested"),
        EventKind.PAYMENT_PLAN_AGREED: _("Payment plan agreed"),
        EventKind.PAYMENT_PLAN_REFUSED: _("Payment plan refused"),
        EventKind.PAYMENT_PLAN_BROKEN: _("Payment plan ended unpaid"),
        EventKind.LETTER_QUEUED: _("Letter queued"),
        EventKind.LETTER_PRODUCED: _("Letter sent"),
        EventKind.LETTER_REFUSED: _("Letter refused by a rule"),
        EventKind.LETTER_REQUEUED: _("Letter queued again"),
        EventKind.LETTER_NOT_DELIVERED: _("Letter not delivered"),
        EventKind.EMAIL_QUEUED: _("E-mail queued"),
        EventKind.EMAIL_SENT: _("E-mail sent"),
        EventKind.EMAIL_REFUSED: _("E-mail refused by a rule"),
        EventKind.EMAIL_ATTEMPT_FAILED: _("E-mail attempt failed"),
        EventKind.EMAIL_FAILED: _("E-mail failed"),
        EventKind.EMAIL_BOUNCED: _("E-mail bounced"),
        EventKind.CALL_LOGGED: _("Call logged"),
        EventKind.CONTACT_REFUSED: _("Contact refused by the rules"),
        EventKind.NOTE_ADDED: _("Note"),
        EventKind.DEBT_ACKNOWLEDGED: _("Written acknowledgement of the debt recorded"),
        EventKind.WORK_ITEM_ASSIGNED: _("Work item assigned"),
        EventKind.WORK_ITEM_CLOSED: _("Work item closed"),
        EventKind.ACCESS_CODE_ISSUED: _("Portal access code issued"),
        EventKind.PORTAL_SIGN_IN: _("Debtor signed in"),
        EventKind.PORTAL_SIGN_IN_FAILED: _("Debtor sign-in failed"),
        EventKind.PORTAL_LOCKED: _("Portal sign-in locked"),
        EventKind.STATEMENT_DOWNLOADED: _("Statement downloaded"),
        EventKind.PERSONAL_DATA_DOWNLOADED: _("Personal data downloaded"),
        EventKind.PERSONAL_DATA_ERASED: _("Personal data erased"),
        EventKind.API_TOKEN_ISSUED: _("API token issued"),
        EventKind.API_TOKEN_REVOKED: _("API token revoked"),
        EventKind.STAFF_ACCOUNT_CREATED: _("Staff account created"),
        EventKind.STAFF_ACCOUNT_CHANGED: _("Staff account changed"),
        EventKind.STAFF_SIGNED_IN: _("Staff member signed in"),
        EventKind.STAFF_SIGNED_OUT: _("Staff member signed out"),
        EventKind.STAFF_SIGN_IN_FAILED: _("Staff sign-in failed"),
        EventKind.STAFF_SIGN_IN_LOCKED: _("Staff sign-in locked"),
        EventKind.STAFF_TWO_FACTOR_SET_UP: _("Two-step sign-in set up"),
        EventKind.STAFF_TWO_FACTOR_FAILED: _("Two-step sign-in code refused"),
        EventKind.STAFF_TWO_FACTOR_RESET: _("Two-step sign-in reset"),
    }
)


def event_label(kind: str) -> str:
    """The label of a stored kind; a kind no longer known is shown as stored."""
    try:
        return EventKind(kind).label
    except ValueError:
        return kind


_EVERYONE = frozenset({Audience.DEBTOR, Audience.CREDITOR, Audience.STAFF})
_CREDITOR = frozenset({Audience.CREDITOR, Audience.STAFF})
_DEBTOR = frozenset({Audience.DEBTOR, Audience.STAFF})
_STAFF = frozenset({Audience.STAFF})

# Who reads each kind. The debtor reads what happened to their debt and what they did; the
# creditor what happened to the claims it handed over; neither reads the agency's internal
# work, contacts, sign-ins or IP addresses. A debtor's over-indebtedness declaration and the
# mediator's contact details stay between the debtor and the agency: the creditor learns that
# collection stopped from the state change.
_AUDIENCES: Mapping[EventKind, frozenset[Audience]] = MappingProxyType(
    {
        EventKind.FILE_CREATED: _EVERYONE,
        EventKind.CLAIM_ADDED: _EVERYONE,
        EventKind.STATE_CHANGED: _EVERYONE,
        EventKind.FIRST_REMINDER_DATED: _EVERYONE,
        EventKind.FIRST_REMINDER_MISSING: _CREDITOR,
        EventKind.INDEMNITY_TRIMMED: _CREDITOR,
        EventKind.INTEREST_RATE_ADJUSTED: _CREDITOR,
        EventKind.INDEMNITY_CHARGED: _EVERYONE,
        EventKind.INTEREST_BOOKED: _EVERYONE,
        EventKind.INTEREST_RECALCULATED: _EVERYONE,
        EventKind.REMINDER_COST_CHARGED: _EVERYONE,
        EventKind.CHARGE_REFUSED: _CREDITOR,
        EventKind.RECIPROCITY_DECLARED: _CREDITOR,
        EventKind.CHARGE_REDUCED: _EVERYONE,
        EventKind.PAYMENT_POSTED: _EVERYONE,
        EventKind.PAYMENT_REVERSED: _EVERYONE,
        EventKind.OVERPAYMENT: _EVERYONE,
        EventKind.CREDIT_REFUNDED: _EVERYONE,
        EventKind.DOCUMENT_UPLOADED: _EVERYONE,
        EventKind.PROOF_OF_PAYMENT_UPLOADED: _EVERYONE,
        EventKind.PROOF_ACCEPTED: _EVERYONE,
        EventKind.PROOF_REJECTED: _EVERYONE,
        EventKind.PROOF_CONFIRMED: _EVERYONE,
        EventKind.DISPUTE_OPENED: _EVERYONE,
        EventKind.DISPUTE_RESOLVED: _EVERYONE,
        EventKind.DOCUMENTS_REQUESTED: _EVERYONE,
        EventKind.DEBT_MEDIATION_DECLARED: _DEBTOR,
        EventKind.COLLECTIVE_SETTLEMENT_DECLARED: _DEBTOR,
        EventKind.PAYMENT_PLAN_REQUESTED: _EVERYONE,
        EventKind.PAYMENT_PLAN_AGREED: _EVERYONE,
        EventKind.PAYMENT_PLAN_REFUSED: _EVERYONE,
        EventKind.PAYMENT_PLAN_BROKEN: _EVERYONE,
        EventKind.LETTER_QUEUED: _STAFF,
        EventKind.LETTER_PRODUCED: _EVERYONE,
        EventKind.LETTER_REFUSED: _STAFF,
        EventKind.LETTER_REQUEUED: _STAFF,
        EventKind.LETTER_NOT_DELIVERED: _STAFF,
        # The day a letter left is the day its periods count from: the debtor and the
        # creditor both read it, and the debtor learns why a letter comes by post instead.
        EventKind.LETTER_DISPATCHED: _EVERYONE,
        EventKind.LETTER_SENT_BY_POST_INSTEAD: _DEBTOR,
        EventKind.EMAIL_QUEUED: _STAFF,
        EventKind.EMAIL_SENT: _DEBTOR,
        EventKind.EMAIL_REFUSED: _STAFF,
        EventKind.EMAIL_ATTEMPT_FAILED: _STAFF,
        EventKind.EMAIL_FAILED: _STAFF,
        EventKind.EMAIL_BOUNCED: _STAFF,
        EventKind.CALL_LOGGED: _STAFF,
        EventKind.CONTACT_REFUSED: _STAFF,
        EventKind.NOTE_ADDED: _STAFF,
        # The creditor reads why its claims' prescription clocks restarted (docs/legal.md,
        # section 8); the debtor holds the letter they signed.
        EventKind.DEBT_ACKNOWLEDGED: _CREDITOR,
        EventKind.WORK_ITEM_ASSIGNED: _STAFF,
        EventKind.WORK_ITEM_CLOSED: _STAFF,
        EventKind.ACCESS_CODE_ISSUED: _STAFF,
        EventKind.PORTAL_SIGN_IN: _STAFF,
        EventKind.PORTAL_SIGN_IN_FAILED: _STAFF,
        EventKind.PORTAL_LOCKED: _STAFF,
        EventKind.STATEMENT_DOWNLOADED: _DEBTOR,
        EventKind.PERSONAL_DATA_DOWNLOADED: _DEBTOR,
        # The creditor reads why the debtor's name and address are gone from the file.
        EventKind.PERSONAL_DATA_ERASED: _CREDITOR,
        EventKind.API_TOKEN_ISSUED: _STAFF,
        EventKind.API_TOKEN_REVOKED: _STAFF,
        EventKind.STAFF_ACCOUNT_CREATED: _STAFF,
        EventKind.STAFF_ACCOUNT_CHANGED: _STAFF,
        EventKind.STAFF_SIGNED_IN: _STAFF,
        EventKind.STAFF_SIGNED_OUT: _STAFF,
        EventKind.STAFF_SIGN_IN_FAILED: _STAFF,
        EventKind.STAFF_SIGN_IN_LOCKED: _STAFF,
        EventKind.STAFF_TWO_FACTOR_SET_UP: _STAFF,
        EventKind.STAFF_TWO_FACTOR_FAILED: _STAFF,
        EventKind.STAFF_TWO_FACTOR_RESET: _STAFF,
    }
)


def audiences_of(kind: EventKind | str) -> frozenset[Audience]:
    """Who may read an event of ``kind`` (staff always may).

    >>> sorted(audiences_of(EventKind.PORTAL_SIGN_IN))
    [<Audience.STAFF: 'staff'>]
    """
    return _AUDIENCES[EventKind(kind)]


def kinds_for(audience: Audience) -> frozenset[EventKind]:
    """The kinds of event ``audience`` may read.

    >>> EventKind.PORTAL_SIGN_IN in kinds_for(Audience.CREDITOR)
    False
    """
    return frozenset(kind for kind, readers in _AUDIENCES.items() if audience in readers)


# The kinds whose message is written to the debtor, in the debtor's language, when the event is
# recorded (a proof accepted, a plan refused, a dispute answered...): the portal shows it as it
# is. Every other message is the agency's own note, in English: the portal shows the kind's
# label in the debtor's language instead (amicable.files.history).
_WORDED_FOR_DEBTOR = frozenset(
    {
        EventKind.OVERPAYMENT,
        EventKind.PROOF_ACCEPTED,
        EventKind.PROOF_REJECTED,
        EventKind.PROOF_CONFIRMED,
        EventKind.DISPUTE_RESOLVED,
        EventKind.PAYMENT_PLAN_REQUESTED,
        EventKind.PAYMENT_PLAN_AGREED,
        EventKind.PAYMENT_PLAN_REFUSED,
        EventKind.PAYMENT_PLAN_BROKEN,
    }
)


def is_worded_for_debtor(kind: EventKind | str) -> bool:
    """Whether an event of ``kind`` carries a message written to the debtor in their language.

    >>> is_worded_for_debtor(EventKind.PROOF_REJECTED), is_worded_for_debtor(EventKind.NOTE_ADDED)
    (True, False)
    """
    return EventKind(kind) in _WORDED_FOR_DEBTOR


# What of an event is personal data, besides its message (free text, which may hold anything:
# a creditor's reason, an agent's words to the debtor, the name of an upload): the keys of its
# data that hold an address, an e-mail address or an agent's note, by kind. A failed staff
# sign-in's actor is whatever was typed as a user name, which may be anyone's name or address.
# The debtor acts on the timeline as the portal ("portal"), which names no one.
_PERSONAL_KEYS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        EventKind.PORTAL_SIGN_IN: frozenset({"ip"}),
        EventKind.PORTAL_SIGN_IN_FAILED: frozenset({"ip"}),
        EventKind.PORTAL_LOCKED: frozenset({"ip"}),
        EventKind.STAFF_SIGNED_IN: frozenset({"client_ip"}),
        EventKind.STAFF_SIGN_IN_FAILED: frozenset({"client_ip"}),
        EventKind.STAFF_SIGN_IN_LOCKED: frozenset({"client_ip"}),
        EventKind.STAFF_TWO_FACTOR_FAILED: frozenset({"client_ip"}),
        EventKind.EMAIL_REFUSED: frozenset({"to"}),
        EventKind.EMAIL_FAILED: frozenset({"to"}),
        EventKind.EMAIL_BOUNCED: frozenset({"to"}),
        EventKind.LETTER_SENT_BY_POST_INSTEAD: frozenset({"to"}),
        EventKind.DISPUTE_RESOLVED: frozenset({"explanation"}),
        EventKind.PAYMENT_PLAN_AGREED: frozenset({"note"}),
        EventKind.PAYMENT_PLAN_REFUSED: frozenset({"note"}),
        EventKind.PROOF_ACCEPTED: frozenset({"note"}),
        EventKind.PROOF_REJECTED: frozenset({"note"}),
    }
)
_TYPED_ACTOR: frozenset[str] = frozenset(
    {EventKind.STAFF_SIGN_IN_FAILED, EventKind.STAFF_SIGN_IN_LOCKED}
)
#: The actor and the message of an event once pseudonymised.
ERASED = "erased"
_CHUNK = 1000


def has_personal_data(kind: EventKind | str) -> bool:
    """Whether an event of ``kind`` has personal data beyond its message (data keys, actor).

    >>> has_personal_data(EventKind.PORTAL_SIGN_IN), has_personal_data(EventKind.PAYMENT_POSTED)
    (True, False)
    """
    return EventKind(kind) in _PERSONAL_KEYS or EventKind(kind) in _TYPED_ACTOR


def personal_part(kind: str) -> tuple[frozenset[str], bool]:
    """The personal keys of the data of an event of ``kind`` (as stored), and whether its
    actor is typed by anyone: what :func:`pseudonymise_events` takes out, and what the hash
    chain covers through a digest (``files.chain``).

    >>> personal_part("portal_sign_in"), personal_part("payment_posted")
    ((frozenset({'ip'}), False), (frozenset(), False))
    """
    # Looked up as stored: a kind this version no longer knows has no personal keys.
    return _PERSONAL_KEYS.get(kind, frozenset()), kind in _TYPED_ACTOR


def to_pseudonymise() -> Q:
    """The events :func:`pseudonymise_events` would change: a message, a personal key of their
    data, or a typed actor left (for a dry run's counts and for finding what is left to do)."""
    still: list[Q] = [~Q(message="")]
    still += [
        Q(kind=kind, data__has_key=key) for kind, keys in _PERSONAL_KEYS.items() for key in keys
    ]
    still.append(Q(kind__in=sorted(_TYPED_ACTOR)) & ~Q(actor=ERASED))
    return reduce(operator.or_, still)


def pseudonymise_events(event_ids: Sequence[int]) -> int:
    """Take the personal data out of these events (docs/legal.md, section 7); returns how many
    changed.

    The only change ever made to a written event (the database's triggers refuse any other):
    its message is emptied, the personal keys of its data (:data:`_PERSONAL_KEYS`) are removed,
    a typed actor becomes ``erased`` and the seal of its personal digest is erased, so the
    digest the hash chain keeps can no longer be tied to what was erased (``files.chain``). Its
    kind, time, file and the rest of its data (ids, amounts, dates, states) stay, so the
    timeline still tells what happened, and when, without saying to whom, and its chain still
    verifies. Running it again changes nothing. Set-based: one read and at most two writes per
    thousand events.
    """
    changed = 0
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rewritten: list[Event] = []
        for pk, kind, actor, data in Event.objects.filter(pk__in=chunk).values_list(
            "pk", "kind", "actor", "data"
        ):
            personal, _typed = personal_part(kind)
            kept = data
            if isinstance(data, dict) and personal & data.keys():
                kept = {key: value for key, value in data.items() if key not in personal}
            typed = kind in _TYPED_ACTOR and actor != ERASED
            if kept is not data or typed:
                rewritten.append(
                    Event(pk=pk, message="", data=kept, actor=ERASED if typed else actor, seal="")
                )
        Event.objects.bulk_update(rewritten, ["message", "data", "actor", "seal"])
        # The others keep their data and actor: only a message is left to empty.
        emptied = Event.objects.filter(pk__in=chunk).exclude(message="").update(message="", seal="")
        changed += len(rewritten) + emptied
    return changed


class EventRow(NamedTuple):
    """One event to write with :func:`record_events`; the time is the moment of writing."""

    file_id: int | None
    kind: EventKind
    actor: str
    message: str = ""
    data: dict[str, Any] = {}


_ROW_FIELDS = (
    "file_id",
    "kind",
    "actor",
    "message",
    "data",
    "at",
    "seal",
    "personal_digest",
    "chain_hash",
)


def record_event(
    file: File | None,
    kind: EventKind,
    *,
    actor: str,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    """Write one event of ``kind`` on ``file`` (None: an event of no file, such as a staff
    sign-in), by ``actor``, chained to the file's timeline."""
    event = Event(
        file=file,
        kind=EventKind(kind).value,
        actor=actor,
        message=message[:500],
        data=data or {},
    )
    with transaction.atomic():
        seal(Event, [event.__dict__])
        event.save(force_insert=True)
    return event


def record_events(
    rows: Iterable[EventRow], *, new_files: bool = False, locked: bool = False
) -> None:
    """Write many events at once (a bank statement's, a daily-run batch's), in their order,
    chained to their files' timelines (the last hash of each file read in one query);
    ``new_files`` and ``locked`` as for :func:`files.chain.seal` (the hand-over's first
    events; a writer that holds its files' locks)."""
    values = [
        {
            "file_id": row.file_id,
            "kind": EventKind(row.kind).value,
            "actor": row.actor,
            "message": row.message[:500],
            "data": row.data,
        }
        for row in rows
    ]
    if not values:
        return
    with transaction.atomic():
        texts = seal(Event, values, new_files=new_files, locked=locked)
        for row, text in zip(values, texts, strict=True):
            if text is not None:
                row["data"] = JsonText(text)  # the JSON hashed, inserted as it is
        copy_rows(Event, _ROW_FIELDS, ([row[name] for name in _ROW_FIELDS] for row in values))
