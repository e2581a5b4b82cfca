"""The contact guard (docs/legal.md, section 4): every contact asked, every refusal kept and shown.

Wednesday 2 April 2025 at 10:30 in Brussels is inside the contact hours (Monday to Saturday,
08:00 to 20:00, not a legal holiday).
"""

from __future__ import annotations

from datetime import date, datetime

import pytest

from amicable.domain.contact import ContactChannel, ContactPurpose, Recipient
from amicable.domain.lifecycle import FileState
from amicable.domain.mentions import LetterKind
from amicable.files.models import Event, File, WorkItem, WorkItemKind
from amicable.letters.guard import state_for_guard
from amicable.letters.models import ContactAttempt, SentLetter
from amicable.letters.services import log_phone_call, produce_letter, request_contact
from tests.factories import make_creditor, make_file, shown_to_debtor
from tests.letters.conftest import brussels, file_in

pytestmark = pytest.mark.django_db

NOW = brussels(2025, 4, 2, 10, 30)


def refusal_event(file: File) -> Event:
    return Event.objects.get(file=file, kind="contact_refused")


@pytest.mark.parametrize(
    ("state", "channel", "recipient", "at", "reason", "article"),
    [
        pytest.param(
            FileState.SUSPENDED,
            ContactChannel.PHONE,
            Recipient.DEBTOR,
            NOW,
            "file_suspended",
            "CEL art. XIX.7 §3",
            id="suspended_call",
        ),
        pytest.param(
            FileState.DISPUTED,
            ContactChannel.SMS,
            Recipient.DEBTOR,
            NOW,
            "file_disputed",
            "CEL art. XIX.7 §3; former law of 20 December 2002, art. 3 §2",
            id="disputed_sms",
        ),
        pytest.param(
            FileState.IN_COLLECTION,
            ContactChannel.HOME_VISIT,
            Recipient.DEBTOR,
            brussels(2025, 4, 2, 21, 15),
            "outside_hours",
            "Former law of 20 December 2002, art. 3 §2; contact policy (docs/legal.md, section 4)",
            id="visit_at_night",
        ),
        pytest.param(
            FileState.IN_COLLECTION,
            ContactChannel.PHONE,
            Recipient.THIRD_PARTY,
            NOW,
            "third_party",
            "Former law of 20 December 2002, art. 3 §2; CEL art. VI.93 ff. (unfair practices)",
            id="employer_call",
        ),
    ],
)
def test_a_refused_contact_is_recorded_and_on_the_timeline(
    state: FileState,
    channel: ContactChannel,
    recipient: Recipient,
    at: datetime,
    reason: str,
    article: str,
) -> None:
    file = file_in(state)

    decision = request_contact(
        file=file,
        channel=channel,
        purpose=ContactPurpose.COLLECTION,
        recipient=recipient,
        actor="staff:anna",
        at=at,
    )

    assert (decision.allowed, decision.reason, decision.article) == (False, reason, article)
    attempt = ContactAttempt.objects.get()
    assert (
        attempt.file,
        attempt.debtor,
        attempt.channel,
        attempt.recipient,
        attempt.purpose,
        attempt.at,
        attempt.allowed,
        attempt.reason,
        attempt.message,
        attempt.article,
        attempt.actor,
    ) == (
        file,
        file.debtor,
        channel.value,
        recipient.value,
        "collection",
        at,
        False,
        reason,
        decision.message,
        article,
        "staff:anna",
    )
    event = refusal_event(file)
    assert (event.actor, event.message, shown_to_debtor(event)) == (
        "staff:anna",
        decision.message,
        False,
    )
    assert event.data == {
        "contact_attempt": attempt.pk,
        "channel": channel.value,
        "recipient": recipient.value,
        "purpose": "collection",
        "letter_kind": None,
        "reason": reason,
        "article": article,
        "next_allowed_at": decision.next_allowed_at.isoformat()
        if decision.next_allowed_at
        else None,
    }


def test_a_call_at_night_says_when_it_would_be_allowed() -> None:
    file = file_in(FileState.IN_COLLECTION)

    attempt = log_phone_call(
        file=file, actor="staff:anna", at=brussels(2025, 4, 2, 21, 15), note="Tried."
    )

    assert (attempt.allowed, attempt.reason, attempt.next_allowed_at) == (
        False,
        "outside_hours",
        brussels(2025, 4, 3, 8, 0),
    )
    assert attempt.note == "Tried."
    assert not Event.objects.filter(kind="call_logged").exists()


def test_an_allowed_call_is_logged_on_the_timeline_for_agents() -> None:
    file = file_in(FileState.IN_COLLECTION)

    attempt = log_phone_call(
        file=file, actor="staff:anna", at=NOW, note="  Promised to pay Friday.  "
    )

    assert (attempt.allowed, attempt.reason, attempt.channel, attempt.note) == (
        True,
        "",
        "phone",
        "Promised to pay Friday.",
    )
    event = Event.objects.get(file=file, kind="call_logged")
    assert (event.actor, event.message, shown_to_debtor(event), event.data) == (
        "staff:anna",
        "Promised to pay Friday.",
        False,
        {
            "contact_attempt": attempt.pk,
            "channel": "phone",
            "recipient": "debtor",
            "purpose": "collection",
        },
    )
    assert not Event.objects.filter(kind="contact_refused").exists()


