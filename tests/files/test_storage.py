"""How the tables are stored on PostgreSQL (docs/decisions.md, 46)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage options"),
]


def test_each_page_of_the_claims_keeps_room_for_their_updates() -> None:
    """A claim's row is updated through its life (reminder day, prescription clock, time-bar),
    never on an indexed column: a tenth of each page kept free lets the new version stay on its
    page without touching an index."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'files_claim'")
        (options,) = cursor.fetchone()
    assert "fillfactor=90" in (options or [])
