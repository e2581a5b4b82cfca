"""The words a person reads for the codes a file stores: its states and the components of its
claims, in the reader's language.

The codes stay in the database and the API (``amicable.domain.lifecycle.FileState``,
``amicable.domain.imputation.Component``); every page that shows one to a person shows its label
from here (the model choices, the back office, the admin), so a state has one name everywhere.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState

__all__ = ["COMPONENT_LABELS", "STATE_LABELS", "component_label", "state_label"]

STATE_LABELS: dict[FileState, Promise] = {
    FileState.NEW: _("New"),
    FileState.FIRST_REMINDER_PENDING: _("First reminder to send"),
    FileState.GRACE_PERIOD: _("First reminder period"),
    FileState.FORMAL_NOTICE: _("Formal notice to send"),
    FileState.WAITING_PERIOD: _("Waiting period after the notice"),
    FileState.IN_COLLECTION: _("In collection"),
    FileState.PAYMENT_PLAN: _("Payment plan"),
    FileState.SUSPENDED: _("Suspended"),
    FileState.DISPUTED: _("Disputed"),
    FileState.DEBT_MEDIATION: _("Debt mediation"),
    FileState.COLLECTIVE_SETTLEMENT: _("Collective debt settlement"),
    FileState.PAID: _("Paid"),
    FileState.CLOSED: _("Closed"),
}

#: The parts of a claim, named as the debtor's statement names them.
COMPONENT_LABELS: dict[Component, Promise] = {
    Component.INTEREST: _("Interest"),
    Component.INDEMNITY: _("Lump-sum indemnity"),
    Component.REMINDER_COST: _("Reminder costs"),
    Component.PRINCIPAL: _("Principal"),
}


def state_label(code: str) -> str:
    """The label of a state code; an unknown code is shown as it is (never an error)."""
    try:
        return str(STATE_LABELS[FileState(code)])
    except ValueError:
        return code


def component_label(code: str) -> str:
    """The label of a component code; empty for none, an unknown code as it is."""
    if not code:
        return ""
    try:
        return str(COMPONENT_LABELS[Component(code)])
    except ValueError:
        return code
