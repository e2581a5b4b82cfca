"""What the ledger writes, gathered in memory and written in one insert per table.

The single path (an agent's action on one file) and the batch path (a bank statement, a
daily-run batch) write through the same :class:`LedgerWrites`: entries, then the allocations that
point to them, then the events, each table in one statement (a PostgreSQL ``COPY`` through
``files.bulk``), each row chained to its file's history first (``files.chain``). Nothing else
writes the ledger and allocation tables: :func:`write_entries` and :func:`write_allocations`
are the two doors for the few operations that write one entry outside a book.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models.base import ModelState

from amicable.domain.imputation import Component
from amicable.files.bulk import copy_rows, insert_rows
from amicable.files.chain import seal
from amicable.files.ledger.books import Book, EntryKey
from amicable.files.models import Allocation, LedgerEntry
from amicable.files.timeline import EventKind, EventRow, record_events

__all__ = ["LedgerWrites", "new_entry", "write_allocations", "write_entries"]

# The booking moment is set when the entry is written (``chain.seal``), not at import.
_ENTRY_DEFAULTS = {
    f.attname: None if f.attname == "booked_at" else f.get_default()
    for f in LedgerEntry._meta.concrete_fields
}
# The columns of an entry written as a plain row (the key comes from the table).
_ROW_FIELDS = tuple(f.attname for f in LedgerEntry._meta.concrete_fields if not f.primary_key)
_ALLOCATION_FIELDS = (
    "entry_id",
    "file_id",
    "claim_id",
    "component",
    "amount",
    "value_date",
    "chain_hash",
)


@transaction.atomic
def write_entries(entries: list[LedgerEntry], *, new_files: bool = False) -> None:
    """Chain and insert ``entries`` (unsaved), each given its key; ``new_files`` as for
    :func:`files.chain.seal` (the hand-over's first entries)."""
    seal(LedgerEntry, [entry.__dict__ for entry in entries], new_files=new_files)
    insert_rows(LedgerEntry, entries)


@transaction.atomic
def write_allocations(allocations: list[Allocation]) -> None:
    """Chain and insert ``allocations`` (unsaved)."""
    seal(Allocation, [allocation.__dict__ for allocation in allocations])
    copy_rows(
        Allocation,
        _ALLOCATION_FIELDS,
        ([row.__dict__[name] for name in _ALLOCATION_FIELDS] for row in allocations),
    )


def new_entry(**values: Any) -> LedgerEntry:
    """An unsaved entry, values by attribute name, the others at their default.

    Built without ``Model.__init__`` (whose per-field work costs more than the rest of a
    posting, for the 150,000 entries of a bank statement): the instance holds exactly the
    attributes ``__init__`` would set, and a fresh ``_state`` (unsaved).
    """
    unknown = values.keys() - _ENTRY_DEFAULTS.keys()
    if unknown:
        raise TypeError(f"LedgerEntry has no field {', '.join(sorted(unknown))}.")
    entry = LedgerEntry.__new__(LedgerEntry)
    entry.__dict__.update(_ENTRY_DEFAULTS, **values)
    entry._state = ModelState()
    return entry


@dataclass(slots=True)
class LedgerWrites:
    """Entries, allocations and events to write, in order; :meth:`flush` writes them.

    Its user holds the lock of every file it writes to, taken before their books were read
    (``locks.lock_file``/``lock_files``, or the daily run's batch, ``FOR UPDATE``): the books
    it charged on cannot have moved, and the flush does not lock the files again.
    """

    entries: list[LedgerEntry] = field(default_factory=list)
    allocations: list[tuple[EntryKey, int, int, Component, Decimal, date]] = field(
        default_factory=list
    )
    events: list[EventRow] = field(default_factory=list)

    def add_entry(self, book: Book, entry: LedgerEntry) -> EntryKey:
        """Add ``entry`` to the writes and to ``book``."""
        book.add_entry(
            entry.kind,
            entry.component,
            entry.claim_id,
            entry.amount,
            period_end=entry.period_end,
            value_date=entry.value_date,
        )
        self.entries.append(entry)
        return (1, len(self.entries) - 1)

    def allocate(
        self,
        book: Book,
        entry: EntryKey,
        claim_id: int,
        component: Component,
        amount: Decimal,
        *,
        on: date,
        effective: date,
    ) -> None:
        """Allocate ``amount`` of a payment entry to a claim's component, on ``on`` (the value
        date of the split), its principal counting for interest from ``effective``."""
        book.add_allocation(claim_id, component, amount, effective=effective, entry=entry)
        self.allocations.append((entry, book.file.pk, claim_id, component, amount, on))

    def event(
        self,
        file_id: int,
        kind: EventKind,
        *,
        actor: str,
        message: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(EventRow(file_id, kind, actor, message, data or {}))

    @transaction.atomic
    def flush(self, *, keys: bool = True) -> list[LedgerEntry]:
        """Write everything gathered; returns the entries, with their keys unless ``keys`` is
        false and no allocation points to them (the daily run's thousands of charges are then
        written as plain rows: nobody reads their keys, and fetching them costs a query).
        Each table's rows are chained to their files' histories first (``files.chain``);
        every writer of the ledger has locked its files before reading their books, so the
        chains are not locked again."""
        seal(LedgerEntry, [entry.__dict__ for entry in self.entries], locked=True)
        if keys or any(entry[0] == 1 for entry, *_rest in self.allocations):
            insert_rows(LedgerEntry, self.entries)
        else:
            copy_rows(
                LedgerEntry,
                _ROW_FIELDS,
                ([entry.__dict__[name] for name in _ROW_FIELDS] for entry in self.entries),
            )
        allocations = [
            {
                "entry_id": self._pk(entry),
                "file_id": file_id,
                "claim_id": claim_id,
                "component": component,
                "amount": amount,
                "value_date": on,
            }
            for entry, file_id, claim_id, component, amount, on in self.allocations
        ]
        seal(Allocation, allocations, locked=True)
        copy_rows(
            Allocation,
            _ALLOCATION_FIELDS,
            ([row[name] for name in _ALLOCATION_FIELDS] for row in allocations),
        )
        record_events(self.events, locked=True)
        written = self.entries
        self.entries, self.allocations, self.events = [], [], []
        return written

    def _pk(self, entry: EntryKey) -> int:
        saved, number = entry
        if saved == 0:
            return number
        pk = self.entries[number].pk
        assert pk is not None  # insert_rows gave every entry its key
        return pk
