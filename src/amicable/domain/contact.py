"""Who may be contacted about a debt, when, how often, and in which state of the file.

The law of 20 December 2002 on the amicable collection of debts listed, in its art. 3, the
behaviours a collector must never have; Book XIX of the Code of Economic Law (CEL) replaced that
law, and the same behaviours remain forbidden as unfair (misleading or aggressive) commercial
practices under CEL Book VI (art. VI.93 ff., aggressive practices art. VI.101). amicable enforces
them in code, with the reason, rather than by training:

* **No third party** (former law, art. 3 §2): neighbours, family or employer are never contacted
  or informed. A debt mediator is not a third party when the consumer put the debt in their
  hands (amicable debt mediation, CEL Book XIX Title 3; collective debt settlement, Judicial Code
  art. 1675/2 ff.), or for the claim declaration, the settling of a dispute, or what the consumer
  asked to be sent to them.
* **Not while collection is suspended**: a reasoned dispute or a request for the supporting
  documents (CEL art. XIX.7 §3), debt mediation (CEL Book XIX Title 3), a collective settlement
  (Judicial Code art. 1675/7: only the mediator is dealt with). Messages the situation requires
  still pass: the acknowledgement of a dispute, the messages that settle it, and what the
  consumer asked for.
* **Collection steps in their order**: nothing before the formal notice except the free first
  reminder (CEL art. XIX.2 and XIX.7 §1), no further step during the 14-day waiting period
  (art. XIX.7 §3), nothing on a paid or closed file.
* **Hours**: calls and visits between 22:00 and 08:00 are forbidden (former law, art. 3 §2).
  Policy (docs/legal.md, section 4, stricter and configurable within the law): calls, SMS, visits
  and e-mails only Monday to Saturday, 08:00 to 20:00 Belgian time, never on a Sunday or a legal
  public holiday. Letters are posted, not delivered at an hour: no hour rule.
* **Frequency** (policy, against harassment, CEL art. VI.101): at most one call a calendar day
  and three in any 7 days, and at most five contacts in any 7 days over every channel except
  letters. The "7 days" are a rolling window of 168 hours before the contact.

:func:`check_contact` returns a :class:`ContactDecision` instead of raising: a refusal is an
ordinary answer for the back office and the scheduler, with a stable ``reason`` code, a message,
the article, and, for the time rules, the next moment the same contact would be allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from types import MappingProxyType
from zoneinfo import ZoneInfo

from amicable.domain import calendar
from amicable.domain.lifecycle import FileState, rules_for

__all__ = [
    "BRUSSELS",
    "DEFAULT_CONTACT_POLICY",
    "ContactChannel",
    "ContactDecision",
    "ContactPolicy",
    "ContactPurpose",
    "ContactRefusal",
    "PastContact",
    "Recipient",
    "check_contact",
]

BRUSSELS = ZoneInfo("Europe/Brussels")

#: The legal limits of the hours (former law of 20 December 2002, art. 3 §2): no call or visit
#: between 22:00 and 08:00. A policy may be stricter, never looser.
LEGAL_EARLIEST = time(8)
LEGAL_LATEST = time(22)

_WEEK = timedelta(days=7)
_SUNDAY = 6  # date.weekday()

_ART_THIRD_PARTY = (
    "Former law of 20 December 2002, art. 3 §2; CEL art. VI.93 ff. (unfair practices)"
)
_ART_SUSPENDED = "CEL art. XIX.7 §3"
_ART_DISPUTED = "CEL art. XIX.7 §3; former law of 20 December 2002, art. 3 §2"
_ART_MEDIATION = "CEL Book XIX, Title 3 (amicable debt mediation)"
_ART_SETTLEMENT = "Judicial Code art. 1675/7"
_ART_CLOSED = "Old Civil Code art. 1234; CEL art. VI.93 ff. (unfair practices)"
_ART_NOT_STARTED = "CEL art. XIX.2 and XIX.7 §1"
_ART_WAITING = "CEL art. XIX.7 §3"
_ART_HOURS = "Former law of 20 December 2002, art. 3 §2; contact policy (docs/legal.md, section 4)"
_ART_FREQUENCY = "CEL art. VI.101 (aggressive practices); contact policy (docs/legal.md, section 4)"


class ContactChannel(StrEnum):
    """How the debtor (or the mediator) is reached."""

    LETTER = "letter"
    EMAIL = "email"
    SMS = "sms"
    PHONE = "phone"
    HOME_VISIT = "home_visit"


class Recipient(StrEnum):
    """Who is contacted."""

    DEBTOR = "debtor"
    MEDIATOR = "mediator"
    THIRD_PARTY = "third_party"


class ContactPurpose(StrEnum):
    """Why: collection, or a message that a dispute or the consumer's own request calls for."""

    COLLECTION = "collection"
    DISPUTE_RESOLUTION = "dispute_resolution"
    DISPUTE_ACKNOWLEDGEMENT = "dispute_acknowledgement"
    MEDIATOR_DECLARATION = "mediator_declaration"
    #: Documents or a statement the debtor asked for, or the decision on a proof they sent.
    REQUESTED_BY_DEBTOR = "requested_by_debtor"


