"""Each file's books as hash chains: tamper-evident history (docs/architecture.md, invariant 9).

Three chains per file, one per table: its ledger entries, its allocations and its events, each
in id order. Every row stores ``chain_hash = SHA-256(previous row's chain_hash + "\\n" +
canonical content of the row)``; the first row of a file's chain starts from "". Changing,
removing or inserting a row anywhere in a chain (with the database's triggers dropped, or in a
copy of the database) makes that row, or the one after it, disagree with its hash:
:func:`verify` finds it (``amicable verify-books`` and the daily run).

The canonical content is a JSON array of the row's values in a fixed order, its format first:
amounts with two decimals, dates in ISO form, moments in UTC to the microsecond, JSON with
sorted keys (format v1); an event's data is written as PostgreSQL prints a ``jsonb`` value
(format v2, events sealed in v1 still verify). The id is left out (on the batch path the table
gives it after the hash is computed) and the order of the chain stands for it. On PostgreSQL
the database writes the same content and checks the hashes itself; only the rows it cannot
confirm are read back and decided in Python.

An event's personal data (its message, the personal keys of its data, a typed actor;
``files.timeline``) is not hashed into the chain itself but through a digest,
``personal_digest = SHA-256(seal + "\\n" + personal content)``, with ``seal`` a random value
kept on the row: while the row is whole the digest is checked too; the retention task's
pseudonymisation erases the personal fields and the seal together, and the digest left is
then a random-looking value from which nothing personal can be recovered, while the chain,
which hashed the digest, still verifies. An event written with nothing personal (no message,
no personal key, no typed actor: an interest booked, a payment matched) has neither seal nor
digest; like a pseudonymised event, it must keep its personal fields empty.

Every writer of these tables seals its rows here, in memory, right before its one insert:
:func:`seal` locks the files touched (PostgreSQL; SQLite serialises writers), reads the last
hash of each of their chains in one query per 5,000 files, and chains the new rows in their
order. The caller inserts them in that order, in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from operator import itemgetter
from typing import Any, Final

from django.db import DataError, connection, models, transaction
from django.db.models import Max, Subquery
from django.utils import timezone

from amicable.domain.imputation import Component
from amicable.files.lookups import array_text
from amicable.files.models import Allocation, EntryKind, EntrySource, Event, File, LedgerEntry

__all__ = [
    "CHAINED",
    "Break",
    "chain_row",
    "event_parts",
    "last_ids",
    "seal",
    "verify",
]

#: The format of the canonical content; a change of format is a new version, never an edit.
VERSION: Final = "v1"
#: The format of an event's canonical content since its data is written as PostgreSQL prints
#: it (:func:`_event_content`); events sealed in format v1 still verify.
EVENT_VERSION: Final = "v2"
_CHUNK = 5000

#: What each chained table hashes, in order (attribute names). Events are hashed by
#: :func:`_event_content`.
_FIELDS: Mapping[type[models.Model], tuple[str, ...]] = {
    LedgerEntry: (
        "file_id",
        "claim_id",
        "kind",
        "component",
        "amount",
        "value_date",
        "booked_at",
        "source",
        "source_reference",
        "actor",
        "note",
        "period_start",
        "period_end",
        "reverses_id",
    ),
    Allocation: ("entry_id", "file_id", "claim_id", "component", "amount", "value_date"),
}
#: The chained tables, in the order :func:`verify` reports them.
CHAINED: tuple[type[models.Model], ...] = (LedgerEntry, Allocation, Event)
#: The moment each table stamps on its rows when they are written (part of the content).
_STAMP: Mapping[type[models.Model], str] = {LedgerEntry: "booked_at", Event: "at"}
#: How the report names each table.
TABLE_NAMES: Mapping[type[models.Model], str] = {
    LedgerEntry: "ledger",
    Allocation: "allocations",
    Event: "events",
}


def _plain(name: str, value: Any) -> Any:
    """``value`` as it reads back from either database, in a form JSON writes one way."""
    kind = type(value)
    # Most values are plain already: a text, an id, nothing (an amount is never kept as text).
    if value is None or kind is int or (kind is str and name != "amount"):
        return value
    if isinstance(value, Enum):
        value = value.value
    if name == "amount":
        return f"{value if isinstance(value, Decimal) else Decimal(str(value)):.2f}"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


# One encoder for every row: ``json.dumps`` with these options would build a new one each call,
# and ``JSONEncoder.encode`` builds its C encoder each call too. This is that C encoder, built
# once with the same options (the circular check left out: a row's values are never circular),
# so the text is byte for byte what ``json.dumps(..., ensure_ascii=False, separators=(",",
# ":"), sort_keys=True)`` writes (``tests/files/test_books_sealed.py`` checks it).
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)
_MAKE_C_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_SORT_KEYS, _SKIP_KEYS, _ALLOW_NAN = True, False, True  # the options of _ENCODER
_KEPT_ORDER: Final = False  # jsonb's order, given by _jsonb_ordered
_C_ENCODER: Final = (
    _MAKE_C_ENCODER(
        None,
        _ENCODER.default,
        json.encoder.encode_basestring,
        None,
        ":",
        ",",
        _SORT_KEYS,
        _SKIP_KEYS,
        _ALLOW_NAN,
    )
    if _MAKE_C_ENCODER is not None
    else None
)


_STRING: Final = json.encoder.encode_basestring


def _canonical(values: Sequence[Any]) -> str:
    if _C_ENCODER is None:
        return _ENCODER.encode([VERSION, *values])
    return "".join(_C_ENCODER([VERSION, *values], 0))


def _link(previous: str, content: str) -> str:
    return hashlib.sha256(f"{previous}\n{content}".encode()).hexdigest()


@cache
def _personal_of(kind: str) -> tuple[frozenset[str], bool]:
    """:func:`files.timeline.personal_part`, asked once per kind (it reads constant tables)."""
    # Imported here: the timeline imports this module to seal what it writes.
    from amicable.files.timeline import personal_part

    return personal_part(kind)


def event_parts(kind: str, actor: str, message: str, data: Any) -> tuple[str, Any, Any]:
    """An event's actor as hashed, its data without the personal keys, and its personal
    content (message, personal keys, typed actor), as :mod:`files.timeline` defines them."""
    keys, typed = _personal_of(kind)
    if isinstance(data, dict) and keys & data.keys():
        kept = {key: value for key, value in data.items() if key not in keys}
        personal = {key: data[key] for key in sorted(keys & data.keys())}
    else:
        kept, personal = data, {}
    return ("" if typed else actor), kept, [message, personal, actor if typed else ""]


def _personal_digest(seal_value: str, personal: Any) -> str:
    return _link(seal_value, _canonical([personal]))


def _amount(value: Any) -> Any:
    return f"{value:.2f}" if type(value) is Decimal else _plain("amount", value)


def _day(value: Any) -> Any:
    return value.isoformat() if type(value) is date else _plain("", value)


#: The last moment written and its text: a batch's rows are stamped with one moment.
_LAST_MOMENT: list[tuple[Any, str]] = [(None, "")]


def _moment(value: Any) -> Any:
    if type(value) is datetime:
        last = _LAST_MOMENT[0]
        if last[0] is value:
            return last[1]
        text = value.astimezone(UTC).isoformat(timespec="microseconds")
        _LAST_MOMENT[0] = (value, text)  # one store: a thread reads a whole pair or the old one
        return text
    return _plain("", value)


def _as_is(value: Any) -> Any:
    return value if value is None or type(value) in (int, str) else _plain("", value)


def _converters(model: type[models.Model]) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """:func:`_plain` for each field of ``model``'s content, specialised on the type the field
    holds (a day, a moment, an amount, a text or a key), falling back to :func:`_plain` for any
    other value: the same result, without asking each value what it is."""
    converters: list[tuple[str, Callable[[Any], Any]]] = []
    for name in _FIELDS[model]:
        field = next(f for f in model._meta.concrete_fields if name in (f.attname, f.name))
        if name == "amount":
            converter = _amount
        elif isinstance(field, models.DateTimeField):
            converter = _moment
        elif isinstance(field, models.DateField):
            converter = _day
        else:
            converter = _as_is
        converters.append((name, converter))
    return tuple(converters)


_CONVERTERS: Final = {model: _converters(model) for model in _FIELDS}


def _written_as_is(kind: type) -> bool:
    """Whether the encoder writes every value of type ``kind`` as :func:`_as_is` converts it:
    a key, a text, nothing, and a text enumeration whose members hold their value as their
    text (a kind, a component, a source)."""
    if kind in (str, int, type(None)):
        return True
    return (
        issubclass(kind, Enum)
        and issubclass(kind, str)
        and all(type(m.value) is str and str.__str__(m) == m.value for m in kind)
    )


#: The types of the values a writer gives, which the encoder writes as they are.
_AS_IS: Final = frozenset(
    kind
    for kind in (str, int, type(None), EntryKind, EntrySource, Component)
    if _written_as_is(kind)
)


@dataclass(frozen=True, slots=True)
class _RowWriter:
    """The canonical content of one model's rows (ledger entries, allocations): the values
    taken at once, the amounts, days and moments converted in place, the whole array written
    by one call of the encoder. The very text :func:`_canonical` writes for the converted values,
    and a row that cannot be written is refused alike (``tests/files/test_books_sealed.py``), in
    about two thirds of the time of a call per value."""

    values: Callable[[Mapping[str, Any]], tuple[Any, ...]]
    amounts: tuple[int, ...]
    days: tuple[int, ...]
    moments: tuple[int, ...]
    others: tuple[int, ...]

    @classmethod
    def of(cls, model: type[models.Model]) -> _RowWriter:
        converters = _CONVERTERS[model]
        # Places in the array, the format's version first.
        at = {
            convert: tuple(i + 1 for i, (_n, c) in enumerate(converters) if c is convert)
            for convert in (_amount, _day, _moment, _as_is)
        }
        names = [name for name, _convert in converters]
        return cls(itemgetter(*names), at[_amount], at[_day], at[_moment], at[_as_is])

    def __call__(self, row: Mapping[str, Any]) -> str:
        values = [VERSION, *self.values(row)]
        for i in self.amounts:
            value = values[i]
            values[i] = f"{value:.2f}" if type(value) is Decimal else _amount(value)
        for i in self.days:
            value = values[i]
            values[i] = value.isoformat() if type(value) is date else _day(value)
        for i in self.moments:
            values[i] = _moment(values[i])
        if not _AS_IS.issuperset(map(type, values)):
            # Anything else (a value changed outside the writers): each as _as_is has it.
            for i in self.others:
                if type(values[i]) not in _AS_IS:
                    values[i] = _as_is(values[i])
        if _C_ENCODER is None:
            return _ENCODER.encode(values)
        return "".join(_C_ENCODER(values, 0))


_WRITERS: Final = {model: _RowWriter.of(model) for model in _CONVERTERS}

#: The same canonical forms as :func:`_amount`, :func:`_day` and :func:`_moment`, written by
#: PostgreSQL (``{}`` is the column), so that the daily check has the database write a row's
#: canonical content and hash it (:func:`_sql_content`) instead of reading every row back.
#: An amount is never zero (a constraint), so never the "-0.00" PostgreSQL cannot print;
#: ``tests/files/test_books_sealed.py`` holds each form to its converter.
_SQL_FORMS: Final[Mapping[Callable[[Any], Any], str]] = {
    _amount: "({})::text",
    _day: "to_char({}, 'YYYY-MM-DD')",
    _moment: "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')",
}


def _content(
    model: type[models.Model], row: Mapping[str, Any], parts: tuple[str, Any, Any] | None = None
) -> str:
    """The canonical content of ``row``; an event's ``parts`` (:func:`event_parts`) when the
    caller has them already."""
    if model is Event:
        return _event_content(row, parts or _parts(row))
    return _WRITERS[model](row)


def _parts(row: Mapping[str, Any]) -> tuple[str, Any, Any]:
    return event_parts(row["kind"], row["actor"], row["message"], row["data"])


def _json_text(value: Any) -> str:
    """A text field's value as JSON: a JSON string, or ``null`` (a value changed outside the
    writers may be anything)."""
    if type(value) is str:
        return str(_STRING(value))
    return "null" if value is None else _ENCODER.encode(value)


def _event_content(
    row: Mapping[str, Any], parts: tuple[str, Any, Any], kept_text: str | None = None
) -> str:
    """An event's canonical content (format v2): the JSON array of the format, its file, kind,
    moment, actor as hashed, data without its personal keys and personal digest, with the data
    written as PostgreSQL prints a ``jsonb`` value (:func:`_jsonb_text`; ``kept_text`` when the
    caller has written it already), so that the database can check a day's events itself
    (:func:`_unconfirmed`)."""
    actor, kept, _personal = parts
    file_id = row["file_id"]
    if kept_text is None:
        kept_text = _jsonb_text(kept)
    return (
        f'["{EVENT_VERSION}",{"null" if file_id is None else int(file_id)},'
        f"{_json_text(_plain('kind', row['kind']))},{_json_text(_moment(row['at']))},"
        f"{_json_text(actor)},{kept_text},{_json_text(row['personal_digest'])}]"
    )


def _event_content_v1(row: Mapping[str, Any], parts: tuple[str, Any, Any]) -> str:
    """An event's canonical content in format v1 (every value through :func:`_canonical`):
    how events were sealed before format v2, checked when v2 does not agree."""
    actor, kept, _personal = parts
    return _canonical(
        [
            row["file_id"],
            _plain("kind", row["kind"]),
            _moment(row["at"]),
            actor,
            kept,
            row["personal_digest"],
        ]
    )


# PostgreSQL prints a jsonb value with ", " and ": " between items and each object's keys in
# its own order: shorter (in UTF-8 bytes) first, then byte by byte. The C encoder below writes
# the same separators and keeps the order it is given.
_JSONB_ENCODER: Final = (
    _MAKE_C_ENCODER(
        None, _ENCODER.default, _STRING, None, ": ", ", ", _KEPT_ORDER, _SKIP_KEYS, _ALLOW_NAN
    )
    if _MAKE_C_ENCODER is not None
    else None
)


def _jsonb_text(value: Any) -> str:
    """``value`` as PostgreSQL prints it once stored as ``jsonb``: strings escaped alike,
    integers and texts as they are, each object's keys in jsonb's order (``tests/files/
    test_books_sealed.py`` holds the two to each other). A float keeps Python's form, except
    where PostgreSQL would give it back otherwise (:func:`_jsonb_ordered`), so that what is
    sealed is what the check computes from the data read back."""
    ordered = _jsonb_ordered(value)
    if _JSONB_ENCODER is None:
        return json.dumps(ordered, ensure_ascii=False)
    return "".join(_JSONB_ENCODER(ordered, 0))


def _jsonb_key(key: str) -> tuple[int, bytes]:
    encoded = key.encode()
    return len(encoded), encoded


#: The jsonb order of each set of keys met (as given): the writers of events build their data
#: the same way every time, so the keys are sorted once per shape (at most a few thousand).
_KEY_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}
_KEY_ORDERS_HELD: Final = 4096
_SCALARS: Final = frozenset({str, int, bool, type(None)})
#: From here on Python writes an integral float with an exponent ("1e+16"), which PostgreSQL
#: keeps as the integer it is and gives back as one.
_FLOAT_EXPONENT: Final = 1e16


def _jsonb_ordered(value: Any) -> Any:
    """``value`` with each object's keys in jsonb's order, tuples as lists and floats as
    PostgreSQL gives them back (an integral one with an exponent as an integer, -0.0 as 0.0);
    what needs no change is returned as it is (no copy): most data is written with its keys in
    that order."""
    if isinstance(value, dict):
        keys = tuple(value)
        order = _KEY_ORDERS.get(keys)
        if order is None:
            if not all(type(key) is str for key in keys):
                # JSON writes other keys as text: order them as the text they become.
                return _jsonb_ordered(json.loads(json.dumps(value)))
            order = tuple(sorted(keys, key=_jsonb_key))
            if len(_KEY_ORDERS) < _KEY_ORDERS_HELD:
                _KEY_ORDERS[keys] = order
        if order != keys or type(value) is not dict:
            return {
                key: item if type(item := value[key]) in _SCALARS else _jsonb_ordered(item)
                for key in order
            }
        items: Iterable[tuple[Any, Any]] = value.items()
    elif isinstance(value, list | tuple):
        if type(value) is not list:
            return [_jsonb_ordered(item) for item in value]
        items = enumerate(value)
    elif isinstance(value, float):
        if value == 0:
            return 0.0
        if abs(value) >= _FLOAT_EXPONENT and value.is_integer():
            # The number JSON writes, read as PostgreSQL reads it (exactly, in decimal).
            return int(Decimal(repr(value)))
        return value
    else:
        return value
    ordered = value
    for place, item in items:
        if type(item) not in _SCALARS and (inner := _jsonb_ordered(item)) is not item:
            if ordered is value:
                ordered = value.copy()
            ordered[place] = inner
    return ordered


def _heads(
    model: type[models.Model], file_ids: Sequence[int], *, through: int | None = None
) -> dict[int, str]:
    """The last hash of each file's chain in ``model`` (up to the row ``through``), in one
    query per 5,000 files."""
    heads: dict[int, str] = {}
    for start in range(0, len(file_ids), _CHUNK):
        chunk = file_ids[start : start + _CHUNK]
        if connection.vendor == "postgresql":
            heads.update(_seek_heads(model, chunk, through))
            continue
        rows = model._default_manager.filter(file_id__any_of=chunk)
        if through is not None:
            rows = rows.filter(pk__lte=through)
        last = rows.values("file_id").annotate(last=Max("pk")).values("last")
        heads.update(
            model._default_manager.filter(pk__in=Subquery(last)).values_list(
                "file_id", "chain_hash"
            )
        )
    return heads


def _seek_heads(
    model: type[models.Model], file_ids: Sequence[int], through: int | None
) -> list[tuple[int, str]]:
    """:func:`_heads` on PostgreSQL: each file's last row is one backward seek in the (file,
    id) index, however long its history (grouping would read every row of every file)."""
    table = _Table.of(model)
    sql = (
        f"SELECT f.id, h.{table.hash} FROM unnest(%s::bigint[]) AS f(id) "  # noqa: S608
        f"CROSS JOIN LATERAL (SELECT t.{table.hash} FROM {table.name} AS t "
        f"WHERE t.{table.file} = f.id{table.upper(through)} ORDER BY t.{table.pk} DESC LIMIT 1)"
        " AS h"
    )
    return _fetch(sql, [array_text(file_ids), *table.bounds(through)])


@dataclass(frozen=True, slots=True)
class _Table:
    """A chained table's name and key columns, quoted for SQL (from the model's metadata:
    every value in the statements built with them is a parameter)."""

    name: str
    file: str
    pk: str
    hash: str
    #: The columns the check reads (key, file, hash, content), as a select list: a row the
    #: check sorts by file carries these alone (about half the width of the whole row).
    checked: str

    @classmethod
    def of(cls, model: type[models.Model]) -> _Table:
        names = ("pk", "file_id", "chain_hash", *_columns(model))
        return cls(
            name=connection.ops.quote_name(model._meta.db_table),
            file=_concrete(model, "file_id")[1],
            pk=_concrete(model, "pk")[1],
            hash=_concrete(model, "chain_hash")[1],
            checked=", ".join(f"t.{_concrete(model, name)[1]}" for name in names),
        )

    def upper(self, through: int | None) -> str:
        """The condition of rows up to ``through``, if any (its value: :meth:`bounds`)."""
        return f" AND t.{self.pk} <= %s" if through is not None else ""

    @staticmethod
    def bounds(through: int | None) -> list[int]:
        return [through] if through is not None else []


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _lock(file_ids: Sequence[int]) -> None:
    """Lock the files (id order, no deadlock) until the end of the transaction, so that two
    writers never chain on the same last row. SQLite serialises writers itself."""
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        raise RuntimeError("Chained rows are sealed and written in one transaction.")
    for start in range(0, len(file_ids), _CHUNK):
        list(
            File.objects.select_for_update()
            .filter(pk__any_of=file_ids[start : start + _CHUNK])
            .order_by("pk")
            .values_list("pk", flat=True)
        )


def seal(
    model: type[models.Model],
    rows: Sequence[MutableMapping[str, Any]],
    *,
    new_files: bool = False,
    locked: bool = False,
) -> list[str | None]:
    """Chain ``rows`` of ``model`` (values by attribute name, in the order they will be
    inserted; a model instance's ``__dict__`` will do), setting ``chain_hash``, the moment of
    writing, and for events their seal and personal digest.

    Must run in the transaction that inserts them (PostgreSQL: the files stay locked).
    ``new_files``: every row belongs to a file created in this transaction and holding no row
    of ``model`` yet (the hand-over's first rows): no other transaction can see those files,
    so there is nothing to lock, and every chain starts from "" without a query. ``locked``:
    the caller holds the lock of every file of ``rows`` already (the ledger locks a file
    before it reads its books), so only the last hashes are read.

    Returns, for events, each one's data as the database prints it, the text hashed into its
    content (None where personal keys were set apart from it): the writer may insert that
    text as it is, so that the data is written to JSON once. For other rows, an empty list.
    """
    if not rows:
        return []
    now = timezone.now()
    stamp = _STAMP.get(model)
    heads: dict[int, str] = {}
    if not new_files:
        file_ids = sorted({row["file_id"] for row in rows if row["file_id"] is not None})
        if not locked:
            _lock(file_ids)
        heads = _heads(model, file_ids)
    seals = _seals(len(rows)) if model is Event else None
    texts: list[str | None] = []
    for index, row in enumerate(rows):
        if stamp:
            row[stamp] = now
        if seals is not None:
            row["message"] = row["message"][:500]
            row["seal"] = seals[index * _SEAL_CHARS : (index + 1) * _SEAL_CHARS]
        file_id = row["file_id"]
        # Events of no file (staff sign-ins) belong to no file's history: each is sealed alone.
        previous = heads.get(file_id, "") if file_id is not None else ""
        if seals is not None:
            texts.append(_chain_event(row, previous))
        else:
            chain_row(model, row, previous)
        if file_id is not None:
            heads[file_id] = row["chain_hash"]
    return texts


#: An event's seal: 128 random bits, as hexadecimal digits.
_SEAL_BYTES: Final = 16
_SEAL_CHARS: Final = 2 * _SEAL_BYTES


def _seals(count: int) -> str:
    """``count`` seals end to end, drawn from the system's secure generator in one call: a
    call for each event cost more than the event's hash (the same bits either way)."""
    return secrets.token_hex(_SEAL_BYTES * count)


def chain_row(model: type[models.Model], row: MutableMapping[str, Any], previous: str) -> str:
    """Set ``row``'s ``chain_hash`` after ``previous`` (and an event's personal digest, and its
    seal unless :func:`seal` drew it already; neither for an event with nothing personal);
    returns the hash. For :func:`seal`, and for loaders that write rows themselves."""
    if model is Event:
        _chain_event(row, previous)
    else:
        row["chain_hash"] = _link(previous, _content(model, row))
    return str(row["chain_hash"])


#: The personal content (:func:`event_parts`) of an event that has none: no message, no
#: personal key in its data, no typed actor. Most events of the daily run and of a statement.
_NO_PERSONAL: Final = ["", {}, ""]


def _chain_event(row: MutableMapping[str, Any], previous: str) -> str | None:
    """:func:`chain_row` of an event; returns its data as hashed when that is the whole of it
    (:func:`seal`)."""
    parts = _parts(row)
    if parts[2] == _NO_PERSONAL:
        # Nothing personal to set apart, now or ever: no seal and no digest. The check then
        # holds its personal fields to stay empty, as it holds a pseudonymised event's.
        row["seal"] = row["personal_digest"] = ""
    else:
        if not row.get("seal"):
            row["seal"] = _seals(1)
        row["personal_digest"] = _personal_digest(row["seal"], parts[2])
    kept_text = _jsonb_text(parts[1])
    row["chain_hash"] = _link(previous, _event_content(row, parts, kept_text))
    return kept_text if parts[1] is row["data"] else None


@dataclass(frozen=True, slots=True)
class Break:
    """A row that disagrees with its chain."""

    table: str
    file_id: int | None
    row_id: int
    reason: str


def _columns(model: type[models.Model]) -> tuple[str, ...]:
    if model is Event:
        return ("kind", "at", "actor", "message", "data", "seal", "personal_digest")
    return tuple(name for name in _FIELDS[model] if name != "file_id")


def _rows(
    model: type[models.Model],
    file_ids: Sequence[int] | None,
    after: int,
    through: int | None,
) -> Iterator[dict[str, Any]]:
    """The rows of ``file_ids`` (every row if None) with ``after < id <= through``, in file
    and id order."""
    names = ("pk", "file_id", "chain_hash", *_columns(model))
    if file_ids is None:
        chunks: Iterable[Sequence[int] | None] = [None]
    else:
        ids = sorted(set(file_ids))
        chunks = [ids[start : start + _CHUNK] for start in range(0, len(ids), _CHUNK)]
    for chunk in chunks:
        selected: Iterable[tuple[Any, ...]]
        rows = model._default_manager.filter(pk__gt=after)
        if through is not None:
            rows = rows.filter(pk__lte=through)
        if chunk is not None:
            # A few thousand files' rows: fetched at once (no server-side cursor).
            rows = rows.filter(file_id__any_of=chunk)
            selected = list(rows.order_by("file_id", "pk").values_list(*names))
        else:
            selected = rows.order_by("file_id", "pk").values_list(*names).iterator(5000)
        for values in selected:
            yield dict(zip(names, values, strict=True))


def _concrete(model: type[models.Model], name: str) -> tuple[models.Field[Any, Any], str]:
    """The column-backed field of ``model`` by attribute name ("pk" for the key), and its
    column quoted for SQL."""
    if name == "pk" and model._meta.pk is not None:
        name = model._meta.pk.attname
    field = next(f for f in model._meta.concrete_fields if name in (f.attname, f.name))
    column = field.column
    assert column is not None
    return field, connection.ops.quote_name(column)


def _judge(
    table: str, previous: str, row: Mapping[str, Any], model: type[models.Model]
) -> list[Break]:
    """What is wrong with ``row`` (values by attribute name, with ``pk``, ``file_id`` and
    ``chain_hash``) after the row whose hash is ``previous``: nothing, its personal fields, its
    content or its place in the chain."""
    breaks: list[Break] = []
    row_id, file_id, stored = row["pk"], row["file_id"], row["chain_hash"]
    parts = None
    if model is Event:
        parts = _parts(row)
        if not (
            _personal_digest(row["seal"], parts[2]) == row["personal_digest"]
            if row["seal"]
            else _erased(parts[2])
        ):
            breaks.append(Break(table, file_id, row_id, "its personal fields were changed"))
    if _link(previous, _content(model, row, parts)) != stored and not (
        # An event sealed before format v2.
        parts is not None and _link(previous, _event_content_v1(row, parts)) == stored
    ):
        reason = (
            "no hash: written outside the ledger's writer"
            if not stored
            else "its content or the row before it was changed or removed"
        )
        breaks.append(Break(table, file_id, row_id, reason))
    return breaks


def _erased(personal: Sequence[Any]) -> bool:
    """Whether an event's personal content (:func:`event_parts`) is empty, as it must be on
    an event without a seal: one written with no personal content (:func:`_chain_event`) or
    pseudonymised since, so that any message, personal key or typed actor found on it was put
    there afterwards."""
    # Imported here: the timeline imports this module to seal what it writes.
    from amicable.files.timeline import ERASED

    message, keys, typed_actor = personal
    return message == "" and not keys and typed_actor in ("", ERASED)


#: The values each SQL form can write as Python would (:data:`_SQL_FORMS`): Python's days and
#: moments run from year 1 to 9999, and ``to_char`` prints a day before Christ, or none for an
#: infinite one, as no Python value. Outside these, the content is NULL: the row goes to Python.
_SQL_RANGES: Final[Mapping[Callable[[Any], Any], str]] = {
    _day: "{} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'",
    _moment: (
        "{} BETWEEN TIMESTAMPTZ '0001-01-02 00:00:00+00' AND TIMESTAMPTZ '9999-12-30 23:59:59+00'"
    ),
}


def _sql_text(model: type[models.Model], name: str) -> str:
    """The SQL of field ``name``'s value as the canonical content writes it in JSON: ``null``
    for NULL in a column that may hold it, and NULL for a value the database cannot write as
    Python would (or a NULL slipped into a NOT NULL column): the whole content is then NULL
    and the row goes to Python."""
    field, column = _concrete(model, name)
    value = f"r.{column}"
    convert = dict(_CONVERTERS.get(model, ())).get(name) or (
        _moment if name == _STAMP.get(model) else _as_is
    )
    form = _SQL_FORMS.get(convert)
    if form is not None:  # an amount, a day or a moment: a JSON text
        text = f"""'"' || {form.format(value)} || '"'"""
        if convert in _SQL_RANGES:
            text = f"CASE WHEN {_SQL_RANGES[convert].format(value)} THEN {text} END"
    elif isinstance(field, models.JSONField):
        text = f"{value}::text"
    elif isinstance(field, models.CharField | models.TextField):
        text = f"to_json({value})::text"
    else:  # a key or a number
        text = f"{value}::text"
    if not field.null:  # the column holds no NULL: nothing to write as ``null``
        return text
    return f"CASE WHEN {value} IS NULL THEN 'null' ELSE {text} END"


def _sql_content(model: type[models.Model]) -> str:
    """The canonical content of a row ``r`` of ``model`` as PostgreSQL writes it (the text
    :func:`_content` writes): every ledger entry and allocation, and every event of a kind with
    no personal part (the others, NULL, are left to :func:`_content`; the parameter ``kinds``
    lists them)."""
    if model is not Event:
        values = " || ',' || ".join(_sql_text(model, name) for name in _FIELDS[model])
        return f"""'["{VERSION}",' || {values} || ']'"""
    values = " || ',' || ".join(
        _sql_text(Event, name)
        for name in ("file_id", "kind", "at", "actor", "data", "personal_digest")
    )
    kind = _concrete(Event, "kind")[1]
    return (
        f"CASE WHEN r.{kind} = ANY(%(kinds)s::text[]) THEN NULL "
        f"""ELSE '["{EVENT_VERSION}",' || {values} || ']' END"""
    )


def _sql_personal_whole() -> str:
    """Whether an event ``r`` of a kind with no personal part keeps the personal fields its
    digest was made of (the text :func:`_personal_digest` hashes: format v1, which the digest
    keeps), or, unsealed (written with nothing personal, or pseudonymised since), holds no
    message (:func:`_erased`)."""
    seal, digest = _concrete(Event, "seal")[1], _concrete(Event, "personal_digest")[1]
    message = _concrete(Event, "message")[1]
    personal = f"""'["{VERSION}",[' || to_json(r.{message})::text || ',{{}},""]]'"""
    return (
        f"CASE WHEN r.{seal} = '' THEN r.{message} = '' "
        f"ELSE r.{digest} = {_sql_link(f'r.{seal}', personal)} END"
    )


def _sql_link(previous: str, content: str) -> str:
    """:func:`_link` in SQL."""
    return f"encode(sha256(convert_to({previous} || E'\\n' || {content}, 'UTF8')), 'hex')"


@cache
def _personal_kinds() -> list[str]:
    """The kinds of event with a personal part besides the message (data keys, typed actor)."""
    from amicable.files.timeline import EventKind

    return sorted(kind.value for kind in EventKind if any(_personal_of(kind.value)))


def _verify_in_database(
    model: type[models.Model], file_ids: Sequence[int], after: int, through: int | None
) -> list[Break]:
    """:func:`verify` of these files' rows with ``after < id <= through`` on PostgreSQL: the
    rows the database does not confirm (:func:`_doubtful`), decided in Python, 5,000 files at
    a time (a database whose events were all sealed in format v1 sends every event back)."""
    breaks: list[Break] = []
    for start in range(0, len(file_ids), _CHUNK):
        breaks += _decide(model, _doubtful(model, file_ids[start : start + _CHUNK], after, through))
    return breaks


#: How many rows of a table :func:`_verify_window` checks per statement.
_WINDOW: Final = 100_000


def _verify_window(model: type[models.Model], after: int, through: int | None) -> list[Break]:
    """:func:`verify` of every row with ``after < id <= through`` on PostgreSQL, whatever its
    file (rows of no file included, each a chain of its own), ``_WINDOW`` rows at a time.

    The rows are read by ranges of the key, and each file's first row of a range is checked
    against the last row of the file before the range: the cost is the rows written in the
    window and a lookup per file and range, not a lookup per file asked (what
    :func:`_verify_in_database` pays for files with nothing new)."""
    last = through
    if last is None:
        last = model._default_manager.aggregate(last=Max("pk"))["last"] or 0
    breaks: list[Break] = []
    low = after
    while low < last:
        # The id of the _WINDOW-th row after ``low``: ranges of rows, not of ids, so that a
        # gap in the ids (a sequence moved on) costs nothing.
        high = (
            model._default_manager.filter(pk__gt=low, pk__lte=last)
            .order_by("pk")
            .values_list("pk", flat=True)[_WINDOW - 1 : _WINDOW]
            .first()
        ) or last
        breaks += _decide(model, _doubtful_in_range(model, low, high))
        low = high
    return breaks


def _decide(model: type[models.Model], doubtful: Sequence[tuple[int, int, str]]) -> list[Break]:
    """The breaks among the rows the database did not confirm (each with its file and the
    hash of the row before it), read back and judged in Python (:func:`_judge`)."""
    table = TABLE_NAMES[model]
    breaks: list[Break] = []
    rows, unreadable = _read_rows(model, [row_id for row_id, _file, _previous in doubtful])
    for row_id, file_id, previous in doubtful:
        if row_id in unreadable:
            reason = "a value no longer reads as written: changed outside the writers"
            breaks.append(Break(table, file_id, row_id, reason))
        elif row_id not in rows:
            breaks.append(Break(table, file_id, row_id, "removed while the books were read"))
        else:
            breaks += _judge(table, previous, rows[row_id], model)
    return breaks


def _read_rows(
    model: type[models.Model], row_ids: Sequence[int]
) -> tuple[dict[int, dict[str, Any]], set[int]]:
    """The rows ``row_ids`` of ``model`` by id, as :func:`_judge` reads them, and the ids of
    those whose values the driver cannot read (a day before year 1, an infinite moment), one
    by one when a read fails."""
    names = ("pk", "file_id", "chain_hash", *_columns(model))
    if not row_ids:
        return {}, set()
    try:
        with transaction.atomic():
            return {
                values[0]: dict(zip(names, values, strict=True))
                for values in model._default_manager.filter(pk__any_of=row_ids).values_list(*names)
            }, set()
    except DataError:
        if len(row_ids) == 1:
            return {}, set(row_ids)
    rows: dict[int, dict[str, Any]] = {}
    unreadable: set[int] = set()
    for row_id in row_ids:
        found, failed = _read_rows(model, [row_id])
        rows.update(found)
        unreadable |= failed
    return rows, unreadable


def _doubtful(
    model: type[models.Model], file_ids: Sequence[int], after: int, through: int | None
) -> list[tuple[int, int, str]]:
    """The rows of these files (at most 5,000) with ``after < id <= through`` that PostgreSQL
    does not confirm (:func:`_unconfirmed`), each with its file and the stored hash of the row
    before it (for each file's first one, of its last row up to ``after``).

    Each file is read through its (file, id) index: the rows written since the last analysis
    of the table lie beyond its statistics, so the planner would read the whole id window for
    every batch of files ("OFFSET 0" keeps the lateral subquery from being flattened into that
    plan).
    """
    table = _Table.of(model)
    head = (
        f"LEFT JOIN LATERAL (SELECT t.{table.hash} AS head FROM {table.name} AS t "  # noqa: S608
        f"WHERE t.{table.file} = f.id AND t.{table.pk} <= %(after)s "
        f"ORDER BY t.{table.pk} DESC LIMIT 1) AS h ON true "
        if after
        else "CROSS JOIN (SELECT '' AS head) AS h "
    )
    upto = f" AND t.{table.pk} <= %(through)s" if through is not None else ""
    rows = (
        f"unnest(%(files)s::bigint[]) AS f(id) {head}"  # noqa: S608
        f"CROSS JOIN LATERAL (SELECT {table.checked} FROM {table.name} AS t "
        f"WHERE t.{table.file} = f.id "
        f"AND t.{table.pk} > %(after)s{upto} OFFSET 0) AS r"
    )
    previous = f"lag(r.{table.hash}, 1, coalesce(h.head, '')) OVER w"
    params = {"files": array_text(file_ids), "after": after, "through": through}
    return _unconfirmed(model, rows, previous, params)


def _doubtful_in_range(
    model: type[models.Model], low: int, high: int
) -> list[tuple[int, int, str]]:
    """:func:`_doubtful` of every row with ``low < id <= high``, whatever its file: each
    file's first row of the range after the file's last row up to ``low`` (looked up for
    that first row alone), a row of no file after nothing."""
    table = _Table.of(model)
    rows = (
        f"(SELECT {table.checked} FROM {table.name} AS t "  # noqa: S608
        f"WHERE t.{table.pk} > %(after)s AND t.{table.pk} <= %(through)s OFFSET 0) AS r"
    )
    before = (
        f"coalesce((SELECT t.{table.hash} FROM {table.name} AS t "  # noqa: S608
        f"WHERE t.{table.file} = r.{table.file} AND t.{table.pk} <= %(after)s "
        f"ORDER BY t.{table.pk} DESC LIMIT 1), '')"
        if low
        else "''"
    )
    # CASE evaluates the lookup for a file's first row of the range only.
    previous = (
        f"CASE WHEN row_number() OVER w = 1 THEN {before} ELSE lag(r.{table.hash}) OVER w END"
    )
    return _unconfirmed(model, rows, previous, {"after": low, "through": high})


def _unconfirmed(
    model: type[models.Model], rows: str, previous: str, params: dict[str, Any]
) -> list[tuple[int, int, str]]:
    """The rows ``r`` of ``model`` given by the FROM clause ``rows`` that PostgreSQL does not
    confirm, in file and id order, each with its file and the stored hash of the row before
    it: ``previous``, over the window ``w`` of each file's rows in id order (a row of no file
    is a chain of its own, after nothing). The database recomputes each row's hash from that
    one; what it cannot confirm, :func:`_judge` decides in Python: a break, an event of a kind
    with a personal part, or an event sealed in an earlier format.

    The database confirms a row only when its test is true: the content it writes is the text
    Python writes for the same values, value by value (NULL where it cannot write one as Python
    would, :data:`_SQL_RANGES`), so a changed value changes the text and the hash; any NULL
    (a hash, a message, a value out of range) sends the row to Python.
    """
    table = _Table.of(model)
    personal = _sql_personal_whole() if model is Event else "true"
    sql = (
        f"SELECT r.{table.pk}, r.{table.file}, r.previous FROM ("  # noqa: S608
        f"SELECT r.{table.pk}, r.{table.file}, r.{table.hash}, {_sql_content(model)} AS content, "
        f"{personal} AS whole, CASE WHEN r.{table.file} IS NULL THEN '' ELSE {previous} END "
        f"AS previous FROM {rows} WINDOW w AS (PARTITION BY r.{table.file} ORDER BY r.{table.pk})"
        f") AS r WHERE (r.whole AND r.{table.hash} = {_sql_link('r.previous', 'r.content')}) "
        f"IS NOT TRUE ORDER BY r.{table.file}, r.{table.pk}"
    )
    if model is Event:
        params = {**params, "kinds": _personal_kinds()}
    with transaction.atomic(), connection.cursor() as cursor:
        # The planner counts a lookup per row where there is one per file, and above its
        # threshold compiles the statement's expressions first: about 0.4 CPU s a statement,
        # as long as the check of 50,000 rows itself (bench/README.md, a tenth time). Off for
        # this statement only: the setting it had comes back after it, even in a transaction
        # that goes on (the daily run's batch).
        cursor.execute("SELECT current_setting('jit')")
        jit = cursor.fetchone()[0]
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        found = list(cursor.fetchall())
        cursor.execute("SELECT set_config('jit', %s, true)", [jit])
    return found


def last_ids() -> dict[str, int]:
    """The last row id of each chained table, by its name in reports (0 when empty): where a
    later :func:`verify` with ``after`` starts."""
    return {
        TABLE_NAMES[model]: model._default_manager.aggregate(last=Max("pk"))["last"] or 0
        for model in CHAINED
    }


def verify(
    file_ids: Sequence[int] | None = None,
    *,
    after: Mapping[str, int] | None = None,
    through: Mapping[str, int] | None = None,
) -> list[Break]:
    """Recompute the chains of these files (of every row, events of no file included, if
    None); returns each row that disagrees, in table, file and id order (rows of no file
    last).

    Each row is checked against the hash stored on the row before it: a row changed is
    reported alone, a row removed through the row after it, a row slipped in by itself (and
    the row after it). On PostgreSQL the database checks the rows itself (by file,
    :func:`_verify_in_database`, or by range of ids, :func:`_verify_window`); elsewhere the
    rows are streamed in file and id order, 5,000 at a time.

    With ``after`` (a :func:`last_ids` taken earlier), only the rows written since are
    recomputed, each file's first one against the hash of the row before it, and with
    ``through`` only those up to another :func:`last_ids`: what the daily run checks every
    day, at the cost of a day's rows rather than of every file's history.
    """
    breaks: list[Break] = []
    for model in CHAINED:
        table = TABLE_NAMES[model]
        since = (after or {}).get(table, 0)
        last = through.get(table) if through is not None else None
        if last is not None and last <= since:
            continue  # nothing written to this table in the window
        if connection.vendor == "postgresql":
            if file_ids is None:
                found = _verify_window(model, since, last)
            else:
                found = _verify_in_database(model, sorted(set(file_ids)), since, last)
            breaks += sorted(found, key=_report_order)
            continue
        before: dict[int, str] = {}
        if since:
            files = file_ids if file_ids is not None else _files_written(model, since, last)
            before = _heads(model, sorted(set(files)), through=since)
        current: int | None = None
        previous = ""
        found = []
        for row in _rows(model, file_ids, since, last):
            file_id = row["file_id"]
            if file_id is None or file_id != current:
                current = file_id
                previous = before.get(file_id, "") if file_id is not None else ""
            found += _judge(table, previous, row, model)
            previous = row["chain_hash"]
        breaks += sorted(found, key=_report_order)
    return breaks


def _report_order(found: Break) -> tuple[bool, int, int]:
    """A table's breaks by file, rows of no file last, then by row (a stable sort: a row's
    two breaks stay in the order :func:`_judge` gave them)."""
    return found.file_id is None, found.file_id or 0, found.row_id


def _files_written(model: type[models.Model], after: int, through: int | None) -> list[int]:
    """The files with a row of ``model`` with ``after < id <= through``."""
    rows = model._default_manager.filter(pk__gt=after, file_id__isnull=False)
    if through is not None:
        rows = rows.filter(pk__lte=through)
    return list(rows.order_by().values_list("file_id", flat=True).distinct())


def backfill(
    tables: Mapping[type[models.Model], type[models.Model]], files: type[models.Model]
) -> None:
    """Chain the rows written before the chains existed (a migration's step, before the
    triggers): for each chained model, the table's model as the migration knows it, and the
    files' model.

    Reads a thousand files' rows at a time (in file and id order; events of no file by id) and
    writes the hashes back 2,000 rows per statement; events get a seal and the digest of their
    personal fields as they are.
    """
    for model in CHAINED:
        historical = tables[model]
        names = ("pk", "file_id", *_columns(model))
        fields = ["chain_hash", "seal", "personal_digest"] if model is Event else ["chain_hash"]
        rows = historical._default_manager.order_by("file_id", "pk")
        last = 0
        while file_ids := list(
            files._default_manager.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:1000]
        ):
            last = file_ids[-1]
            chunk = rows.filter(file_id__gte=file_ids[0], file_id__lte=last)
            _backfill_rows(model, historical, fields, list(chunk.values_list(*names)), names)
        if model is Event:
            last = 0
            while values := list(
                rows.filter(file_id__isnull=True, pk__gt=last).values_list(*names)[:5000]
            ):
                last = values[-1][0]
                _backfill_rows(model, historical, fields, values, names)


def _backfill_rows(
    model: type[models.Model],
    historical: type[models.Model],
    fields: list[str],
    rows: list[tuple[Any, ...]],
    names: tuple[str, ...],
) -> None:
    current: int | None = None
    previous = ""
    pending: list[models.Model] = []
    for values in rows:
        row = dict(zip(names, values, strict=True))
        file_id = row["file_id"]
        if file_id is None or file_id != current:
            current, previous = file_id, ""
        previous = chain_row(model, row, previous)
        pending.append(historical(**{"pk": row["pk"], **{name: row[name] for name in fields}}))
    historical._default_manager.bulk_update(pending, fields, batch_size=2000)
