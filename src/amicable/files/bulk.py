"""Working on many rows at once: ``bulk_create``, or a PostgreSQL COPY of the same rows; the
cycle collector paused while a batch is in memory.

The COPY is written in PostgreSQL's binary format whenever every column is of a type this module
writes that way (:data:`_BINARY_TYPES`, every chained table and every batch writer's) and the
first row's values fit (:func:`_copy_in`): each column's writer is chosen once from its type
instead of from each value's class, and the database reads numbers, days and moments as they
are instead of parsing them from text. A statement of 20,000 payments writes about 125,000 rows,
the heaviest day about 140,000; in binary each costs about 3 µs less, the driver's and the
database's work together (docs/decisions.md, 52). A table with any other column type (an
address, a UUID, an array) is copied as text, as before.
"""

from __future__ import annotations

import gc
import json
import struct
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from itertools import chain
from operator import attrgetter
from typing import Any, Final, TypeVar

from django.db import connection, models, transaction
from django.utils import timezone
from psycopg.adapt import Dumper
from psycopg.errors import NumericValueOutOfRange
from psycopg.types.json import Jsonb, JsonbBinaryDumper
from psycopg.types.numeric import Int2BinaryDumper, Int4BinaryDumper

__all__ = ["JsonText", "copy_rows", "cyclic_gc_paused", "insert_rows", "reserve_keys"]

_Row = TypeVar("_Row", bound=models.Model)


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for one batch of work (a statement's import, a
    batch of the daily run).

    A batch keeps hundreds of thousands of objects alive until it is written (rows read,
    books, entries, events); each collection would walk them all again, for almost no garbage:
    about a tenth of a statement import, and of the daily run (bench/README.md). Reference
    counting still frees what is dropped, and the collector resumes after each batch, so a
    long run never holds more than one batch's cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def insert_rows(model: type[_Row], rows: list[_Row]) -> None:
    """``bulk_create``, or on PostgreSQL a COPY of the same rows, which is about five times
    faster for intake batches (Django's per-field preparation and the UNNEST arrays of
    ``bulk_create`` cost more than the database's own work).

    Same effect as ``bulk_create``: every row gets its primary key (from the table's sequence),
    its ``auto_now``/``auto_now_add`` moments, and is marked as saved; constraints are checked by
    the database alike, and a violation raises Django's ``IntegrityError``. Values are the model
    attributes as they are: these models hold only text, numbers, dates, booleans and JSON.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows)
        return
    meta = model._meta
    fields = meta.concrete_fields
    keys = reserve_keys(model, len(rows))
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for row, key in zip(rows, keys, strict=True):
        row.pk = key
        for name in stamped:
            setattr(row, name, now)
    values_of = attrgetter(*(f.attname for f in fields))
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    _copy_in(quote(meta.db_table), columns, fields, map(values_of, rows))
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias


def reserve_keys(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys of ``model`` that no other insert will take, for rows written
    later in the same transaction (others can point to them meanwhile: the foreign keys are
    checked at commit).

    PostgreSQL draws them from the table's sequence; SQLite, whose tables count their keys in
    ``sqlite_sequence`` (``AUTOINCREMENT``), moves that count past them, as its own inserts do:
    call it there inside a transaction that has written already (SQLite lets one transaction
    write at a time, so no other can read the same count meanwhile).
    """
    if count <= 0:
        return []
    meta = model._meta
    assert meta.pk is not None
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, count],
            )
            return [key for (key,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        column = meta.pk.column
        assert column is not None
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [meta.db_table])
        counted = cursor.fetchone()
        cursor.execute(
            f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(meta.db_table)}"  # noqa: S608 (names from the model, quoted)
        )
        last = max(counted[0] if counted else 0, cursor.fetchone()[0])
        if counted:
            cursor.execute(
                "UPDATE sqlite_sequence SET seq = %s WHERE name = %s",
                [last + count, meta.db_table],
            )
        else:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)",
                [meta.db_table, last + count],
            )
    return list(range(last + 1, last + count + 1))


