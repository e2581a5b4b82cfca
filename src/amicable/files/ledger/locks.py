"""Locking the files the ledger writes on, and the error of a ledger operation refused.

Every write on a file's money locks the file row first, until the end of the transaction
(``select_for_update`` on PostgreSQL; SQLite serialises writers). Many files are locked in id
order, so that two batches over the same files never deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable

from amicable.domain.lifecycle import FileState
from amicable.files.ledger.books import BOOK_CHUNK, FILE_FIELDS, FileTerms
from amicable.files.models import File

__all__ = ["LedgerError", "lock_file", "lock_files"]


class LedgerError(Exception):
    """A ledger operation that cannot be done as asked (nothing was written)."""


def lock_file(file_id: int) -> File:
    """The file row, locked until the end of the current transaction."""
    return File.objects.select_for_update().get(pk=file_id)


def lock_files(file_ids: Iterable[int]) -> dict[int, FileTerms]:
    """The files, locked until the end of the transaction, in id order (no deadlock)."""
    ids = sorted(set(file_ids))
    files: dict[int, FileTerms] = {}
    for start in range(0, len(ids), BOOK_CHUNK):
        rows = (
            File.objects.select_for_update()
            .filter(pk__any_of=ids[start : start + BOOK_CHUNK])
            .order_by("pk")
            .values_list(*FILE_FIELDS)
        )
        for pk, state, stops_on in rows:
            files[pk] = FileTerms(pk=pk, state=FileState(state), interest_stops_on=stops_on)
    return files
