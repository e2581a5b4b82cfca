"""Letters the debtor takes rather than receives: the statement of account downloaded from the
portal is on the timeline, like any letter sent."""

from __future__ import annotations

from datetime import date

from amicable.files.models import File
from amicable.files.timeline import EventKind, record_event

__all__ = ["record_statement_download"]


def record_statement_download(*, file: File, on: date, actor: str) -> None:
    """Record that the debtor downloaded the statement of account of ``on``."""
    record_event(file, EventKind.STATEMENT_DOWNLOADED, actor=actor, data={"as_of": on.isoformat()})
