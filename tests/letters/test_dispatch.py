"""A letter counts as sent only when it was sent (docs/legal.md, section 1; CEL art. XIX.2).

The formal notice likewise (art. XIX.7 §3, docs/legal.md, section 3).

The 14 days of a first reminder, and the waiting period of a formal notice, count from the day
the letter left: the post batch's date for paper (the period then starts on the third working
day after it), the day the e-mail server accepted an e-mail (the period starts the next day).
A queued e-mail starts nothing; one the server refuses for good, or that bounces, goes again on
paper in the next post run, and the period counts from that dispatch.

E-mails go through Django's locmem backend (accepted) or through the small backends of
``tests.letters.backends`` (refused, unreachable), which raise where Django's SMTP backend does.
"""

from __future__ import annotations

import importlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import LazySettings
from django.core import mail
from django.core.management import call_command
from time_machine import TimeMachineFixture

from amicable.domain import law
from amicable.domain.lifecycle import FileState
from amicable.files.models import Claim, Event, File, LedgerEntry, WorkItem
from amicable.files.timeline import Audience, audiences_of
from amicable.letters.emails import mark_bounced, send_due_emails
from amicable.letters.models import EmailStatus, LetterChannel, OutgoingEmail, SentLetter
from amicable.letters.post import run_letters_batch
from amicable.workflow.models import LetterRequest, LetterStatus
from tests.factories import claim_input, make_creditor, make_file
from tests.letters.conftest import brussels
from tests.workflow.conftest import MONDAY, run, state_of
from tests.workflow.test_strategies import own_strategy

pytestmark = pytest.mark.django_db

PRODUCED_AT = brussels(2025, 3, 3, 9, 0)
SENT_AT = brussels(2025, 3, 3, 10, 0)
TUESDAY = date(2025, 3, 4)
WEDNESDAY = date(2025, 3, 5)
ADDRESS = "marie@example.be"


def queued_reminder() -> OutgoingEmail:
    """The free first reminder of a file opened on Monday 3 March 2025, queued by e-mail."""
    file = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
        email=ADDRESS,
    )
    run(MONDAY)
    run_letters_batch(run_date=MONDAY, at=PRODUCED_AT)
    return OutgoingEmail.objects.get(file=file)


def grace(file: File) -> tuple[date | None, str, date | None, date | None]:
    claim = Claim.objects.get(file=file)
    return (
        claim.first_reminder_sent_on,
        claim.first_reminder_channel,
        claim.grace_last_day,
        claim.first_chargeable_day,
    )


def charges(file: File) -> list[tuple[str, Decimal]]:
    """What was charged on top of the principal (indemnity, interest, reminder costs)."""
    return list(
        LedgerEntry.objects.filter(file=file, kind="charge")
        .exclude(component="principal")
        .order_by("id")
        .values_list("component", "amount")
    )


def kinds(file: File) -> list[str]:
    return list(Event.objects.filter(file=file).order_by("id").values_list("kind", flat=True))


def assert_back_on_paper(email: OutgoingEmail, *, due_on: date) -> None:
    """The e-mail reached nobody: its request waits for the next post run, on paper."""
    request = LetterRequest.objects.get(file=email.file, kind=email.letter.kind)  # type: ignore[union-attr]
    assert (request.status, request.channel, request.due_on, request.produced_on) == (
        LetterStatus.PENDING,
        "paper",
        due_on,
        None,
    )
    assert email.letter is not None
    letter = SentLetter.objects.get(pk=email.letter.pk)
    assert letter.undelivered_at is not None
    fallback = Event.objects.get(file=email.file, kind="letter_sent_by_post_instead")
    # The debtor reads why the letter comes by post; the creditor does not read the address.
    assert audiences_of(fallback.kind) == {Audience.DEBTOR, Audience.STAFF}
    assert fallback.data["to"] == ADDRESS
    assert not WorkItem.objects.filter(file=email.file).exists()


