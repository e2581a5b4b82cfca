"""Who among the staff opened which debtor's file page or document, and when: written once per
request, searched by the compliance officer (GDPR art. 15(1)(c) and art. 32: who had access).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from amicable.files.models import Document, File
from amicable.files.numbers import normalize_file_reference
from amicable.privacy.models import FileRead

__all__ = ["READ_PAGE_SIZE", "ReadPage", "list_file_reads", "record_file_read"]

READ_PAGE_SIZE = 100


def record_file_read(
    *, actor: str, file: File, at: datetime, document: Document | None = None
) -> None:
    """Write that ``actor`` opened ``file``'s page (or its ``document``) at ``at``: one insert."""
    FileRead.objects.create(actor=actor[:100], file=file, document=document, at=at)


@dataclass(frozen=True, slots=True)
class ReadPage:
    reads: list[FileRead]
    #: The id to ask the next (older) page with, or None on the last page.
    next_before: int | None


def _day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` where the agency is (Europe/Brussels)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def list_file_reads(
    *,
    actor: str = "",
    file_reference: str = "",
    since: date | None = None,
    until: date | None = None,
    before: int | None = None,
) -> ReadPage:
    """The reads by ``actor`` (a user name, or ``staff:<name>``) of ``file_reference`` between
    ``since`` and ``until`` (both days included), newest first, a page at a time.

    Paged by id (keyset): the millionth page costs what the first does.
    """
    reads: QuerySet[FileRead] = FileRead.objects.select_related("file", "document").order_by("-id")
    if actor:
        reads = reads.filter(actor=actor if actor.startswith("staff:") else f"staff:{actor}")
    if file_reference:
        reads = reads.filter(file__reference=normalize_file_reference(file_reference))
    if since is not None:
        reads = reads.filter(at__gte=_day_start(since))
    if until is not None:
        reads = reads.filter(at__lt=_day_start(until + timedelta(days=1)))
    if before is not None:
        reads = reads.filter(id__lt=before)
    page = list(reads[: READ_PAGE_SIZE + 1])
    more = len(page) > READ_PAGE_SIZE
    page = page[:READ_PAGE_SIZE]
    return ReadPage(reads=page, next_before=page[-1].pk if more else None)
