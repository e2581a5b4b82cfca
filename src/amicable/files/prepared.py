"""Reads whose SQL the ORM writes once per process: later calls send only their parameters.

A page that reads one file runs a handful of small queries, and for each the ORM spends more
of the processor building and compiling the query (about half a millisecond) than the
database spends answering it. A :class:`PreparedRead` is one such read of a fixed shape,
written with the ORM as usual by a function of its parameters; the first call on a database
builds it with a stand-in value for each parameter, keeps the compiled SQL and where each
stand-in landed among its parameters, and every later call puts its own values there and
runs that SQL. Rows come back exactly as the queryset gives them (model instances, their
``select_related`` objects, values or tuples), through the same iterable and the same
converters.

What the ORM would do with each value, a prepared read cannot, so it takes only what needs
nothing done: each parameter an integer, a text, a day or a moment, of exactly its declared
type (never None, which the ORM writes as ``IS NULL``), compared as it is (``=``, ``<=``,
``>``...). A lookup that transforms its value (``contains``, ``iexact`` on SQLite: wrapped in
``%`` or escaped), a list (``__in`` writes one placeholder per value on SQLite), a slice bound,
a locking read or another database: the read is refused on its first call, with its name, as
is a stand-in found nowhere among the parameters or written into the SQL text. The SQL is kept
per database, so nothing else may change it between calls (no SQL that embeds the active time
zone, as SQLite's ``__date`` does). A model row read this way does not know the object it was
reached from: ``event.file`` is read again if asked for, unless the caller sets it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Final, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["PreparedRead"]

T = TypeVar("T")

#: The kinds of parameter a prepared read takes, each with its stand-ins' first value.
_FIRST_STAND_IN: Final[Mapping[type, Any]] = {
    # Within every integer column's range: the ORM answers "nothing" for a value beyond it
    # without asking the database, and would leave no parameter to find.
    int: -1_900_000_000,
    # With the characters a lookup escapes (SQLite's LIKE) or wraps: any such change is seen.
    str: "\u2042prepared%_\\parameter-",
    date: date(1, 1, 2),
    datetime: datetime(2, 1, 2, tzinfo=UTC),
}
#: A key's range (bigint): the ORM would answer a value beyond it without asking the
#: database, by the lookup's meaning; a prepared read refuses it instead.
_BIGINT: Final = range(-(2**63), 2**63)


def _stand_in(kind: type, index: int) -> Any:
    first = _FIRST_STAND_IN[kind]
    if kind is int:
        return first - index
    if kind is str:
        return f"{first}{index}"
    return first + timedelta(days=index)


def _adapt(kind: type, connection: BaseDatabaseWrapper) -> Callable[[Any], Any]:
    """How the ORM hands a value of ``kind`` to the driver on ``connection``."""
    if kind is date:
        return connection.ops.adapt_datefield_value
    if kind is datetime:
        return connection.ops.adapt_datetimefield_value
    return _as_is


def _as_is(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class _Compiled:
    """One read compiled for one database: its SQL, its parameters with the stand-ins' places
    (parameter name -> positions), the compiler that reads the rows back, and the iterable of
    the queryset."""

    sql: str
    params: tuple[Any, ...]
    places: Mapping[str, tuple[int, ...]]
    compiler: SQLCompiler
    template: QuerySet[Any]


@dataclass(slots=True)
class _Bound:
    """What the queryset's iterable reads of a queryset, for one call: its query answers with
    the prepared SQL and this call's parameters."""

    model: type[Model]
    db: str
    query: _BoundQuery
    _known_related_objects: dict[Any, Any] = field(default_factory=dict)
    _fields: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class _BoundQuery:
    compiled: _Compiled
    params: tuple[Any, ...]

    def get_compiler(self, using: str | None = None, *_: Any, **__: Any) -> SQLCompiler:
        compiler = copy.copy(self.compiled.compiler)
        # This thread's connection (a development server serves each request in a thread).
        compiler.connection = connections[using or "default"]
        sql, params = self.compiled.sql, self.params
        compiler.as_sql = lambda *args, **kwargs: (sql, params)  # type: ignore[method-assign]
        return compiler

    def __getattr__(self, name: str) -> Any:
        # What an iterable reads of the query besides its compiler (its selected names).
        return getattr(self.compiled.template.query, name)


