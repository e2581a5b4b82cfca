"""What went out, and every contact the contact guard was asked about.

- :class:`SentLetter`: one letter as it was produced, and the day it left (``dispatched_on``).
  Its PDF is kept as a :class:`~amicable.files.models.Document` of kind ``letter``, byte for
  byte, with its sha256: a reprint gives the archived bytes, never a new rendering (the letter
  a debtor received is the one the file holds, also when the templates or the data change
  later).
- :class:`PostBatch`: one post run, every paper letter of the run in one PDF for the printer,
  with a CSV manifest for the envelopes.
- :class:`OutgoingEmail`: one e-mail, from queued to sent (or failed, bounced, refused), with
  its attempts and the last error, so that none is ever lost silently.
- :class:`ContactAttempt`: every outbound contact asked of the contact guard
  (:func:`amicable.letters.services.request_contact`), allowed or refused with the reason and
  the article. Allowed contacts count towards the frequency limits of the next ones
  (docs/legal.md, section 4); refused ones are kept so that a compliance officer sees what the rules
  stopped.

Only ``amicable.letters.services``, ``amicable.letters.emails`` and ``amicable.letters.dispatch``
write these tables.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amicable.domain.contact import ContactChannel, ContactPurpose, Recipient
from amicable.domain.mentions import LetterKind
from amicable.files.models import Debtor, Document, File, Language
from amicable.workflow.models import LetterRequest


class LetterChannel(models.TextChoices):
    """How a letter goes out: on paper in the post run, or attached to an e-mail."""

    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")


# The codes of amicable.domain in the staff member's words (the back office, the admin).
LETTER_KIND_LABELS = {
    LetterKind.FIRST_REMINDER: _("First reminder"),
    LetterKind.FORMAL_NOTICE: _("Formal notice"),
    LetterKind.FOLLOW_UP_REMINDER: _("Follow-up reminder"),
    LetterKind.PAYMENT_PLAN_CONFIRMATION: _("Confirmation of the payment plan"),
    LetterKind.PROOF_DECISION: _("Decision on a proof of payment"),
    LetterKind.DISPUTE_ACKNOWLEDGEMENT: _("Acknowledgement of a dispute"),
    LetterKind.DISPUTE_OUTCOME: _("Outcome of a dispute"),
    LetterKind.STATEMENT_OF_ACCOUNT: _("Statement of account"),
    LetterKind.MEDIATOR_CLAIM_DECLARATION: _("Claim declaration to the mediator"),
}
CHANNEL_LABELS = {
    ContactChannel.LETTER: _("Letter"),
    ContactChannel.EMAIL: _("E-mail"),
    ContactChannel.SMS: _("Text message"),
    ContactChannel.PHONE: _("Phone call"),
    ContactChannel.HOME_VISIT: _("Home visit"),
}
RECIPIENT_LABELS = {
    Recipient.DEBTOR: _("The debtor"),
    Recipient.MEDIATOR: _("The debt mediator"),
    Recipient.THIRD_PARTY: _("Someone else (family, employer, neighbour)"),
}
PURPOSE_LABELS = {
    ContactPurpose.COLLECTION: _("Collection"),
    ContactPurpose.DISPUTE_RESOLUTION: _("To settle a dispute"),
    ContactPurpose.DISPUTE_ACKNOWLEDGEMENT: _("Acknowledgement of a dispute"),
    ContactPurpose.MEDIATOR_DECLARATION: _("Claim declaration to the mediator"),
    ContactPurpose.REQUESTED_BY_DEBTOR: _("The debtor asked for it"),
}
KIND_CHOICES = [(kind.value, LETTER_KIND_LABELS[kind]) for kind in LetterKind]
CHANNEL_CHOICES = [(channel.value, CHANNEL_LABELS[channel]) for channel in ContactChannel]
RECIPIENT_CHOICES = [(recipient.value, RECIPIENT_LABELS[recipient]) for recipient in Recipient]
PURPOSE_CHOICES = [(purpose.value, PURPOSE_LABELS[purpose]) for purpose in ContactPurpose]


class PostBatch(models.Model):
    """One post run: its letters as one PDF for the printer, and the CSV manifest.

    ``sequence`` numbers the runs of one day (a second run the same day prints only what the
    first did not). The sha256 of both files is kept, so the printer's copy can be checked.
    """

    date = models.DateField()
    sequence = models.PositiveSmallIntegerField(default=1)
    pdf = models.FileField(upload_to="letters/post/%Y/%m/")
    pdf_sha256 = models.CharField(max_length=64)
    manifest = models.FileField(upload_to="letters/post/%Y/%m/")
    manifest_sha256 = models.CharField(max_length=64)
    letter_count = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=100)

    class Meta:
        verbose_name_plural = "post batches"
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["date", "sequence"], name="post_batch_once"),
        ]

    def __str__(self) -> str:
        return f"post run {self.date.isoformat()} #{self.sequence} ({self.letter_count} letters)"


class SentLetter(models.Model):
    """A letter as produced: the archived PDF, its sha256, and how it went out.

    ``content`` is what the letter printed, as the renderer's JSON view (amounts and dates
    written for the letter's language), without the portal access code: only its hash is ever
    kept in the database (``amicable.files.access_codes``). ``address`` is the address block
    of the envelope window, for the post manifest.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="sent_letters")
    kind = models.CharField(max_length=30, choices=KIND_CHOICES)
    language = models.CharField(max_length=2, choices=Language.choices)
    channel = models.CharField(max_length=10, choices=LetterChannel.choices)
    recipient = models.CharField(max_length=12, choices=RECIPIENT_CHOICES, default="debtor")
    letter_date = models.DateField()
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="sent_letter")
    sha256 = models.CharField(max_length=64, db_index=True)
    pages = models.PositiveSmallIntegerField()
    produced_at = models.DateTimeField()
    produced_by = models.CharField(max_length=100)
    request = models.ForeignKey(
        LetterRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sent_letters",
    )
    batch = models.ForeignKey(
        PostBatch, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    address = models.TextField()
    content = models.JSONField(default=dict, blank=True)
    #: The day the letter left: the post batch's date (the post run hands the batch to the
    #: post), or the day the e-mail server accepted the e-mail. Empty while it waits. Written
    #: only by :mod:`amicable.letters.dispatch`; every period and cost counts from it.
    dispatched_on = models.DateField(null=True, blank=True)
    #: The e-mail carrying it failed for good or bounced: it reached nobody, and the letter
    #: goes again on paper (a new letter of the same request, in the next post run).
    undelivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar = [
            # A queued letter is produced once, even when two post runs race; an undelivered
            # e-mail's letter leaves room for its paper replacement.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(request__isnull=False, undelivered_at__isnull=True),
                name="sent_letter_once_per_request",
            ),
            # Only a paper letter is printed in a post run.
            models.CheckConstraint(
                condition=Q(batch__isnull=True) | Q(channel=LetterChannel.POST),
                name="sent_letter_batch_only_post",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["file", "produced_at"], name="sent_letter_file_idx"),
            models.Index(fields=["channel", "batch"], name="sent_letter_unbatched_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.channel}, {self.language}) for file {self.file_id}"


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    #: Every attempt failed: an agent has a work item to act on it.
    FAILED = "failed", _("Failed")
    #: Accepted by the server, then returned by the recipient's (``mark_bounced``).
    BOUNCED = "bounced", _("Bounced")
    #: The contact guard refused it at sending time (a dispute arrived meanwhile, say).
    REFUSED = "refused", _("Refused by the contact rules")


class OutgoingEmail(models.Model):
    """One e-mail to a debtor (or their mediator), kept as it is sent.

    Subject and bodies are written once, in the recipient's language, when the e-mail is
    queued: a retry sends the very same message. The PDF of ``letter`` is attached when set.
    ``message_id`` is the Message-ID header, by which a bounce finds its e-mail.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="outgoing_emails")
    letter = models.ForeignKey(
        SentLetter, on_delete=models.PROTECT, null=True, blank=True, related_name="emails"
    )
    to = models.EmailField()
    recipient = models.CharField(max_length=12, choices=RECIPIENT_CHOICES, default="debtor")
    purpose = models.CharField(max_length=30, choices=PURPOSE_CHOICES)
    language = models.CharField(max_length=2, choices=Language.choices)
    subject = models.CharField(max_length=300)
    text_body = models.TextField()
    html_body = models.TextField()
    attachment_name = models.CharField(max_length=100, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=100)
    sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["status", "next_attempt_at"], name="outgoing_email_due_idx"),
        ]

    def __str__(self) -> str:
        return f"e-mail {self.pk} to {self.to} ({self.status})"


class ContactAttempt(models.Model):
    """One outbound contact asked of the contact guard, and its answer.

    ``reason`` is the stable refusal code of :class:`amicable.domain.contact.ContactRefusal`
    (empty when allowed), ``message`` and ``article`` say why; ``next_allowed_at`` is when the
    same contact would pass the time rules. ``completed`` is False for an allowed contact that
    did not happen (the e-mail server failed): it reached nobody, so it does not count towards
    the frequency limits of the next ones.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="contact_log")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="contact_log")
    channel = models.CharField(max_length=12, choices=CHANNEL_CHOICES)
    recipient = models.CharField(max_length=12, choices=RECIPIENT_CHOICES)
    purpose = models.CharField(max_length=30, choices=PURPOSE_CHOICES)
    at = models.DateTimeField()
    allowed = models.BooleanField()
    reason = models.CharField(max_length=40, blank=True)
    message = models.CharField(max_length=300, blank=True)
    article = models.CharField(max_length=200, blank=True)
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    completed = models.BooleanField(default=True)
    actor = models.CharField(max_length=100)
    note = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["debtor", "at"], name="letters_contact_debtor_idx"),
            models.Index(fields=["allowed", "id"], name="letters_contact_allowed_idx"),
        ]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else f"refused ({self.reason})"
        return f"{self.channel} to {self.recipient} at {self.at:%Y-%m-%d %H:%M}: {verdict}"