class ContactRefusal(StrEnum):
    """The stable codes of :attr:`ContactDecision.reason`."""

    THIRD_PARTY = "third_party"
    FILE_SUSPENDED = "file_suspended"
    FILE_DISPUTED = "file_disputed"
    DEBT_MEDIATION = "debt_mediation"
    COLLECTIVE_SETTLEMENT = "collective_settlement"
    FILE_CLOSED = "file_closed"
    #: Before the formal notice only the free first reminder may be sent (CEL art. XIX.7 §1).
    COLLECTION_NOT_STARTED = "collection_not_started"
    #: The 14 days after the formal notice (CEL art. XIX.7 §3).
    WAITING_PERIOD = "waiting_period"
    OUTSIDE_HOURS = "outside_hours"
    SUNDAY = "sunday"
    LEGAL_HOLIDAY = "legal_holiday"
    TOO_MANY_CALLS_TODAY = "too_many_calls_today"
    TOO_MANY_CALLS_THIS_WEEK = "too_many_calls_this_week"
    TOO_MANY_CONTACTS_THIS_WEEK = "too_many_contacts_this_week"


@dataclass(frozen=True, slots=True)
class ContactPolicy:
    """When and how often the debtor may be contacted: the law's limits or stricter ones.

    Hours are Belgian local time; a contact is allowed from ``earliest`` (included) to
    ``latest`` (excluded). ``max_contacts_per_week`` counts every channel except letters.
    A policy that goes beyond the law (before 08:00 or after 22:00, former law of
    20 December 2002 art. 3 §2) raises ``ValueError``.

    >>> ContactPolicy(latest=time(22, 30))
    Traceback (most recent call last):
        ...
    ValueError: A contact policy may not allow contact after 22:00 (former law of 20 December \
2002, art. 3 §2), not until 22:30.
    """

    earliest: time = time(8)
    latest: time = time(20)
    sundays: bool = False
    holidays: bool = False
    max_phone_per_day: int = 1
    max_phone_per_week: int = 3
    max_contacts_per_week: int = 5

    def __post_init__(self) -> None:
        if self.earliest.tzinfo is not None or self.latest.tzinfo is not None:
            raise ValueError("The hours of a contact policy are Belgian local times, without zone.")
        if self.earliest < LEGAL_EARLIEST:
            raise ValueError(
                "A contact policy may not allow contact before 08:00 (former law of "
                f"20 December 2002, art. 3 §2), not from {self.earliest:%H:%M}."
            )
        if self.latest > LEGAL_LATEST:
            raise ValueError(
                "A contact policy may not allow contact after 22:00 (former law of "
                f"20 December 2002, art. 3 §2), not until {self.latest:%H:%M}."
            )
        if self.earliest >= self.latest:
            raise ValueError(
                f"The earliest hour ({self.earliest:%H:%M}) must come before the latest "
                f"({self.latest:%H:%M})."
            )
        for name in ("max_phone_per_day", "max_phone_per_week", "max_contacts_per_week"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number, 0 or more, not {value!r}.")


DEFAULT_CONTACT_POLICY = ContactPolicy()


@dataclass(frozen=True, slots=True)
class PastContact:
    """A contact already made with the debtor (``at`` is timezone-aware)."""

    channel: ContactChannel
    at: datetime


@dataclass(frozen=True, slots=True)
class ContactDecision:
    """The answer of :func:`check_contact`.

    ``reason`` is ``None`` when allowed, else a :class:`ContactRefusal` code. ``next_allowed_at``
    (Europe/Brussels) is set when a time rule (hours, Sunday, holiday, frequency) refused: the
    first moment the same contact would pass every time rule, given ``recent``.
    """

    allowed: bool
    reason: str | None
    message: str
    article: str
    next_allowed_at: datetime | None = None


_ALLOWED = ContactDecision(allowed=True, reason=None, message="Contact allowed.", article="")

# Messages that a dispute, or the consumer's own request, calls for: they pass a suspension and
# are not counted against the frequency limits, which guard against collection pressure.
_REQUIRED_PURPOSES = frozenset(
    {
        ContactPurpose.DISPUTE_ACKNOWLEDGEMENT,
        ContactPurpose.DISPUTE_RESOLUTION,
        ContactPurpose.REQUESTED_BY_DEBTOR,
    }
)
# What may be sent to a mediator outside a mediation or a settlement (else a third party).
_MEDIATOR_PURPOSES = frozenset(
    {
        ContactPurpose.MEDIATOR_DECLARATION,
        ContactPurpose.REQUESTED_BY_DEBTOR,
        ContactPurpose.DISPUTE_RESOLUTION,
    }
)
_MEDIATOR_STATES = frozenset({FileState.DEBT_MEDIATION, FileState.COLLECTIVE_SETTLEMENT})
_WRITTEN = frozenset({ContactChannel.LETTER, ContactChannel.EMAIL})

# Why a state refuses collection messages to the debtor: (code, message, article).
_STATE_REFUSALS: Mapping[FileState, tuple[ContactRefusal, str, str]] = MappingProxyType(
    {
        FileState.SUSPENDED: (
            ContactRefusal.FILE_SUSPENDED,
            "The file is suspended: no collection contact until the suspension is lifted.",
            _ART_SUSPENDED,
        ),
        FileState.DISPUTED: (
            ContactRefusal.FILE_DISPUTED,
            "The debt is disputed: no collection contact, only messages that settle the "
            "dispute, until the file is checked.",
            _ART_DISPUTED,
        ),
        FileState.DEBT_MEDIATION: (
            ContactRefusal.DEBT_MEDIATION,
            "A debt mediation runs: collection is suspended; deal with the mediator.",
            _ART_MEDIATION,
        ),
        FileState.PAID: (
            ContactRefusal.FILE_CLOSED,
            "The file is paid: nothing is to be collected.",
            _ART_CLOSED,
        ),
        FileState.CLOSED: (
            ContactRefusal.FILE_CLOSED,
            "The file is closed: nothing is to be collected.",
            _ART_CLOSED,
        ),
        FileState.WAITING_PERIOD: (
            ContactRefusal.WAITING_PERIOD,
            "The 14 days after the formal notice run: no further collection step.",
            _ART_WAITING,
        ),
    }
)


def _refuse(
    reason: ContactRefusal, message: str, article: str, next_allowed_at: datetime | None = None
) -> ContactDecision:
    return ContactDecision(
        allowed=False,
        reason=reason,
        message=message,
        article=article,
        next_allowed_at=next_allowed_at,
    )


def _aware(moment: datetime, *, name: str) -> datetime:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime, not {type(moment).__name__}.")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware ({moment.isoformat()} is naive).")
    return moment


