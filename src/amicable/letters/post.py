"""The day's letters: every pending letter the daily run queued, produced, and the paper ones
put together as one PDF for the printer with a CSV manifest for the envelopes.

:func:`run_letters_batch` works in two steps, each safe to run again:

1. every pending :class:`~amicable.workflow.models.LetterRequest` due on the day and not yet
   produced goes through :func:`amicable.letters.services.produce_letter`, one transaction
   each: a refused one is marked refused (``record_letter_refused``, an agent's work item), an
   e-mail one is queued for ``letters send-emails``;
2. every paper letter not yet in a post run (this run's, and those of a run stopped half-way)
   goes into one :class:`~amicable.letters.models.PostBatch`: the PDFs concatenated in order
   (pypdf), the manifest, both archived with their sha256; the letters are dispatched on the
   run's date, the day the run hands the batch to the post
   (:func:`amicable.letters.dispatch.record_dispatched`): their periods count from it.

A letter request whose e-mail failed for good or bounced is pending again, on paper: step 1
produces its paper letter like any other.

A second run on the same day finds nothing to do and makes no batch.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pypdf
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from amicable.domain.mentions import LetterKind
from amicable.letters.dispatch import record_dispatched
from amicable.letters.models import LetterChannel, PostBatch, SentLetter
from amicable.letters.refusals import record_letter_not_sent
from amicable.letters.selectors import without_delivered_letter
from amicable.letters.services import letter_channel, produce_letter, reprint_letter
from amicable.security.spreadsheets import safe_row
from amicable.workflow.models import LetterRequest, LetterStatus
from amicable.workflow.selectors import list_letters_due

__all__ = ["BATCH_ACTOR", "MANIFEST_COLUMNS", "BatchResult", "run_letters_batch"]

logger = logging.getLogger(__name__)

#: Who produces the day's letters, on the timeline.
BATCH_ACTOR = "letters-batch"

MANIFEST_COLUMNS = (
    "position",
    "first_page",
    "pages",
    "file_reference",
    "kind",
    "language",
    "sha256",
    "address",
)


@dataclass(slots=True)
class BatchResult:
    """What one run did: the post batch (None when nothing went on paper) and the counts."""

    run_date: date
    batch: PostBatch | None = None
    posted: int = 0
    emails_queued: int = 0
    refused: int = 0
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)
    written: tuple[Path, ...] = ()


def run_letters_batch(
    *,
    run_date: date,
    actor: str = BATCH_ACTOR,
    out_dir: Path | None = None,
    at: datetime | None = None,
) -> BatchResult:
    """Produce the letters due on ``run_date`` and make the day's post batch.

    ``out_dir``, when given, receives a copy of the batch's PDF and manifest for the printer.
    """
    at = at or timezone.now()
    result = BatchResult(run_date=run_date)
    requests = list(without_delivered_letter(list_letters_due(on=run_date)).select_related("file"))
    for request in requests:
        _produce(request, run_date=run_date, actor=actor, at=at, result=result)
    result.batch = _post_batch(run_date=run_date, actor=actor)
    if result.batch is not None:
        result.posted = result.batch.letter_count
        if out_dir is not None:
            result.written = _copy_out(result.batch, out_dir)
    return result


def _produce(
    request: LetterRequest, *, run_date: date, actor: str, at: datetime, result: BatchResult
) -> None:
    try:
        outcome = produce_letter(
            file=request.file,
            kind=LetterKind(request.kind),
            actor=actor,
            on=run_date,
            at=at,
            request=request,
        )
    except Exception as error:
        # One broken file must not stop the day's post: the letter goes to an agent, with
        # what went wrong, and the run goes on.
        logger.exception("Letter request %s could not be produced", request.pk)
        errors = (f"The letter could not be produced: {type(error).__name__}: {error}",)
        record_letter_not_sent(
            file=request.file,
            kind=LetterKind(request.kind),
            errors=errors,
            actor=actor,
            on=run_date,
            request=request,
        )
        result.refused += 1
        result.errors[request.pk] = errors
        return
    if not outcome.produced:
        result.refused += 1
        result.errors[request.pk] = outcome.errors
    elif letter_channel(request) == LetterChannel.EMAIL:
        result.emails_queued += 1


@transaction.atomic
def _post_batch(*, run_date: date, actor: str) -> PostBatch | None:
    """One PDF and one manifest with every paper letter not yet posted, or None."""
    letters = list(
        SentLetter.objects.select_for_update()
        .filter(channel=LetterChannel.POST, batch__isnull=True)
        .select_related("file", "document")
        .order_by("pk")
    )
    if not letters:
        return None
    writer = pypdf.PdfWriter()
    manifest = io.StringIO()
    rows = csv.writer(manifest, lineterminator="\n")
    rows.writerow(MANIFEST_COLUMNS)
    first_page = 1
    for position, letter in enumerate(letters, start=1):
        pdf = reprint_letter(letter)  # the archived bytes, checked against their sha256
        writer.append(io.BytesIO(pdf))
        # The address comes from the creditor: it may not become a formula in the printer's
        # spreadsheet (amicable.security.spreadsheets).
        rows.writerow(
            safe_row(
                (
                    position,
                    first_page,
                    letter.pages,
                    letter.file.reference,
                    letter.kind,
                    letter.language,
                    letter.sha256,
                    " / ".join(letter.address.splitlines()),
                )
            )
        )
        first_page += letter.pages
    output = io.BytesIO()
    writer.write(output)
    pdf_bytes = output.getvalue()
    manifest_bytes = manifest.getvalue().encode("utf-8")
    sequence = (
        PostBatch.objects.filter(date=run_date).aggregate(last=Max("sequence"))["last"] or 0
    ) + 1
    name = f"post-{run_date.isoformat()}-{sequence}"
    batch = PostBatch(
        date=run_date,
        sequence=sequence,
        pdf_sha256=hashlib.sha256(pdf_bytes).hexdigest(),
        manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
        letter_count=len(letters),
        page_count=first_page - 1,
        created_by=actor[:100],
    )
    batch.pdf.save(f"{name}.pdf", ContentFile(pdf_bytes), save=False)
    batch.manifest.save(f"{name}.csv", ContentFile(manifest_bytes), save=False)
    batch.save()
    letter_ids = [letter.pk for letter in letters]
    SentLetter.objects.filter(pk__any_of=letter_ids).update(batch=batch)
    record_dispatched(letter_ids, on=run_date, actor=actor)
    return batch


def _copy_out(batch: PostBatch, out_dir: Path) -> tuple[Path, ...]:
    """Copy the batch's PDF and manifest into ``out_dir`` for the printer."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for stored in (batch.pdf, batch.manifest):
        target = out_dir / Path(str(stored.name)).name
        with stored.open("rb") as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy)
        written.append(target)
    return tuple(written)


def pending_count(*, run_date: date) -> int:
    """Letters due on ``run_date`` that no run has produced yet."""
    return without_delivered_letter(
        LetterRequest.objects.filter(status=LetterStatus.PENDING, due_on__lte=run_date)
    ).count()
