"""Reads on letters, e-mails and contact attempts, for the back office and the portal."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from amicable.files.models import File
from amicable.letters.models import ContactAttempt, OutgoingEmail, PostBatch, SentLetter
from amicable.workflow.models import LetterRequest

__all__ = [
    "list_contact_attempts",
    "list_emails",
    "list_post_batches",
    "list_refused_contacts",
    "list_sent_letters",
    "without_delivered_letter",
]


def without_delivered_letter(requests: QuerySet[LetterRequest]) -> QuerySet[LetterRequest]:
    """The requests with no letter yet, or only the letter of an e-mail that never arrived
    (failed for good or bounced): those are produced again, on paper."""
    delivered = SentLetter.objects.filter(request=OuterRef("pk"), undelivered_at__isnull=True)
    return requests.filter(~Exists(delivered))


def list_sent_letters(file: File) -> QuerySet[SentLetter]:
    """The letters produced for ``file``, newest first, with their archived document."""
    return (
        SentLetter.objects.select_related("document", "batch", "request")
        .filter(file=file)
        .order_by("-produced_at", "-pk")
    )


def list_emails(file: File) -> QuerySet[OutgoingEmail]:
    """The e-mails of ``file``, newest first, with their status, attempts and last error."""
    return OutgoingEmail.objects.filter(file=file).order_by("-created_at", "-pk")


def list_contact_attempts(file: File) -> QuerySet[ContactAttempt]:
    """Every contact asked of the guard for ``file``, allowed or refused, newest first."""
    return ContactAttempt.objects.filter(file=file).order_by("-at", "-pk")


def list_refused_contacts(*, before: int | None = None, limit: int = 50) -> list[ContactAttempt]:
    """The contacts the rules refused, newest first, ``limit`` at a time (keyset on the id)."""
    attempts = ContactAttempt.objects.select_related("file").filter(allowed=False)
    if before is not None:
        attempts = attempts.filter(pk__lt=before)
    return list(attempts.order_by("-pk")[:limit])


def list_post_batches(*, limit: int = 30) -> list[PostBatch]:
    """The latest post runs, newest first."""
    return list(PostBatch.objects.order_by("-date", "-sequence")[:limit])
