"""Staff notes: what an agent writes on a file's timeline for colleagues, never for the debtor."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amicable.domain.lifecycle import AgentAction
from amicable.files.actions import ActionRefused, check_action
from amicable.files.models import Event, File
from amicable.files.timeline import EventKind, record_event

__all__ = ["add_note"]


def add_note(*, file: File, text: str, actor: str) -> Event:
    """An internal note on the timeline (never shown to the debtor)."""
    check_action(file, AgentAction.ADD_NOTE)
    if not text.strip():
        raise ActionRefused(_("The note is empty."))
    return record_event(file, EventKind.NOTE_ADDED, actor=actor, message=text.strip())
