"""Lifting a hold: the documents asked for were given (CEL art. XIX.7 §3), a debt mediation ended
(CEL Book XIX, Title 3) or a collective debt settlement was revoked (Judicial Code art. 1675/15).

Where the file goes is the one rule of every lifted hold, :func:`resumption` (through
``files.lifecycle.resumption_for``): a collective settlement revoked resumes collection; a plan
that still runs continues; a file held at or after its formal notice gets a new one; a file held
before goes back to where its claims stand.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from amicable.disputes.errors import DisputeError
from amicable.domain.lifecycle import AgentAction, FileState
from amicable.files import ledger
from amicable.files.actions import check_action
from amicable.files.lifecycle import change_file_state, resumption_for
from amicable.files.models import File
from amicable.plans.selectors import has_running_plan

__all__ = ["resume_collection", "resumption"]


def resumption(file: File, *, today: date) -> FileState:
    """Where ``file``, in a hold, goes when the hold is lifted on ``today``."""
    return resumption_for(file, plan_running=has_running_plan(file), today=today)


@transaction.atomic
def resume_collection(*, file: File, reason: str, actor: str, today: date) -> FileState:
    """Lift the hold of ``file`` with the reason the debtor reads; returns where it went."""
    file = ledger.lock_file(file.pk)
    check_action(file, AgentAction.RESUME)
    if not reason.strip():
        raise DisputeError(_("Say why collection resumes."))
    target = resumption(file, today=today)
    change_file_state(file=file, new_state=target, actor=actor, reason=reason.strip(), on=today)
    return target
