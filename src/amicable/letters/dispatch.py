"""When a letter leaves: the one writer of a letter's dispatch day, and the paper fallback.

A letter counts as sent only when it was sent (docs/legal.md, section 1; CEL art. XIX.2 and
XIX.7 §3). Its dispatch day is:

- on paper, the post batch's date: the post run hands the batch to the post
  (:mod:`amicable.letters.post`); the 14 days of a paper letter then start on the third working
  day after it (:func:`amicable.domain.law.grace_period`);
- by e-mail, the day the e-mail server accepted it (Django's e-mail backend ``send()``
  returned without an error, :mod:`amicable.letters.emails`); the 14 days start the day after.

:func:`record_dispatched` writes that day on the letters (``SentLetter.dispatched_on``), puts it
on the timeline and hands it to the letter queue (:func:`amicable.workflow.letter_queue.
record_letters_produced`), which dates the first reminder's claims and from which the daily run
reads every period and cost, the batch path and the one-file path alike. A letter printed but
not yet posted, or an e-mail still queued, has no dispatch day: no period runs, nothing is
charged, and no later letter refers to it as sent.

An e-mail that fails for good or bounces reached nobody: :func:`fall_back_to_paper` marks its
letter undelivered and queues the letter again on paper; the next post run produces and posts
it, and its periods count from that dispatch.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from amicable.files.timeline import EventKind, EventRow, record_event, record_events
from amicable.letters.models import SentLetter
from amicable.workflow.letter_queue import record_letter_undelivered, record_letters_produced

__all__ = ["fall_back_to_paper", "record_dispatched"]


@transaction.atomic
def record_dispatched(letter_ids: Sequence[int], *, on: date, actor: str) -> int:
    """These letters left on ``on``; returns how many had not been dispatched before.

    Set-based: one read, one update, one insert of events and one update of the letter queue,
    whatever the number of letters (a post batch may hold a day's hundred thousand).
    """
    rows = list(
        SentLetter.objects.filter(
            pk__any_of=list(letter_ids), dispatched_on__isnull=True, undelivered_at__isnull=True
        ).values_list("pk", "file_id", "kind", "channel", "request_id")
    )
    if not rows:
        return 0
    SentLetter.objects.filter(pk__any_of=[pk for pk, *_ in rows]).update(dispatched_on=on)
    record_events(
        EventRow(
            file_id,
            EventKind.LETTER_DISPATCHED,
            actor,
            f"The {kind.replace('_', ' ')} left on {on.isoformat()} ({channel}): its periods "
            "count from that dispatch (CEL art. XIX.2, XIX.7 §3).",
            {"letter": pk, "kind": kind, "channel": channel, "dispatched_on": on.isoformat()},
        )
        for pk, file_id, kind, channel, _request in rows
    )
    request_ids = [request for *_, request in rows if request is not None]
    if request_ids:
        record_letters_produced(request_ids=request_ids, produced_on=on, actor=actor)
    return len(rows)


@transaction.atomic
def fall_back_to_paper(
    *, letter: SentLetter, to: str, reason: str, at: datetime, actor: str
) -> bool:
    """The e-mail carrying ``letter`` failed for good or bounced: send the letter on paper.

    The e-mail's letter is marked undelivered (its dispatch day, if any, no longer counts) and
    its request waits for the next post run; the debtor reads on their history that the letter
    comes by post. Returns False when nothing was queued: the letter answers no queued request
    (an agent's letter), or the daily run already acted on the e-mail (docs/legal.md, section 1);
    the caller then hands it to an agent (``amicable.letters.refusals``).
    """
    if letter.request_id is None:
        return False
    on = timezone.localdate(at)
    SentLetter.objects.filter(pk=letter.pk).update(undelivered_at=at)
    outcome = record_letter_undelivered(request_id=letter.request_id, on=on, actor=actor)
    if not outcome.requeued:
        return False
    record_event(
        letter.file,
        EventKind.LETTER_SENT_BY_POST_INSTEAD,
        actor=actor,
        message=f"The e-mail did not reach the debtor ({reason}); the letter goes by post in "
        "the next post run, and its periods count from that dispatch."[:500],
        data={
            "letter": letter.pk,
            "kind": letter.kind,
            "to": to,
            "letter_request": letter.request_id,
        },
    )
    return True