def _is_legal_holiday(day: date) -> bool:
    """Whether ``day`` is a Belgian legal public holiday, on any weekday.

    The list lives in :mod:`amicable.domain.calendar`; its working-day test alone cannot tell
    a holiday that falls on a Saturday (1 November 2025), which the policy also keeps free.
    """
    return calendar.is_public_holiday(day)


def _check_state(
    *,
    channel: ContactChannel,
    state: FileState,
    recipient: Recipient,
    purpose: ContactPurpose,
) -> ContactDecision | None:
    """The refusal that the recipient, the purpose and the file's state call for, if any."""
    if recipient is Recipient.THIRD_PARTY:
        return _refuse(
            ContactRefusal.THIRD_PARTY,
            "Third parties (neighbours, family, employer) are never contacted about a debt.",
            _ART_THIRD_PARTY,
        )
    if recipient is Recipient.MEDIATOR:
        if state in _MEDIATOR_STATES or purpose in _MEDIATOR_PURPOSES:
            return None
        return _refuse(
            ContactRefusal.THIRD_PARTY,
            "A mediator is a third party unless a mediation or a collective settlement runs, "
            "or for the claim declaration, a dispute, or what the debtor asked for.",
            _ART_THIRD_PARTY,
        )
    if state is FileState.COLLECTIVE_SETTLEMENT:
        return _refuse(
            ContactRefusal.COLLECTIVE_SETTLEMENT,
            "A collective debt settlement was admitted: only the court-appointed mediator is "
            "contacted, never the debtor.",
            _ART_SETTLEMENT,
        )
    if purpose in _REQUIRED_PURPOSES:
        return None
    rules = rules_for(state)
    if (rules.letters if channel in _WRITTEN else rules.contact) is True:
        return None
    refusal = _STATE_REFUSALS.get(state)
    if refusal is not None:
        return _refuse(*refusal)
    # NEW, FIRST_REMINDER_PENDING, GRACE_PERIOD, FORMAL_NOTICE: before the notice is sent.
    what = "only the free first reminder" if channel in _WRITTEN else "no call, SMS or visit"
    return _refuse(
        ContactRefusal.COLLECTION_NOT_STARTED,
        f"Collection starts with the formal notice: before it, {what}.",
        _ART_NOT_STARTED,
    )