class PreparedRead(Generic[T]):
    """A read of a fixed shape: ``build`` returns its queryset for the parameters named in
    ``parameters`` (name -> int, str, date or datetime); calling the read with those
    parameters returns the queryset's rows as a list."""

    def __init__(
        self, name: str, build: Callable[..., QuerySet[Any, T]], **parameters: type
    ) -> None:
        unknown = [kind for kind in parameters.values() if kind not in _FIRST_STAND_IN]
        if unknown:
            raise TypeError(f"{name}: no prepared parameter of type {unknown[0].__name__}.")
        self.name = name
        self._build = build
        self._parameters = parameters
        self._compiled: dict[tuple[str, str], _Compiled] = {}
        self._lock = threading.Lock()

    def __call__(self, *, using: str = "default", **values: Any) -> list[T]:
        if values.keys() != self._parameters.keys():
            raise TypeError(f"{self.name} takes {sorted(self._parameters)}, not {sorted(values)}.")
        for name, value in values.items():
            kind = self._parameters[name]
            if type(value) is not kind:
                raise TypeError(
                    f"{self.name}: {name} must be {kind.__name__}, not {type(value).__name__}."
                )
            if kind is int and value not in _BIGINT:
                raise ValueError(f"{self.name}: {name} {value} is beyond any key.")
        connection = connections[using]
        compiled = self._compiled.get((using, connection.vendor)) or self._compile(using)
        params = list(compiled.params)
        for name, positions in compiled.places.items():
            value = _adapt(self._parameters[name], connection)(values[name])
            for position in positions:
                params[position] = value
        template = compiled.template
        bound = _Bound(
            model=template.model,
            db=using,
            query=_BoundQuery(compiled, tuple(params)),
            _fields=template._fields,  # type: ignore[attr-defined]
        )
        iterable: Iterable[T] = template._iterable_class(bound)  # type: ignore[arg-type,assignment]
        return list(iterable)

    def _compile(self, using: str) -> _Compiled:
        connection = connections[using]
        stand_ins = {
            name: _stand_in(kind, index)
            for index, (name, kind) in enumerate(self._parameters.items())
        }
        template = self._build(**stand_ins)
        query = template.query
        if template._prefetch_related_lookups or query.select_for_update:  # type: ignore[attr-defined]
            raise TypeError(f"{self.name}: a prepared read neither prefetches nor locks.")
        if template._db not in (None, using):  # type: ignore[attr-defined]
            raise TypeError(f"{self.name}: its queryset reads another database.")
        compiler = query.get_compiler(using=using)
        try:
            sql, params = compiler.as_sql()
        except (EmptyResultSet, FullResultSet):
            # A stand-in the lookup answers without SQL (beyond a small column's range).
            raise TypeError(f"{self.name}: a parameter is not a plain SQL parameter.") from None
        places: dict[str, tuple[int, ...]] = {}
        for name, stand_in in stand_ins.items():
            sent = _adapt(self._parameters[name], connection)(stand_in)
            places[name] = tuple(
                i for i, p in enumerate(params) if type(p) is type(sent) and p == sent
            )
            if not places[name] or str(sent) in sql:
                raise TypeError(f"{self.name}: its parameter {name} is not a plain SQL parameter.")
        compiled = _Compiled(
            sql=sql, params=tuple(params), places=places, compiler=compiler, template=template
        )
        with self._lock:
            self._compiled[(using, connection.vendor)] = compiled
        return compiled