def test_the_call_limits_count_per_debtor_across_their_files() -> None:
    creditor = make_creditor()
    first = make_file(creditor=creditor, customer_reference="CUST-SHARED", today=date(2025, 4, 1))
    second = make_file(creditor=creditor, customer_reference="CUST-SHARED", today=date(2025, 4, 1))
    assert first.debtor_id == second.debtor_id
    for file in (first, second):
        file_in_collection(file)

    allowed = log_phone_call(file=first, actor="staff:anna", at=NOW, note="")
    refused = log_phone_call(
        file=second, actor="staff:bert", at=brussels(2025, 4, 2, 15, 0), note=""
    )

    assert allowed.allowed
    assert (refused.allowed, refused.reason, refused.next_allowed_at) == (
        False,
        "too_many_calls_today",
        brussels(2025, 4, 3, 8, 0),
    )
    assert refusal_event(second).data["reason"] == "too_many_calls_today"


def file_in_collection(file: File) -> None:
    from amicable.files.lifecycle import change_file_state

    for state in (FileState.WAITING_PERIOD, FileState.IN_COLLECTION):
        change_file_state(file=file, new_state=state, actor="test")


def test_a_letter_to_a_suspended_file_is_not_produced_and_goes_to_an_agent() -> None:
    file = file_in(FileState.SUSPENDED)

    outcome = produce_letter(
        file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=date(2025, 4, 2), at=NOW
    )

    message = "The file is suspended: no collection contact until the suspension is lifted."
    assert (outcome.produced, outcome.errors) == (False, (message,))
    assert outcome.decision is not None
    assert outcome.decision.reason == "file_suspended"
    assert SentLetter.objects.count() == 0
    attempt = ContactAttempt.objects.get()
    assert (attempt.channel, attempt.allowed, attempt.reason) == ("letter", False, "file_suspended")
    assert refusal_event(file).data["letter_kind"] == "formal_notice"
    item = WorkItem.objects.get(file=file)
    assert (item.kind, item.data) == (
        WorkItemKind.LETTER_REFUSED,
        {"kind": "formal_notice", "errors": [message]},
    )


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(LetterKind.DISPUTE_ACKNOWLEDGEMENT, id="acknowledgement"),
        pytest.param(LetterKind.STATEMENT_OF_ACCOUNT, id="statement_asked_for"),
    ],
)
def test_a_disputed_file_still_gets_the_letters_the_dispute_calls_for(kind: LetterKind) -> None:
    from amicable.letters.content import Dispute
    from amicable.letters.services import LetterDetails

    file = file_in(FileState.DISPUTED)

    outcome = produce_letter(
        file=file,
        kind=kind,
        actor="t",
        on=date(2025, 4, 2),
        at=NOW,
        details=LetterDetails(
            dispute=Dispute(received_on=date(2025, 4, 1), reason="The meter was replaced.")
        ),
    )

    assert outcome.errors == ()
    assert outcome.produced
    assert not Event.objects.filter(kind="contact_refused").exists()


def test_a_formal_notice_to_a_disputed_file_is_refused() -> None:
    file = file_in(FileState.DISPUTED)

    outcome = produce_letter(
        file=file, kind=LetterKind.FORMAL_NOTICE, actor="t", on=date(2025, 4, 2), at=NOW
    )

    assert outcome.decision is not None
    assert (outcome.produced, outcome.decision.reason) == (False, "file_disputed")


@pytest.mark.parametrize(
    ("state", "kind", "judged"),
    [
        pytest.param(
            FileState.GRACE_PERIOD,
            LetterKind.FIRST_REMINDER,
            FileState.FIRST_REMINDER_PENDING,
            id="first_reminder_queued_by_the_run",
        ),
        pytest.param(
            FileState.GRACE_PERIOD, LetterKind.FORMAL_NOTICE, FileState.GRACE_PERIOD, id="notice"
        ),
        pytest.param(FileState.GRACE_PERIOD, None, FileState.GRACE_PERIOD, id="call"),
        pytest.param(
            FileState.DISPUTED, LetterKind.FIRST_REMINDER, FileState.DISPUTED, id="disputed"
        ),
    ],
)
def test_only_the_first_reminder_is_judged_in_the_state_it_was_queued_for(
    state: FileState, kind: LetterKind | None, judged: FileState
) -> None:
    assert state_for_guard(state, kind) is judged


def test_the_refused_contacts_are_listed_newest_first_page_by_page() -> None:
    from amicable.letters.selectors import list_contact_attempts, list_refused_contacts

    file = file_in(FileState.SUSPENDED)
    other = file_in(FileState.IN_COLLECTION)
    refused = [
        log_phone_call(file=file, actor="staff:anna", at=brussels(2025, 4, 2, 9 + n, 0), note="")
        for n in range(3)
    ]
    allowed = log_phone_call(file=other, actor="staff:anna", at=NOW, note="")

    first_page = list_refused_contacts(limit=2)
    second_page = list_refused_contacts(before=first_page[-1].pk, limit=2)

    assert first_page == [refused[2], refused[1]]
    assert second_page == [refused[0]]
    assert list(list_contact_attempts(other)) == [allowed]