def _window_refusal(local: datetime, policy: ContactPolicy) -> ContactDecision | None:
    """The hour, Sunday or holiday rule that refuses ``local`` (Brussels time), if any."""
    day = local.date()
    if day.weekday() == _SUNDAY and not policy.sundays:
        return _refuse(
            ContactRefusal.SUNDAY, "No contact on a Sunday (contact policy).", _ART_HOURS
        )
    if not policy.holidays and _is_legal_holiday(day):
        return _refuse(
            ContactRefusal.LEGAL_HOLIDAY,
            "No contact on a legal public holiday (contact policy).",
            _ART_HOURS,
        )
    if not policy.earliest <= local.time() < policy.latest:
        return _refuse(
            ContactRefusal.OUTSIDE_HOURS,
            f"Contact only from {policy.earliest:%H:%M} to {policy.latest:%H:%M}, Belgian "
            f"time (it is {local:%H:%M}).",
            _ART_HOURS,
        )
    return None


def _day_allowed(day: date, policy: ContactPolicy) -> bool:
    if day.weekday() == _SUNDAY and not policy.sundays:
        return False
    return policy.holidays or not _is_legal_holiday(day)


def _window_start(moment: datetime, policy: ContactPolicy) -> datetime:
    """The first moment at or after ``moment`` inside the policy's hours, as a UTC datetime."""
    local = moment.astimezone(BRUSSELS)
    day = local.date()
    if _day_allowed(day, policy):
        if local.time() < policy.earliest:
            return datetime.combine(day, policy.earliest, BRUSSELS).astimezone(UTC)
        if local.time() < policy.latest:
            return moment
    day += timedelta(days=1)
    while not _day_allowed(day, policy):
        day += timedelta(days=1)
    # 08:00 and later exist on every day in Brussels: the clocks change around 02:00-03:00.
    return datetime.combine(day, policy.earliest, BRUSSELS).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class _FrequencyLimit:
    reason: ContactRefusal
    message: str
    limit: int
    channels: frozenset[ContactChannel]
    per_calendar_day: bool


def _frequency_limits(channel: ContactChannel, policy: ContactPolicy) -> list[_FrequencyLimit]:
    if channel is ContactChannel.LETTER:
        return []
    limits = []
    if channel is ContactChannel.PHONE:
        phone = frozenset({ContactChannel.PHONE})
        limits += [
            _FrequencyLimit(
                ContactRefusal.TOO_MANY_CALLS_TODAY,
                f"At most {policy.max_phone_per_day} call(s) a day (contact policy).",
                policy.max_phone_per_day,
                phone,
                per_calendar_day=True,
            ),
            _FrequencyLimit(
                ContactRefusal.TOO_MANY_CALLS_THIS_WEEK,
                f"At most {policy.max_phone_per_week} call(s) in 7 days (contact policy).",
                policy.max_phone_per_week,
                phone,
                per_calendar_day=False,
            ),
        ]
    limits.append(
        _FrequencyLimit(
            ContactRefusal.TOO_MANY_CONTACTS_THIS_WEEK,
            f"At most {policy.max_contacts_per_week} contact(s) in 7 days, letters aside "
            "(contact policy).",
            policy.max_contacts_per_week,
            frozenset(ContactChannel) - {ContactChannel.LETTER},
            per_calendar_day=False,
        )
    )
    return limits


