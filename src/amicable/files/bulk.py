"""Inserting many rows at once: ``bulk_create``, or a PostgreSQL COPY of the same rows."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

__all__ = ["insert_rows"]

_Row = TypeVar("_Row", bound=models.Model)


def insert_rows(model: type[_Row], rows: list[_Row], *, ignore_conflicts: bool = False) -> None:
    """``bulk_create``, or on PostgreSQL a COPY of the same rows, which is about five times
    faster for intake batches (Django's per-field preparation and the UNNEST arrays of
    ``bulk_create`` cost more than the database's own work).

    Same effect as ``bulk_create``: every row gets its primary key (from the table's sequence),
    its ``auto_now``/``auto_now_add`` moments, and is marked as saved; constraints are checked by
    the database alike, and a violation raises Django's ``IntegrityError``. Values are the model
    attributes as they are: these models hold only text, numbers, dates, booleans and JSON.

    With ``ignore_conflicts`` a row that would break a unique constraint is skipped, as with
    ``bulk_create(ignore_conflicts=True)``, and, as there, the rows get no primary key: the
    rows go through a temporary table and one ``INSERT ... ON CONFLICT DO NOTHING``.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (ignore_conflicts and f.primary_key)]
    keys: list[int] = []
    if not ignore_conflicts:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            keys = [key for (key,) in cursor.fetchall()]
    now = timezone.now()
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    names = [f.attname for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    table = quote(meta.db_table)
    target = quote(f"copy_{meta.db_table}") if ignore_conflicts else table
    with connection.wrap_database_errors, connection.cursor() as cursor:
        if ignore_conflicts:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {target} AS SELECT {columns} FROM {table} LIMIT 0"  # noqa: S608 (names from the model, quoted)
            )
        with cursor.cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:
            for index, row in enumerate(rows):
                if keys:
                    row.pk = keys[index]
                for name in stamped:
                    setattr(row, name, now)
                copy.write_row([_copy_value(row, name, json_fields) for name in names])
        if ignore_conflicts:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
                "ON CONFLICT DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {target}")
    if keys:
        for row in rows:
            row._state.adding = False
            row._state.db = connection.alias


def _copy_value(row: models.Model, name: str, json_fields: set[str]) -> Any:
    value = getattr(row, name)
    if name in json_fields:
        return Jsonb(value)
    if isinstance(value, Enum):
        return value.value
    return value
