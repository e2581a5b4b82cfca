"""``field__any_of=[...]``: membership in a long list, with the list as one parameter.

``field__in=[...]`` sends one placeholder per value: for the 5,000 ids of a chunk, Django and
the driver spend more time building and splitting that SQL than the database spends on the
query. On PostgreSQL ``any_of`` sends ``field = ANY(%s)`` with the list as one array; elsewhere
it is ``IN``. Registered on every field by ``FilesConfig.ready``.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["ANY_OF_CHUNK", "AnyOf"]

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
        values = [self.lhs.output_field.get_db_prep_value(v, connection) for v in self.rhs]
        return f"{lhs} = ANY(%s)", [*lhs_params, values]