def _release(limit: _FrequencyLimit, moment: datetime, past: Sequence[datetime]) -> datetime | None:
    """When ``limit`` stops blocking a contact at ``moment``: ``moment`` itself if it does not
    block, ``None`` if it never stops (a limit of 0). ``past`` are the UTC times of the earlier
    contacts on the limit's channels, sorted."""
    if limit.per_calendar_day:
        today = moment.astimezone(BRUSSELS).date()
        counted = [t for t in past if t <= moment and t.astimezone(BRUSSELS).date() == today]
    else:
        counted = [t for t in past if moment - _WEEK < t <= moment]
    if len(counted) < limit.limit:
        return moment
    if limit.limit == 0:
        return None
    if limit.per_calendar_day:
        tomorrow = today + timedelta(days=1)
        return datetime.combine(tomorrow, time(0), BRUSSELS).astimezone(UTC)
    # The window must lose enough contacts to fall under the limit; a contact leaves it
    # exactly 7 days (168 hours) after it was made.
    return counted[len(counted) - limit.limit] + _WEEK


def _next_allowed(
    moment: datetime,
    policy: ContactPolicy,
    limits: Sequence[_FrequencyLimit],
    past: Mapping[ContactRefusal, Sequence[datetime]],
) -> datetime | None:
    """The first moment at or after ``moment`` that passes every time rule, in Brussels time."""
    candidate = moment
    # Each round moves forward to the end of a blocking rule; a handful of rounds suffice, and
    # the bound only guards against a policy that can never be met.
    for _ in range(1000):
        candidate = _window_start(candidate, policy)
        releases = [_release(limit, candidate, past[limit.reason]) for limit in limits]
        if any(r is None for r in releases):
            return None
        latest = max((r for r in releases if r is not None), default=candidate)
        if latest == candidate:
            return candidate.astimezone(BRUSSELS)
        candidate = latest
    return None  # pragma: no cover - unreachable with a valid policy


def check_contact(
    *,
    channel: ContactChannel,
    at: datetime,
    state: FileState,
    recipient: Recipient = Recipient.DEBTOR,
    purpose: ContactPurpose = ContactPurpose.COLLECTION,
    recent: Sequence[PastContact] = (),
    policy: ContactPolicy = DEFAULT_CONTACT_POLICY,
) -> ContactDecision:
    """Whether ``recipient`` may be contacted by ``channel`` at ``at`` about a file in ``state``.

    The rules, in the order they are checked (module docstring for the articles): third
    parties; the mediator; the file's state and the purpose; the hours, Sundays and legal
    holidays (for every channel except letters, and for every recipient); the frequency limits
    (contacts with the debtor for collection, counted over ``recent``, letters aside).

    ``at`` and the times in ``recent`` must be timezone-aware (``ValueError`` otherwise); they
    are read in Belgian time (Europe/Brussels, summer time included).

    >>> from datetime import timezone
    >>> saturday_evening = datetime(2025, 4, 19, 18, 30, tzinfo=timezone.utc)  # 20:30 in Brussels
    >>> decision = check_contact(channel=ContactChannel.PHONE, at=saturday_evening,
    ...                          state=FileState.IN_COLLECTION)
    >>> print(decision.reason, decision.next_allowed_at)  # Easter Sunday and Monday skipped
    outside_hours 2025-04-22 08:00:00+02:00
    """
    _aware(at, name="at")
    for contact in recent:
        _aware(contact.at, name="a recent contact's time")
    channel = ContactChannel(channel)
    state = FileState(state)
    recipient = Recipient(recipient)
    purpose = ContactPurpose(purpose)

    refusal = _check_state(channel=channel, state=state, recipient=recipient, purpose=purpose)
    if refusal is not None:
        return refusal
    if channel is ContactChannel.LETTER:
        return _ALLOWED

    limits = (
        _frequency_limits(channel, policy)
        if recipient is Recipient.DEBTOR and purpose not in _REQUIRED_PURPOSES
        else []
    )
    past = {
        limit.reason: sorted(c.at.astimezone(UTC) for c in recent if c.channel in limit.channels)
        for limit in limits
    }
    moment = at.astimezone(UTC)
    refusal = _window_refusal(moment.astimezone(BRUSSELS), policy)
    if refusal is None:
        refusal = next(
            (
                _refuse(limit.reason, limit.message, _ART_FREQUENCY)
                for limit in limits
                if _release(limit, moment, past[limit.reason]) != moment
            ),
            None,
        )
    if refusal is None:
        return _ALLOWED
    return replace(refusal, next_allowed_at=_next_allowed(moment, policy, limits, past))