def test_a_reminder_queued_but_never_sent_starts_no_period_and_books_nothing() -> None:
    # docs/legal.md, section 1: the 14 days run from the sending. The e-mail stays queued (no
    # sender runs): weeks later, no period has run, no indemnity is booked, and no formal
    # notice says "despite the reminder sent to you".
    email = queued_reminder()
    file = email.file

    for day in (date(2025, 3, 18), date(2025, 3, 31), date(2025, 4, 30)):
        run(day)

    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    assert grace(file) == (None, "", None, None)
    assert charges(file) == []
    assert not LetterRequest.objects.filter(file=file, kind="formal_notice").exists()
    assert SentLetter.objects.get(file=file).dispatched_on is None
    assert "letter_dispatched" not in kinds(file)
    assert LetterRequest.objects.get(file=file).status == LetterStatus.PENDING


def test_an_email_accepted_by_the_server_is_dispatched_that_day(settings: LazySettings) -> None:
    email = queued_reminder()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert send_due_emails(now=SENT_AT).sent == [email.pk]

    assert len(mail.outbox) == 1
    # Electronic, Monday 3 March: from the 4th, the 14 days end on Monday 17 March.
    assert grace(email.file) == (MONDAY, "electronic", date(2025, 3, 17), date(2025, 3, 18))
    assert state_of(email.file) is FileState.GRACE_PERIOD
    assert SentLetter.objects.get(file=email.file).dispatched_on == MONDAY
    dispatched = Event.objects.get(file=email.file, kind="letter_dispatched")
    assert Audience.DEBTOR in audiences_of(dispatched.kind)
    assert dispatched.data["dispatched_on"] == "2025-03-03"


def test_an_email_the_server_refuses_goes_on_paper_and_counts_from_the_post_batch(
    settings: LazySettings,
) -> None:
    # docs/legal.md, section 1: a paper reminder's 14 days start on the third working day
    # after it is sent. The e-mail's send raised: it never left, so nothing started.
    email = queued_reminder()
    file = email.file
    settings.EMAIL_BACKEND = "tests.letters.backends.RefusingBackend"

    report = send_due_emails(now=SENT_AT)

    assert report.failed == [email.pk]
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
    assert email.last_error.startswith("SMTPRecipientsRefused: ")
    assert grace(file) == (None, "", None, None)
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    assert_back_on_paper(email, due_on=MONDAY)

    # The run queues no second reminder while the paper one waits for the post.
    run(TUESDAY)
    assert LetterRequest.objects.filter(file=file).count() == 1

    posted = run_letters_batch(run_date=TUESDAY, at=brussels(2025, 3, 4, 9, 0))

    assert posted.batch is not None
    assert (posted.batch.date, posted.posted) == (TUESDAY, 1)
    paper = SentLetter.objects.get(file=file, channel=LetterChannel.POST)
    assert (paper.batch_id, paper.dispatched_on, paper.letter_date) == (
        posted.batch.pk,
        TUESDAY,
        TUESDAY,
    )
    # Paper, Tuesday 4 March: starts Friday 7 March, the 14 days end on Thursday 20 March.
    expected = law.grace_period(TUESDAY, "paper")
    assert (expected.starts_on, expected.last_day) == (date(2025, 3, 7), date(2025, 3, 20))
    assert grace(file) == (TUESDAY, "paper", date(2025, 3, 20), date(2025, 3, 21))
    assert state_of(file) is FileState.GRACE_PERIOD
    request = LetterRequest.objects.get(file=file)
    assert (request.status, request.produced_on) == (LetterStatus.PRODUCED, TUESDAY)

    run(date(2025, 3, 20))
    assert (state_of(file), charges(file)) == (FileState.GRACE_PERIOD, [])
    run(date(2025, 3, 21))
    assert state_of(file) is FileState.FORMAL_NOTICE
    assert [component for component, _ in charges(file)][:1] == ["indemnity"]


def test_an_unreachable_server_is_tried_again_then_the_letter_goes_on_paper(
    settings: LazySettings,
) -> None:
    email = queued_reminder()
    settings.EMAIL_BACKEND = "tests.letters.backends.UnreachableBackend"

    first = send_due_emails(now=SENT_AT)

    # A transient failure: tried again, still queued, nothing started, nothing on paper yet.
    assert first.retried == [email.pk]
    assert LetterRequest.objects.get(file=email.file).channel == "electronic"
    now = SENT_AT
    for _ in range(20):
        email.refresh_from_db()
        if email.status != EmailStatus.QUEUED or email.next_attempt_at is None:
            break
        now = email.next_attempt_at
        send_due_emails(now=now)

    assert email.status == EmailStatus.FAILED
    assert grace(email.file) == (None, "", None, None)
    assert_back_on_paper(email, due_on=now.date())


