"""The only way to write the timeline (architecture.md, invariant 4: every action, with who)."""

from __future__ import annotations

from typing import Any

from amicable.files.models import Event, File

#: The columns of an event written in bulk (``files.bulk.copy_rows``): the time is now.
EVENT_FIELDS = ("file_id", "kind", "actor", "message", "data", "visible_to_debtor")


def record_event(
    file: File | None,
    kind: str,
    *,
    actor: str,
    message: str = "",
    data: dict[str, Any] | None = None,
    visible_to_debtor: bool = False,
) -> Event:
    return Event.objects.create(
        file=file,
        kind=kind,
        actor=actor,
        message=message[:500],
        data=data or {},
        visible_to_debtor=visible_to_debtor,
    )