def _plain_value(value: Any) -> Any:
    """A value given to :func:`copy_rows` as the model holds it (for ``bulk_create``)."""
    if type(value) is JsonText:
        return json.loads(value)
    return value.value if isinstance(value, Enum) else value


class _EnumValueDumper(Dumper):
    """An enumeration that is neither text nor a number, written as its value."""

    def dump(self, obj: Enum) -> bytes:
        return str(obj.value).encode()


class JsonText(str):
    """A value of a JSON field already written as JSON text, which :func:`copy_rows` inserts
    as it is."""

    __slots__ = ()


class _JsonTextDumper(Dumper):
    """A :class:`JsonText` written as the text it is (a JSON column reads it as JSON)."""

    def dump(self, obj: JsonText) -> bytes:
        return obj.encode()


def copy_rows(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    ignore_conflicts: bool = False,
) -> None:
    """Insert plain rows (values in the order of ``fields``, by attribute name) without building
    a model instance for each: for the tens of thousands of rows of a bank statement, where
    ``Model.__init__`` alone costs more than the database's work.

    The other fields take their default, and ``auto_now``/``auto_now_add`` fields the present
    moment; the primary key comes from the table, unless ``fields`` name it (keys taken with
    :func:`reserve_keys`). Rows breaking a unique constraint are skipped with
    ``ignore_conflicts``, else raise ``IntegrityError``. No primary key is returned: use
    :func:`insert_rows` or :func:`reserve_keys` for rows that others must point to.
    """
    names = list(fields)
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in names]
    now = timezone.now()
    defaults = [
        now
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in rest
    ]
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(
            [
                model(
                    **{name: _plain_value(value) for name, value in zip(names, row, strict=True)},
                    **dict(zip([f.attname for f in rest], defaults, strict=True)),
                )
                for row in rows
            ],
            ignore_conflicts=ignore_conflicts,
        )
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    given = [by_name[name] for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in [*given, *rest])
    table = quote(model._meta.db_table)
    values = ((*row, *defaults) for row in rows) if defaults else rows
    if not ignore_conflicts:
        _copy_in(table, columns, [*given, *rest], values)
        return
    target = quote(f"copy_{model._meta.db_table}")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table} LIMIT 0"  # noqa: S608 (names from the model, quoted)
        )
        _copy_in(target, columns, [*given, *rest], values)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute(f"DROP TABLE {target}")


def _copy_in(
    table: str,
    columns: str,
    fields: Sequence[models.Field[Any, Any]],
    rows: Iterable[Sequence[Any]],
) -> None:
    """COPY ``rows`` (values in the order of ``fields``, the ``columns`` of ``table``, quoted).

    In binary when every column's type has a binary writer (:data:`_BINARY_TYPES`) and the
    first row's values are each of a class its column's writer takes (:func:`_fits`): the
    writers' rows always are. Otherwise as text, where the driver adapts each value by its
    class (an enumeration that is not text, a day given as text). Either way the same rows are
    written, provided a column's values are of one class: only the first row is looked at, and
    a later row whose value its column's binary writer refuses is refused, with its number
    (``TypeError``: nothing is written). A JSON column's None is SQL's NULL, as the ORM writes it.
    """
    types = _binary_types(fields)
    if types is not None:
        values = iter(rows)
        first = next(values, None)
        if first is None:
            return
        rows = chain((first,), values)
        if _fits(types, first):
            with connection.wrap_database_errors, connection.cursor() as cursor:
                for dumper in (_JsonbBinary, _Int2Binary, _Int4Binary):
                    cursor.cursor.adapters.register_dumper(None, dumper)
                statement = f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)"
                with cursor.cursor.copy(statement) as copy:
                    copy.set_types([name for name, _classes in types])
                    written = 0
                    try:
                        for row in rows:
                            copy.write_row(row)
                            written += 1
                    except TypeError as refused:
                        # The driver's own message names neither the row nor the table.
                        raise TypeError(f"Row {written + 1} for {table}: {refused}") from refused
            return
    json_places = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    with connection.wrap_database_errors, connection.cursor() as cursor:
        # An enumeration is written as its value: the driver writes a text one (a kind, a
        # state) as the text it is, and any other as its name unless told otherwise.
        cursor.cursor.adapters.register_dumper(Enum, _EnumValueDumper)
        cursor.cursor.adapters.register_dumper(JsonText, _JsonTextDumper)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_places:
                    row = list(row)
                    for place in json_places:
                        # A JSON text is inserted as it is (written once, by its caller);
                        # None is SQL's NULL, as the ORM and the binary format write it.
                        if (value := row[place]) is not None and type(value) is not JsonText:
                            row[place] = Jsonb(value)
                copy.write_row(row)