def test_a_bounce_after_sending_moves_the_period_to_the_paper_dispatch(
    settings: LazySettings, time_machine: TimeMachineFixture
) -> None:
    email = queued_reminder()
    file = email.file
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_due_emails(now=SENT_AT)
    assert grace(file)[0] == MONDAY
    assert state_of(file) is FileState.GRACE_PERIOD

    # The bounce report names the address (``amicable letters bounced ADDRESS``), that morning.
    out = io.StringIO()
    time_machine.move_to(brussels(2025, 3, 3, 10, 30), tick=False)
    call_command("letters", "bounced", ADDRESS, "--reason", "550 5.1.1 unknown user", stdout=out)

    assert "1 bounce recorded, 1 letter goes by post" in out.getvalue()
    email.refresh_from_db()
    assert (email.status, email.last_error) == (EmailStatus.BOUNCED, "550 5.1.1 unknown user")
    # The period the e-mail started never ran: back to the reminder, nothing dated.
    assert grace(file) == (None, "", None, None)
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    assert_back_on_paper(email, due_on=MONDAY)

    run_letters_batch(run_date=WEDNESDAY, at=brussels(2025, 3, 5, 9, 0))

    # Paper, Wednesday 5 March: starts Monday 10 March, the 14 days end on Monday 24 March.
    assert grace(file) == (WEDNESDAY, "paper", date(2025, 3, 24), date(2025, 3, 25))
    assert state_of(file) is FileState.GRACE_PERIOD
    run(date(2025, 3, 18))  # the e-mail's period would have ended on the 17th
    run(date(2025, 3, 24))
    assert (state_of(file), charges(file)) == (FileState.GRACE_PERIOD, [])
    run(date(2025, 3, 25))
    assert state_of(file) is FileState.FORMAL_NOTICE


def test_a_formal_notice_counts_from_its_dispatch_not_from_a_bounced_email(
    settings: LazySettings,
) -> None:
    # CEL art. XIX.7 §3 (docs/legal.md, section 3): the waiting period runs from the notice's
    # sending. The creditor's strategy sends it by e-mail; the e-mail bounces; the paper notice
    # leaves on Monday 24 March, and the waiting period counts from that day.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    creditor = make_creditor()
    own_strategy(
        creditor,
        (1, "first_reminder", 0, "paper", False),
        (2, "formal_notice", 0, "electronic", False),
    )
    # The creditor's paper reminder of 3 March: its 14 days ended on 20 March.
    file = make_file(creditor=creditor, today=date(2025, 3, 10), email=ADDRESS)
    run(date(2025, 3, 21))
    assert state_of(file) is FileState.FORMAL_NOTICE
    run_letters_batch(run_date=date(2025, 3, 21), at=brussels(2025, 3, 21, 9, 0))
    email = OutgoingEmail.objects.get(file=file)
    send_due_emails(now=brussels(2025, 3, 21, 10, 0))
    notice = LetterRequest.objects.get(file=file, kind="formal_notice")
    assert (notice.status, notice.produced_on) == (LetterStatus.PRODUCED, date(2025, 3, 21))

    assert mark_bounced(email.message_id, "550 5.1.1", at=brussels(2025, 3, 21, 10, 5))

    assert_back_on_paper(email, due_on=date(2025, 3, 21))
    run(date(2025, 3, 24))
    file.refresh_from_db()
    # No waiting period runs on a notice nobody received.
    assert (file.file_state, file.formal_notice_sent_on) == (FileState.FORMAL_NOTICE, None)

    posted = run_letters_batch(run_date=date(2025, 3, 24), at=brussels(2025, 3, 24, 9, 0))
    assert posted.posted == 1
    run(date(2025, 3, 25))

    file.refresh_from_db()
    last_day = law.grace_period(date(2025, 3, 24), "paper").last_day
    assert last_day == date(2025, 4, 9)
    assert (file.file_state, file.formal_notice_sent_on, file.waiting_period_last_day) == (
        FileState.WAITING_PERIOD,
        date(2025, 3, 24),
        last_day,
    )
    paper = SentLetter.objects.get(file=file, kind="formal_notice", channel=LetterChannel.POST)
    assert paper.dispatched_on == date(2025, 3, 24)


