"""Reads on files, each one scoped to whoever asks (docs/architecture.md, invariant 5).

A creditor reaches only its own files: another creditor's file is answered exactly like a file
that does not exist (``FileNotFound``, a 404), so a reference reveals nothing about others.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from amicable.domain.lifecycle import FileState
from amicable.files.models import Claim, Creditor, Event, File
from amicable.files.numbers import is_file_reference, normalize_file_reference
from amicable.files.prepared import PreparedRead
from amicable.files.timeline import Audience, kinds_for


class FileNotFound(Http404):
    """No such file for the one who asks (including: it belongs to someone else)."""


def access_file_for_creditor(creditor: Creditor, reference: str) -> File:
    """The creditor's file with this agency reference (AM00000042, or as a person types it)."""
    normalized = normalize_file_reference(reference)
    # Checked before any query: a malformed reference cannot exist, and some (a NUL byte)
    # would be refused by the database itself.
    if not is_file_reference(normalized):
        raise FileNotFound(reference)
    found = _CREDITOR_FILE(creditor_id=creditor.pk, reference=normalized)
    if not found:
        raise FileNotFound(reference)
    return found[0]


#: Read on every call of the API about one file: prepared (``files.prepared``).
_CREDITOR_FILE = PreparedRead(
    "a creditor's file",
    lambda creditor_id, reference: (
        File.objects.select_related("debtor", "creditor")
        .filter(creditor_id=creditor_id, reference=reference)
        .order_by("pk")[:1]
    ),
    creditor_id=int,
    reference=str,
)


def list_files_for_creditor(
    *,
    creditor: Creditor,
    limit: int,
    state: FileState | None = None,
    updated_since: datetime | None = None,
    creditor_reference: str | None = None,
    after_id: int | None = None,
) -> list[File]:
    """At most ``limit`` of the creditor's files in a stable order (by id), after ``after_id``.

    Keyset pagination: a page costs the same at the millionth file as at the first, and files
    added while a client pages through never shift the pages it has not read yet.
    """
    files: QuerySet[File] = File.objects.select_related("debtor").filter(creditor=creditor)
    if state is not None:
        files = files.filter(state=state)
    if updated_since is not None:
        files = files.filter(updated_at__gte=updated_since)
    if creditor_reference is not None:
        files = files.filter(creditor_reference=creditor_reference)
    if after_id is not None:
        files = files.filter(id__gt=after_id)
    return list(files.order_by("id")[:limit])


def list_claims(file: File) -> list[Claim]:
    return list(file.claims.order_by("due_date", "id"))


def get_claim_by_reference(file: File, creditor_reference: str) -> Claim | None:
    return file.claims.filter(creditor_reference=creditor_reference).first()


def list_timeline(file: File, *, audience: Audience) -> list[Event]:
    """The file's timeline as ``audience`` may read it, oldest first: staff read every event,
    a debtor or a creditor only the kinds meant for them (``files.timeline.kinds_for``)."""
    if audience is Audience.STAFF:
        return list(file.events.order_by("at", "id"))
    events = _TIMELINE_OF[audience](file_id=file.pk)
    for event in events:
        event.file = file  # as ``file.events`` would give them: no query to reach it again
    return events


def _timeline(file_id: int, audience: Audience) -> QuerySet[Event]:
    # The kinds as one parameter (some thirty of them), and without the columns of the
    # books' seal, which only staff's tools and the check of the books read.
    return (
        Event.objects.filter(file_id=file_id, kind__any_of=sorted(kinds_for(audience)))
        .order_by("at", "id")
        .defer("chain_hash", "seal", "personal_digest")
    )


#: A debtor's and a creditor's timeline, read on every file page: prepared (``files.prepared``).
_TIMELINE_OF: Mapping[Audience, PreparedRead[Event]] = {
    audience: PreparedRead(
        f"the timeline of a file for its {audience.value}",
        lambda file_id, audience=audience: _timeline(file_id, audience),
        file_id=int,
    )
    for audience in (Audience.DEBTOR, Audience.CREDITOR)
}