#: The column types (as Django writes them for PostgreSQL, without their size) that a COPY
#: writes in binary, each with the driver's name for it and the classes its writer takes: a
#: whole number for the integers, a ``Decimal`` or a whole number for ``numeric``, a text (a
#: text choice is one) for the texts, a ``date``, an aware ``datetime``, and anything JSON
#: writes for ``jsonb``. That is how the models hold them.
_BINARY_TYPES: Final[Mapping[str, tuple[str, tuple[type, ...]]]] = {
    "bigint": ("int8", (int,)),
    "integer": ("int4", (int,)),
    "smallint": ("int2", (int,)),
    "numeric": ("numeric", (Decimal, int)),
    "varchar": ("varchar", (str,)),
    "text": ("text", (str,)),
    "date": ("date", (date,)),
    "timestamp with time zone": ("timestamptz", (datetime,)),
    "jsonb": ("jsonb", (object,)),
    "boolean": ("bool", (bool,)),
}


def _binary_types(
    fields: Sequence[models.Field[Any, Any]],
) -> list[tuple[str, tuple[type, ...]]] | None:
    """The binary type of each of ``fields``' columns and the classes it takes, or None if one
    has no binary writer here (the COPY is then written as text)."""
    types = []
    for field in fields:
        db_type = field.db_type(connection) or ""
        name, _, size = db_type.partition("(")
        # A size is a number or two in brackets at the end ("varchar(30)", "numeric(12, 2)");
        # anything after it ("varchar(30)[]", an array) is another type.
        found = None if size and not size.endswith(")") else _BINARY_TYPES.get(name.strip())
        if found is None:
            return None
        types.append(found)
    return types


def _fits(types: Sequence[tuple[str, tuple[type, ...]]], row: Sequence[Any]) -> bool:
    """Whether each value of ``row`` is nothing or of a class its column's binary writer takes
    (a moment with its time zone)."""
    return all(
        value is None
        or (
            isinstance(value, classes)
            and not (isinstance(value, datetime) and value.tzinfo is None)
        )
        for value, (_name, classes) in zip(row, types, strict=True)
    )


class _Int2Binary(Int2BinaryDumper):
    """A ``smallint`` in binary, refused beyond its range as the database refuses it in text
    (the driver's own writer keeps the lowest bits: 70,000 would become 4,464)."""

    def dump(self, obj: int) -> bytes:
        return _in_range(obj, _SMALLINT, "smallint", _PACK_INT2)


class _Int4Binary(Int4BinaryDumper):
    """An ``integer`` in binary, refused beyond its range (see :class:`_Int2Binary`)."""

    def dump(self, obj: int) -> bytes:
        return _in_range(obj, _INTEGER, "integer", _PACK_INT4)


_SMALLINT: Final = range(-(2**15), 2**15)
_INTEGER: Final = range(-(2**31), 2**31)
_PACK_INT2: Final = struct.Struct("!h").pack
_PACK_INT4: Final = struct.Struct("!i").pack


def _in_range(value: int, bounds: range, type_name: str, pack: Callable[[int], bytes]) -> bytes:
    if value not in bounds:
        raise NumericValueOutOfRange(f"{type_name} out of range: {value}")
    return pack(value)


class _JsonbBinary(JsonbBinaryDumper):
    """A ``jsonb`` value in binary: a :class:`JsonText` as the text it is (written once, by its
    caller), anything else as JSON writes it."""

    def dump(self, obj: Any) -> bytes | None:
        if type(obj) is JsonText:
            return b"\x01" + obj.encode()
        dumped = super().dump(obj)
        return None if dumped is None else bytes(dumped)
