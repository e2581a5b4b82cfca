"""Whether an agent's action is open on a file in its state, and the refusal every write raises.

The lifecycle table says which action is open in which state
(:func:`amicable.domain.lifecycle.actions_allowed`): a dispute is resolved only while the file
is disputed, a hold lifted only while it holds. Every write an agent asks for checks it with
:func:`check_action` before anything is written.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from amicable.domain.lifecycle import AgentAction, actions_allowed
from amicable.files.models import File

__all__ = ["ActionRefused", "check_action"]


class ActionRefused(Exception):
    """An action refused, with a message for the person who asked (nothing was written)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_action(file: File, action: AgentAction) -> None:
    """Raise :class:`ActionRefused` unless ``action`` is open on ``file`` in its state."""
    if action not in actions_allowed(file.file_state):
        raise ActionRefused(
            _("This action is not open on a file in state %(state)s.") % {"state": file.state}
        )
