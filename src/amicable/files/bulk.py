"""Inserting many rows at once: ``bulk_create``, or a PostgreSQL COPY of the same rows."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb

__all__ = ["insert_rows"]

_Row = TypeVar("_Row", bound=models.Model)


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
    statement = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(statement) as copy,
    ):
        for row, key in zip(rows, keys, strict=True):
            row.pk = key
            for name in stamped:
                setattr(row, name, now)
            copy.write_row([_copy_value(row, name, json_fields) for name in names])
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
