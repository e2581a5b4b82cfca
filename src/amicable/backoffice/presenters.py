"""How the back office shows what it reads: amounts in the staff member's language, what a
debtor declared with a proof of payment."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain.money import format_eur
from amicable.domain.references import ogm_format

__all__ = ["declaration_rows", "eur"]


def eur(amount: Decimal) -> str:
    """An amount written the way of the staff member's language (not the debtor's)."""
    language = (translation.get_language() or "en")[:2]
    return format_eur(amount, language if language in {"fr", "nl", "de", "en"} else "en")


def declaration_rows(data: Mapping[str, object]) -> list[tuple[str, str]]:
    """What the debtor declared with one proof of payment on the portal
    (``proofs.queue.declared_proofs``), for the agent to compare with the document: each
    declared part may have been left out ("—")."""
    if not data:
        return []
    paid_to = {"agency": _("The agency"), "creditor": _("The creditor")}
    try:
        amount = eur(Decimal(str(data["amount"])))
    except (KeyError, InvalidOperation, ValueError):
        amount = "—"
    communication = str(data.get("structured_communication") or "")
    if communication.isdigit():
        communication = ogm_format(communication)
    return [
        (_("Paid to"), paid_to.get(str(data.get("paid_to")), "—")),
        (_("Amount"), amount),
        (_("Payment date"), str(data.get("paid_on") or "—")),
        (_("Structured communication"), communication or "—"),
    ]
