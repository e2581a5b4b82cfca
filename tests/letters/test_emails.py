"""Letters by e-mail, through a real SMTP server on loopback (aiosmtpd), read back as received.

The daily run of Monday 3 March 2025 queues the free first reminder by e-mail for debtors who
gave an address; the letters batch produces it at 09:00 and ``send_due_emails`` sends it.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.management import call_command

from amicable.domain.lifecycle import FileState
from amicable.domain.money import format_eur
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Claim, Event, File, WorkItem, WorkItemKind
from amicable.letters.emails import MAX_ATTEMPTS, mark_bounced, send_due_emails
from amicable.letters.models import ContactAttempt, EmailStatus, OutgoingEmail
from amicable.letters.post import run_letters_batch
from amicable.letters.services import reprint_letter
from amicable.workflow.models import LetterRequest, LetterStatus
from tests.factories import claim_input, make_file, shown_to_debtor
from tests.letters.conftest import SmtpServer, brussels, free_port
from tests.workflow.conftest import MONDAY, run

pytestmark = pytest.mark.django_db

PRODUCED_AT = brussels(2025, 3, 3, 9, 0)
SENT_AT = brussels(2025, 3, 3, 10, 0)


def queued_email(**debtor: Any) -> OutgoingEmail:
    """A first reminder by e-mail, produced on Monday 3 March 2025 at 09:00 and queued."""
    debtor.setdefault("email", "marie@example.be")
    file = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
        **debtor,
    )
    run(MONDAY)
    run_letters_batch(run_date=MONDAY, at=PRODUCED_AT)
    return OutgoingEmail.objects.get(file=file)


SUBJECTS = {
    "fr": "Un courrier concernant votre dossier {reference}",
    "nl": "Een brief over uw dossier {reference}",
    "de": "Ein Schreiben zu Ihrer Akte {reference}",
    "en": "A letter about your file {reference}",
}
GREETINGS = {"fr": "Bonjour", "nl": "Beste", "de": "Guten Tag", "en": "Dear"}
PAY_BY = {
    "fr": "Merci de payer au plus tard le 17\u00a0mars\u00a02025.",
    "nl": "Gelieve uiterlijk op 17\u00a0maart\u00a02025 te betalen.",
    "de": "Bitte zahlen Sie spätestens am 17.\u00a0März\u00a02025.",
    "en": "Please pay by 17\u00a0March\u00a02025 at the latest.",
}


#: How the body goes on after the greeting: German goes on in lower case after the comma, French
#: puts a no-break space before the colon.
OPENING = {
    "fr": ",\n\nVeuillez trouver en annexe notre courrier du 3\u00a0mars\u00a02025 concernant "
    "votre dossier",
    "nl": ",\n\nIn bijlage vindt u onze brief van 3\u00a0maart\u00a02025 over uw dossier",
    "de": ",\n\nanbei erhalten Sie unser Schreiben vom 3.\u00a0März\u00a02025 zu Ihrer Akte",
    "en": ",\n\nPlease find attached our letter of 3\u00a0March\u00a02025 about your file",
}
TITLE = {
    "fr": "\u00a0: premier rappel, sans frais.",
    "nl": ": eerste herinnering, kosteloos.",
    "de": ": erste Erinnerung, kostenlos.",
    "en": ": first reminder, free of charge.",
}


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"], ids=str)
def test_a_letter_arrives_in_the_debtors_language_with_text_html_and_the_pdf(
    smtp_server: SmtpServer, language: str
) -> None:
    email = queued_email(language=language)
    file = email.file
    letter = email.letter
    assert letter is not None

    report = send_due_emails(now=SENT_AT)

    assert report.sent == [email.pk]
    (message,) = smtp_server.inbox.messages
    assert smtp_server.inbox.recipients == [["marie@example.be"]]
    assert message["Subject"] == SUBJECTS[language].format(reference=file.reference)
    assert message["To"] == "marie@example.be"
    assert message["From"] == "Clairval SRL <courrier@clairval.example>"
    assert message["Reply-To"] == "contact@clairval.example"
    assert message["Message-ID"].strip() == email.message_id  # a long one may be folded
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None
    assert html is not None
    plain = text.get_content().replace("\r\n", "\n")
    assert plain.startswith(f"{GREETINGS[language]} {file.debtor.name},\n\n")
    assert OPENING[language] in plain
    assert TITLE[language] in plain
    amount = format_eur(letter_amount(file), language)
    assert amount in plain
    assert PAY_BY[language] in plain
    assert "+++" in plain  # the structured communication, as printed on the letter
    markup = html.get_content().replace("\r\n", "\n")
    assert f'<html lang="{language}">' in markup
    assert f"<p>{GREETINGS[language]} {file.debtor.name},</p>" in markup
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{file.reference}-2025-03-03.pdf"
    pdf = attachment.get_content()
    assert pdf == reprint_letter(letter)
    assert hashlib.sha256(pdf).hexdigest() == letter.sha256

    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at, email.last_error) == (
        EmailStatus.SENT,
        1,
        SENT_AT,
        "",
    )
    # Sent on Monday 3 March, as the letter says: the period of an e-mail starts the next day
    # and ends on Monday 17 March (CEL art. XIX.2).
    request = LetterRequest.objects.get(file=file)
    assert (request.status, request.produced_on) == (LetterStatus.PRODUCED, MONDAY)
    assert Claim.objects.get(file=file).grace_last_day == date(2025, 3, 17)
    sent = Event.objects.get(file=file, kind="email_sent")
    assert shown_to_debtor(sent)
    assert sent.data == {
        "email": email.pk,
        "letter": letter.pk,
        "kind": "first_reminder",
        "sha256": letter.sha256,
    }
    assert ContactAttempt.objects.filter(file=file, channel="email", allowed=True).count() == 1


def letter_amount(file: File) -> Any:
    return Claim.objects.get(file=file).principal


def test_a_failing_server_is_recorded_and_a_later_attempt_succeeds(
    smtp_settings: LazySettings, smtp_server: SmtpServer
) -> None:
    email = queued_email()
    smtp_settings.EMAIL_PORT = free_port()  # nothing listens there: connection refused

    failed = send_due_emails(now=SENT_AT)

    assert failed.retried == [email.pk]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        EmailStatus.QUEUED,
        1,
        SENT_AT + timedelta(minutes=5),
    )
    assert email.last_error.startswith("ConnectionRefusedError: ")
    event = Event.objects.get(file=email.file, kind="email_attempt_failed")
    assert event.data == {"email": email.pk, "attempt": 1}
    assert LetterRequest.objects.get(file=email.file).status == LetterStatus.PENDING
    assert smtp_server.inbox.messages == []

    smtp_settings.EMAIL_PORT = smtp_server.port
    too_soon = send_due_emails(now=SENT_AT + timedelta(minutes=4))
    later = send_due_emails(now=SENT_AT + timedelta(minutes=5))

    assert (too_soon.sent, too_soon.retried) == ([], [])
    assert later.sent == [email.pk]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (
        EmailStatus.SENT,
        2,
        SENT_AT + timedelta(minutes=5),
    )
    assert len(smtp_server.inbox.messages) == 1


def test_an_email_failing_every_time_goes_on_paper(smtp_settings: LazySettings) -> None:
    email = queued_email()
    smtp_settings.EMAIL_PORT = free_port()
    now, tried = SENT_AT, []
    for _ in range(MAX_ATTEMPTS + 5):
        send_due_emails(now=now)
        email.refresh_from_db()
        if email.status != EmailStatus.QUEUED or email.next_attempt_at is None:
            break
        now = email.next_attempt_at
        tried.append(now.astimezone(SENT_AT.tzinfo).strftime("%a %H:%M"))

    assert (email.status, email.attempts, email.next_attempt_at) == (
        EmailStatus.FAILED,
        MAX_ATTEMPTS,
        None,
    )
    # 5, 10, 20, 40, 80, 160 and 320 minutes apart; the eighth attempt, due at 20:35, waits
    # for the contact hours of the next day (docs/legal.md, section 4). Attempts that reached nobody
    # do not count towards the limit of five contacts a week, or the sixth would wait a week.
    assert (
        ContactAttempt.objects.filter(channel="email", allowed=True, completed=False).count()
        == MAX_ATTEMPTS
    )
    assert tried == [
        "Mon 10:05",
        "Mon 10:15",
        "Mon 10:35",
        "Mon 11:15",
        "Mon 12:35",
        "Mon 15:15",
        "Mon 20:35",
        "Tue 08:00",
    ]
    assert email.last_error.startswith("ConnectionRefusedError: ")
    # The letter goes on paper in the next post run (docs/legal.md, section 1), by itself.
    request = LetterRequest.objects.get(file=email.file)
    assert (request.status, request.channel) == (LetterStatus.PENDING, "paper")
    assert not WorkItem.objects.filter(file=email.file).exists()
    assert Event.objects.filter(file=email.file, kind="email_failed").count() == 1
    assert Event.objects.filter(file=email.file, kind="letter_sent_by_post_instead").count() == 1
    # The reminder never reached the debtor: no period runs on it (CEL art. XIX.2).
    assert Claim.objects.get(file=email.file).first_reminder_sent_on is None


def test_an_email_due_at_night_waits_for_the_morning(smtp_server: SmtpServer) -> None:
    email = queued_email()
    # Produced at 09:00: due at once. Asked again on Saturday evening, it waits for Monday.
    saturday_night = brussels(2025, 3, 8, 21, 0)
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_at=saturday_night)

    report = send_due_emails(now=saturday_night)

    assert report.postponed == [email.pk]
    email.refresh_from_db()
    assert (email.status, email.next_attempt_at) == (
        EmailStatus.QUEUED,
        brussels(2025, 3, 10, 8, 0),
    )
    assert smtp_server.inbox.messages == []
    attempt = ContactAttempt.objects.get(file=email.file, channel="email")
    assert (attempt.allowed, attempt.reason) == (False, "outside_hours")


def test_a_letter_produced_on_a_sunday_is_first_tried_on_monday_morning() -> None:
    file = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
        email="marie@example.be",
    )
    run(MONDAY)

    run_letters_batch(run_date=MONDAY, at=brussels(2025, 3, 2, 15, 0))

    assert OutgoingEmail.objects.get(file=file).next_attempt_at == brussels(2025, 3, 3, 8, 0)
    # Planned, not asked: the guard is asked when the e-mail is sent.
    assert not ContactAttempt.objects.filter(channel="email").exists()


def test_a_dispute_arriving_before_the_email_goes_stops_it(smtp_server: SmtpServer) -> None:
    email = queued_email()
    change_file_state(file=email.file, new_state=FileState.DISPUTED, actor="portal")

    report = send_due_emails(now=SENT_AT)

    assert report.refused == [email.pk]
    assert smtp_server.inbox.messages == []
    email.refresh_from_db()
    assert email.status == EmailStatus.REFUSED
    assert LetterRequest.objects.get(file=email.file).status == LetterStatus.REFUSED
    refusal = Event.objects.get(file=email.file, kind="contact_refused")
    assert refusal.data["reason"] == "file_disputed"
    assert WorkItem.objects.get(file=email.file).kind == WorkItemKind.LETTER_REFUSED


def test_a_bounce_is_recorded_and_the_letter_goes_on_paper(smtp_server: SmtpServer) -> None:
    email = queued_email()
    send_due_emails(now=SENT_AT)
    bounced_at = SENT_AT + timedelta(minutes=3)

    marked = mark_bounced(
        email.message_id.strip("<>"), "550 5.1.1 mailbox unavailable", at=bounced_at
    )

    assert marked is not None
    assert marked.pk == email.pk
    assert (marked.status, marked.bounced_at, marked.last_error) == (
        EmailStatus.BOUNCED,
        bounced_at,
        "550 5.1.1 mailbox unavailable",
    )
    event = Event.objects.get(file=email.file, kind="email_bounced")
    assert event.message == "550 5.1.1 mailbox unavailable"
    # Nothing for an agent to do: the letter goes on paper in the next post run.
    request = LetterRequest.objects.get(file=email.file)
    assert (request.status, request.channel, request.produced_on) == (
        LetterStatus.PENDING,
        "paper",
        None,
    )
    assert not WorkItem.objects.exists()
    # Marking it again changes nothing; an unknown Message-ID finds nothing.
    assert mark_bounced(email.message_id, "again", at=bounced_at) == marked
    assert Event.objects.filter(kind="letter_sent_by_post_instead").count() == 1
    assert mark_bounced("<nobody@clairval.example>", "550") is None


def test_send_emails_command_reports_what_it_did(smtp_server: SmtpServer) -> None:
    import io

    import time_machine

    queued_email()
    out = io.StringIO()
    with time_machine.travel(datetime(2025, 3, 3, 9, 30, tzinfo=SENT_AT.tzinfo), tick=False):
        call_command("letters", "send-emails", stdout=out)

    assert out.getvalue() == (
        "Sent 1, to retry 0, failed 0, postponed 0, refused 0. Still queued: 0.\n"
    )
    assert len(smtp_server.inbox.messages) == 1
