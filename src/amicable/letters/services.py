"""Producing letters: the contact guard first, then every check, then the PDF, archived as is.

:func:`produce_letter` is the one way a letter comes to exist:

1. the contact guard is asked (:func:`amicable.letters.guard.request_contact`: no third party,
   nothing while collection is suspended or a dispute is being checked, docs/legal.md, section 4);
   a refusal is recorded, put on the timeline and handed to an agent, and no letter is made;
2. the letter is built from the file and its ledger on the letter date
   (:func:`amicable.letters.assembly.build_letter_data`) and rendered
   (:func:`amicable.letters.rendering.render_letter`), which refuses it, naming every missing
   mention and every figure rule broken (CEL art. XIX.2, XIX.4, XIX.7 §2), before anything is
   rendered; such a letter goes to an agent's queue with the items named;
3. the PDF is archived exactly as produced, with its sha256 (a ``letter`` document of the
   file), and the letter is on the timeline; by e-mail it is queued
   (:mod:`amicable.letters.emails`), on paper it waits for the post run
   (:mod:`amicable.letters.post`).

:func:`reprint_letter` gives the archived bytes back, never a new rendering: what the debtor
received is what the file holds.

The contact guard itself (:func:`request_contact`, :func:`log_phone_call`) is re-exported here
for the back office and the other apps.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pypdf
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from amicable.domain.contact import ContactChannel, ContactDecision
from amicable.domain.law import Channel
from amicable.domain.mentions import LetterKind
from amicable.files.ledger import lock_file
from amicable.files.models import Document, DocumentKind, File
from amicable.files.services import issue_access_code
from amicable.files.timeline import EventKind, record_event
from amicable.letters.assembly import (
    LetterDetails,
    build_letter_data,
    debtor_language,
    portal_url,
)
from amicable.letters.emails import letter_email_address, queue_letter_email
from amicable.letters.guard import (
    contact_of_kind,
    log_phone_call,
    request_contact,
    request_contact_attempt,
)
from amicable.letters.models import LetterChannel, OutgoingEmail, SentLetter
from amicable.letters.refusals import record_letter_not_sent
from amicable.letters.rendering import LetterRefused, letter_view, render_letter
from amicable.workflow.models import LetterRequest, LetterStatus

__all__ = [
    "ArchiveDamaged",
    "LetterDetails",
    "LetterOutcome",
    "log_phone_call",
    "produce_letter",
    "reprint_letter",
    "request_contact",
]


class ArchiveDamaged(Exception):
    """The archived PDF no longer has the sha256 recorded when it was produced."""


@dataclass(frozen=True, slots=True)
class LetterOutcome:
    """What :func:`produce_letter` did.

    ``letter`` is the archived letter, or None when it was not produced; then ``errors`` says
    why, one sentence per item (the guard's refusal, each missing mention with its article,
    each figure rule broken). ``email`` is the queued e-mail of a letter sent by e-mail.
    """

    letter: SentLetter | None
    decision: ContactDecision | None
    errors: tuple[str, ...] = ()
    email: OutgoingEmail | None = None

    @property
    def produced(self) -> bool:
        return self.letter is not None


def _law_channel(channel: LetterChannel) -> Channel:
    return Channel.ELECTRONIC if channel == LetterChannel.EMAIL else Channel.PAPER


def letter_channel(request: LetterRequest) -> LetterChannel:
    """How a queued letter goes out: the channel the daily run chose for it."""
    return LetterChannel.EMAIL if request.channel == Channel.ELECTRONIC else LetterChannel.POST


def produce_letter(
    *,
    file: File,
    kind: LetterKind,
    actor: str,
    channel: LetterChannel = LetterChannel.POST,
    on: date | None = None,
    at: datetime | None = None,
    details: LetterDetails | None = None,
    request: LetterRequest | None = None,
) -> LetterOutcome:
    """Produce, archive and (by e-mail) queue one letter of ``kind`` for ``file``.

    ``on`` is the letter date (default: today in Belgium); ``at`` the moment the guard judges
    (default: now). ``request`` is the daily run's queued letter this one answers: its
    channel is then the request's, and a refusal marks it refused through the workflow (which
    hands it to an agent). A request already produced is not produced again: its archived
    letter is returned. Never raises for a refused letter: see :class:`LetterOutcome`.
    """
    at = at or timezone.now()
    on = on or timezone.localdate(at)
    kind = LetterKind(kind)
    if request is not None:
        channel = letter_channel(request)
    channel = LetterChannel(channel)
    with transaction.atomic():
        file = lock_file(file.pk)
        if request is not None:
            request = LetterRequest.objects.select_for_update().get(pk=request.pk)
            existing = SentLetter.objects.filter(
                request=request, undelivered_at__isnull=True
            ).first()
            if existing is not None:
                return LetterOutcome(letter=existing, decision=None)
            if request.status != LetterStatus.PENDING:
                return LetterOutcome(
                    letter=None,
                    decision=None,
                    errors=(f"The letter request is {request.status}, not pending.",),
                )
        purpose, recipient = contact_of_kind(kind)
        _attempt, decision = request_contact_attempt(
            file=file,
            # The letter itself, wherever it goes: its e-mail asks the guard again when sent,
            # with the hours that apply to e-mails.
            channel=ContactChannel.LETTER,
            purpose=purpose,
            recipient=recipient,
            actor=actor,
            at=at,
            note=f"{kind.value} by {channel.value}",
            letter_kind=kind,
        )
        if not decision.allowed:
            return _refused(file, kind, (decision.message,), decision, actor, on, request)
        if channel == LetterChannel.EMAIL and not letter_email_address(file, kind):
            return _refused(
                file,
                kind,
                ("No e-mail address is known for this letter; it cannot go by e-mail.",),
                decision,
                actor,
                on,
                request,
            )
        try:
            pdf, data_view = _render(
                file=file,
                kind=kind,
                on=on,
                channel=channel,
                details=details,
                request=request,
                actor=actor,
            )
        except LetterRefused as refused:
            return _refused(file, kind, tuple(refused.errors), decision, actor, on, request)
        try:
            with transaction.atomic():
                letter = _archive(
                    file=file,
                    kind=kind,
                    channel=channel,
                    recipient=recipient.value,
                    on=on,
                    at=at,
                    actor=actor,
                    request=request,
                    pdf=pdf,
                    view=data_view,
                )
        except IntegrityError:
            # Another post run archived this request a moment ago (the unique constraint).
            return LetterOutcome(
                letter=SentLetter.objects.filter(
                    request=request, undelivered_at__isnull=True
                ).first(),
                decision=None,
            )
        email = None
        if channel == LetterChannel.EMAIL:
            email = queue_letter_email(letter=letter, actor=actor, at=at)
    return LetterOutcome(letter=letter, decision=decision, email=email)


def _render(
    *,
    file: File,
    kind: LetterKind,
    on: date,
    channel: LetterChannel,
    details: LetterDetails | None,
    request: LetterRequest | None,
    actor: str,
) -> tuple[bytes, dict[str, Any]]:
    """The PDF and what it printed; raises :class:`LetterRefused`.

    A letter to the debtor carries a new personal access code for the portal (the previous one
    stops working; only its hash is kept). It is issued inside a savepoint, so that a letter
    refused by a rule leaves the code in use unchanged.
    """
    with transaction.atomic():
        code = ""
        if portal_url() and kind is not LetterKind.MEDIATOR_CLAIM_DECLARATION:
            code = issue_access_code(file=file, actor=actor)
        data = build_letter_data(
            file=file,
            kind=kind,
            on=on,
            channel=_law_channel(channel),
            details=details,
            request=request,
            access_code=code,
        )
        pdf = render_letter(data)
    view = letter_view(data)
    if view.get("portal"):
        # The code is printed, never stored in clear (amicable.files.access_codes).
        view["portal"] = {**view["portal"], "access_code": ""}
    return pdf, view


def _archive(
    *,
    file: File,
    kind: LetterKind,
    channel: LetterChannel,
    recipient: str,
    on: date,
    at: datetime,
    actor: str,
    request: LetterRequest | None,
    pdf: bytes,
    view: dict[str, Any],
) -> SentLetter:
    """Store the PDF exactly as produced, as a ``letter`` document of the file, and record it."""
    sha256 = hashlib.sha256(pdf).hexdigest()
    document = Document(
        file=file,
        kind=DocumentKind.LETTER,
        original_name=f"{file.reference}-{kind.value}-{on.isoformat()}.pdf",
        content_type="application/pdf",
        size=len(pdf),
        sha256=sha256,
        uploaded_by=actor[:100],
    )
    document.content.save(f"{sha256}.pdf", ContentFile(pdf), save=False)
    document.save()
    letter = SentLetter.objects.create(
        file=file,
        kind=kind.value,
        language=debtor_language(file.debtor),
        channel=channel,
        recipient=recipient,
        letter_date=on,
        document=document,
        sha256=sha256,
        pages=len(pypdf.PdfReader(io.BytesIO(pdf)).pages),
        produced_at=at,
        produced_by=actor[:100],
        request=request,
        address="\n".join(view["recipient"]["lines"]),
        content=view,
    )
    record_event(
        file,
        EventKind.LETTER_PRODUCED,
        actor=actor,
        data={
            "letter": letter.pk,
            "kind": kind.value,
            "channel": channel.value,
            "sha256": sha256,
            "pages": letter.pages,
            "letter_request": request.pk if request is not None else None,
        },
    )
    return letter


def _refused(
    file: File,
    kind: LetterKind,
    errors: tuple[str, ...],
    decision: ContactDecision,
    actor: str,
    on: date,
    request: LetterRequest | None,
) -> LetterOutcome:
    record_letter_not_sent(file=file, kind=kind, errors=errors, actor=actor, on=on, request=request)
    return LetterOutcome(letter=None, decision=decision, errors=errors)


def reprint_letter(archive: SentLetter) -> bytes:
    """The archived PDF, byte for byte as it was produced; never a new rendering.

    Raises :class:`ArchiveDamaged` when the stored file no longer matches the sha256 recorded
    at production (a damaged or altered archive must not pass for the letter sent).
    """
    with archive.document.content.open("rb") as stored:
        pdf: bytes = stored.read()
    if hashlib.sha256(pdf).hexdigest() != archive.sha256:
        raise ArchiveDamaged(
            f"The archived PDF of letter {archive.pk} does not match its sha256 {archive.sha256}."
        )
    return pdf
