"""The database refuses to rewrite the books (docs/architecture.md, invariant 9).

Triggers on PostgreSQL and SQLite refuse every UPDATE and DELETE of a ledger entry or an
allocation, and every DELETE of an event; an UPDATE of an event passes only when it is the
retention task's pseudonymisation (``files.timeline.pseudonymise_events``): the file, kind,
moment, chain hash and personal digest unchanged, the message emptied, the actor unchanged or
``erased``, the seal unchanged or erased, and on PostgreSQL the data a part of what it was.
What the trigger cannot express on SQLite (which keys of the data went) the hash chain checks
(``files.chain``). A refused statement raises ``IntegrityError``, whatever code or session
sends it.

Emptying a whole database stays possible, the way each vendor does it: PostgreSQL's
``TRUNCATE`` (``flush``, the test suite) fires no row trigger and needs the table's owner;
SQLite has no ``TRUNCATE`` and ``flush`` deletes row by row, so its triggers ask the function
``amicable_books_open()``, which this process registers on each of its connections and which
answers true only inside :func:`opened_books` (the test suite's flush, nothing else). Another
program opening the SQLite file lacks the function: its UPDATE or DELETE fails too.

SQLite rebuilds a table to alter it, and the rebuild drops its triggers: a migration that
alters one of these tables on SQLite must install them again (:func:`install`); ``amicable
verify-books`` and the daily run report any that is missing (:func:`missing_triggers`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

__all__ = [
    "SQLITE_FUNCTION",
    "TRIGGERS",
    "install",
    "missing_triggers",
    "opened_books",
    "register_sqlite_function",
    "uninstall",
]

SQLITE_FUNCTION = "amicable_books_open"
_OPEN = "_amicable_books_open"

#: The money tables: no UPDATE, no DELETE, ever.
_MONEY = ("files_ledgerentry", "files_allocation")
_EVENTS = "files_event"

#: Every trigger, by name: what ``missing_triggers`` looks for.
TRIGGERS = (
    *(f"{table}_no_{op}" for table in _MONEY for op in ("update", "delete")),
    f"{_EVENTS}_no_delete",
    f"{_EVENTS}_pseudonymise_only",
)

_REFUSED = "the books are append-only (docs/architecture.md, invariant 9)"

# What a pseudonymisation leaves unchanged, and what it may change, in both dialects.
_PSEUDONYMISATION = (
    "NEW.id = OLD.id AND NEW.file_id IS {same} OLD.file_id AND NEW.kind = OLD.kind"
    " AND NEW.at = OLD.at AND NEW.chain_hash = OLD.chain_hash"
    " AND NEW.personal_digest = OLD.personal_digest AND NEW.message = ''"
    " AND (NEW.actor = OLD.actor OR NEW.actor = 'erased')"
    " AND (NEW.seal = OLD.seal OR NEW.seal = '')"
)

_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION amicable_refuse_rewrite() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% of a row of % refused: {_REFUSED}', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION amicable_event_pseudonymise_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF {_PSEUDONYMISATION.format(same="NOT DISTINCT FROM")}
           AND OLD.data @> NEW.data THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'UPDATE of an event refused: only its personal data may be erased; '
            '{_REFUSED}' USING ERRCODE = 'integrity_constraint_violation';
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION amicable_refuse_rewrite()"
        for table in _MONEY
        for op in ("update", "delete")
    ),
    f"CREATE TRIGGER {_EVENTS}_no_delete BEFORE DELETE ON {_EVENTS} "
    "FOR EACH ROW EXECUTE FUNCTION amicable_refuse_rewrite()",
    f"CREATE TRIGGER {_EVENTS}_pseudonymise_only BEFORE UPDATE ON {_EVENTS} "
    "FOR EACH ROW EXECUTE FUNCTION amicable_event_pseudonymise_only()",
]

_SQLITE = [
    *(
        f"CREATE TRIGGER {table}_no_{op} BEFORE {op.upper()} ON {table} "
        f"WHEN NOT {SQLITE_FUNCTION}() BEGIN "
        f"SELECT RAISE(ABORT, '{op.upper()} of a row of {table} refused: {_REFUSED}'); END"
        for table in _MONEY
        for op in ("update", "delete")
    ),
    f"CREATE TRIGGER {_EVENTS}_no_delete BEFORE DELETE ON {_EVENTS} "
    f"WHEN NOT {SQLITE_FUNCTION}() BEGIN "
    f"SELECT RAISE(ABORT, 'DELETE of a row of {_EVENTS} refused: {_REFUSED}'); END",
    f"CREATE TRIGGER {_EVENTS}_pseudonymise_only BEFORE UPDATE ON {_EVENTS} "
    f"WHEN NOT {SQLITE_FUNCTION}() AND NOT ({_PSEUDONYMISATION.format(same='')}) BEGIN "
    "SELECT RAISE(ABORT, 'UPDATE of an event refused: only its personal data may be erased; "
    f"{_REFUSED}'); END",
]


def install(schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Create the triggers (a migration's step; again after SQLite rebuilds a table)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        register_sqlite_function(schema_editor.connection)
    for statement in {"postgresql": _POSTGRESQL, "sqlite": _SQLITE}.get(vendor, []):
        # No parameters: the "%" of PL/pgSQL's RAISE is not a placeholder.
        schema_editor.execute(statement, params=None)


def uninstall(schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for name in TRIGGERS:
        table = name.rsplit("_no_", 1)[0].removesuffix("_pseudonymise_only")
        on = f" ON {table}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on}")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS amicable_refuse_rewrite()")
        schema_editor.execute("DROP FUNCTION IF EXISTS amicable_event_pseudonymise_only()")


def missing_triggers(connection: BaseDatabaseWrapper) -> list[str]:
    """The triggers of :data:`TRIGGERS` the database lacks (none on another vendor)."""
    if connection.vendor == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    elif connection.vendor == "sqlite":
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        return []
    with connection.cursor() as cursor:
        cursor.execute(query)
        present = {name for (name,) in cursor.fetchall()}
    return [name for name in TRIGGERS if name not in present]


def register_sqlite_function(connection: BaseDatabaseWrapper, **_kwargs: Any) -> None:
    """Give a new SQLite connection the function its triggers ask (``connection_created``)."""
    if connection.vendor != "sqlite" or connection.connection is None:
        return

    def books_open() -> bool:
        return bool(getattr(connection, _OPEN, False))

    connection.connection.create_function(SQLITE_FUNCTION, 0, books_open)


@contextmanager
def opened_books(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let this SQLite connection delete the books' rows: for emptying a whole database
    (the test suite's ``flush``), never for the application. No effect on PostgreSQL, whose
    ``flush`` truncates."""
    setattr(connection, _OPEN, True)
    try:
        yield
    finally:
        setattr(connection, _OPEN, False)
