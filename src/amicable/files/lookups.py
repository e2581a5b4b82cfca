"""``field__any_of=[...]``: membership in a long list, with the list as one parameter.

``field__in=[...]`` sends one placeholder per value: for the 5,000 ids of a chunk, Django and
the driver spend more time building and splitting that SQL than the database spends on the
query. On PostgreSQL ``any_of`` sends ``field = ANY(%s)`` with the list as one array; elsewhere
it is ``IN``. Registered on every field by ``FilesConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["ANY_OF_CHUNK", "AnyOf", "array_text"]

#: Ids sent in one ``any_of`` lookup by a set-based read.
ANY_OF_CHUNK = 5000


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, Any]:
        sql, params = In(self.lhs, list(self.rhs)).as_sql(compiler, connection)
        return sql, params

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, Any]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        kind = field.db_type(connection)
        given = list(self.rhs)
        if kind in _INTEGER_TYPES and all(type(v) is int for v in given):
            # Keys, the usual case: the array's text written at once, one text parameter
            # (integers need no preparation). A list would be quoted element by element by
            # the driver, in Python: for the 5,000 ids of a chunk, more time than the query.
            return f"{lhs} = ANY(%s::{kind}[])", [*lhs_params, array_text(given)]
        values = [field.get_db_prep_value(v, connection) for v in given]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


_INTEGER_TYPES = frozenset({"smallint", "integer", "bigint"})


def array_text(values: Sequence[int]) -> str:
    """PostgreSQL's text form of an array of integers: ``{1,2,3}``."""
    return "{" + ",".join(map(str, values)) + "}"