def test_the_bounced_command_reads_message_ids_and_a_file_and_says_what_it_did(
    settings: LazySettings, tmp_path: Path
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    first, second = queued_reminder(), queued_reminder()
    send_due_emails(now=SENT_AT)
    report = tmp_path / "bounces.txt"
    report.write_text(f"# returned this morning\n{second.message_id}\n\nnobody@example.be\n")
    out, err = io.StringIO(), io.StringIO()

    call_command(
        "letters",
        "bounced",
        first.message_id.strip("<>"),
        "--file",
        str(report),
        stdout=out,
        stderr=err,
    )

    assert "2 bounces recorded, 2 letters go by post" in out.getvalue()
    assert "No sent e-mail for nobody@example.be" in err.getvalue()
    statuses = OutgoingEmail.objects.filter(pk__in=[first.pk, second.pk]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {EmailStatus.BOUNCED}
    # Reported twice, recorded once.
    call_command("letters", "bounced", first.message_id, stdout=io.StringIO())
    assert Event.objects.filter(kind="letter_sent_by_post_instead").count() == 2


def test_the_migration_gives_letters_already_out_their_dispatch_day(
    settings: LazySettings,
) -> None:
    # docs/decisions.md, 35: letters already posted left on their post batch's date, e-mails on
    # the day the server accepted them; a letter still waiting has no dispatch day yet.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent, waiting = queued_reminder(), queued_reminder()
    OutgoingEmail.objects.filter(pk=waiting.pk).update(next_attempt_at=brussels(2025, 3, 4, 9, 0))
    send_due_emails(now=SENT_AT)
    paper_file = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=TUESDAY,
        email="",
    )
    run(TUESDAY)
    run_letters_batch(run_date=TUESDAY, at=brussels(2025, 3, 4, 9, 0))
    SentLetter.objects.update(dispatched_on=None)
    migration = importlib.import_module("amicable.letters.migrations.0002_sent_letter_dispatch")

    migration.backfill(django_apps, None)

    assert dict(SentLetter.objects.values_list("file_id", "dispatched_on")) == {
        sent.file_id: MONDAY,
        waiting.file_id: None,
        paper_file.pk: TUESDAY,
    }


def test_a_notice_bounced_after_its_waiting_period_started_goes_to_an_agent(
    settings: LazySettings,
) -> None:
    # docs/legal.md, section 1: a bounce reported after the run acted on the e-mail undoes
    # nothing by itself (and no collection step may be taken during the waiting period, section
    # 3): an agent reviews the file and sends the notice again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    creditor = make_creditor()
    own_strategy(
        creditor,
        (1, "first_reminder", 0, "paper", False),
        (2, "formal_notice", 0, "electronic", False),
    )
    file = make_file(creditor=creditor, today=date(2025, 3, 10), email=ADDRESS)
    run(date(2025, 3, 21))
    run_letters_batch(run_date=date(2025, 3, 21), at=brussels(2025, 3, 21, 9, 0))
    email = OutgoingEmail.objects.get(file=file)
    send_due_emails(now=brussels(2025, 3, 21, 10, 0))
    run(date(2025, 3, 24))
    assert state_of(file) is FileState.WAITING_PERIOD

    mark_bounced(email.message_id, "550 5.1.1", at=brussels(2025, 3, 24, 11, 0))

    notice = LetterRequest.objects.get(file=file, kind="formal_notice")
    assert (notice.status, notice.channel) == (LetterStatus.PRODUCED, "electronic")
    item = WorkItem.objects.get(file=file)
    assert item.title == "Formal notice e-mail bounced: 550 5.1.1"
    assert SentLetter.objects.get(file=file).undelivered_at is not None
    assert not Event.objects.filter(file=file, kind="letter_sent_by_post_instead").exists()
    assert state_of(file) is FileState.WAITING_PERIOD
    assert run_letters_batch(run_date=date(2025, 3, 25)).posted == 0
