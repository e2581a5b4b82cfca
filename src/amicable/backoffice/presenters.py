"""How the back office shows what it reads: amounts in the staff member's language, what a
debtor declared with a proof of payment."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from amicable.disputes.models import DisputeReason
from amicable.domain.money import format_eur
from amicable.domain.references import ogm_format
from amicable.files.labels import state_label
from amicable.files.models import Event, WorkItem, WorkItemKind
from amicable.files.timeline import EventKind

__all__ = [
    "actor_label",
    "colon",
    "declaration_rows",
    "eur",
    "event_detail",
    "work_item_title",
]


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


# --- codes in words ------------------------------------------------------------------------

#: The programs that act on files, as a staff member names them (``staff:<username>`` is a
#: person and shows as the username).
_ACTORS = {
    "portal": gettext_lazy("Debtor (portal)"),
    "daily-run": gettext_lazy("Daily run"),
    "letters-batch": gettext_lazy("Letters batch"),
    "letters-emails": gettext_lazy("E-mail sending"),
    "retention": gettext_lazy("Retention"),
    "demo": gettext_lazy("Demo data"),
    "command": gettext_lazy("Command line"),
    "api": gettext_lazy("Creditor API"),
}


def colon() -> str:
    """ ": " joining a label to what follows, with French's no-break space before the colon."""
    return "\u00a0: " if (translation.get_language() or "")[:2] == "fr" else ": "


def actor_label(actor: str) -> str:
    """Who did it: a staff member's username, a program's name in words, or as stored."""
    if actor.startswith("staff:"):
        return actor.removeprefix("staff:")
    if actor.startswith("api:"):
        return f"{_('Creditor API')} ({actor.removeprefix('api:')})"
    if actor.startswith("command:"):
        return f"{_('Command line')} ({actor.removeprefix('command:')})"
    label = _ACTORS.get(actor)
    return str(label) if label is not None else actor


def _written_by_a_person(event: Event) -> bool:
    """Whether the event's message was typed by someone (a staff member's note or decision, a
    debtor's explanation), so that it is shown as typed, in the language it was typed in."""
    return event.actor.startswith("staff:") or event.actor == "portal"


def event_detail(event: Event) -> str:
    """What the back office's timeline says after an event's label, in the staff member's
    language.

    Messages typed by a person are shown as typed. The sentences the programs stored (in
    English, for the audit record) are rewritten here from the event's data where the data
    says everything they said: state changes, the charges the law trimmed, amounts.
    """
    data = event.data if isinstance(event.data, dict) else {}
    kind = event.kind
    if kind == EventKind.STATE_CHANGED and "to" in data:
        words = _("%(old)s → %(new)s") % {
            "old": state_label(str(data.get("from", ""))),
            "new": state_label(str(data["to"])),
        }
        # A staff member's reason (resuming a file) is theirs; a program's is said by the
        # change itself and the events around it.
        if event.actor.startswith("staff:") and event.message:
            return f"{words}{colon()}{event.message}"
        return words
    if kind == EventKind.INDEMNITY_TRIMMED and "allowed" in data:
        return _(
            "invoice %(claim)s: %(allowed)s allowed of %(requested)s requested "
            "(%(why)s, %(article)s)."
        ) % {
            "claim": data.get("claim", "—"),
            "allowed": _money(data.get("allowed")),
            "requested": _money(data.get("requested")),
            "why": str(_INDEMNITY_RULES.get(str(data.get("rule")), data.get("rule", ""))),
            "article": data.get("article", ""),
        }
    if kind == EventKind.INTEREST_RATE_ADJUSTED and "applied" in data:
        return _(
            "invoice %(claim)s: %(applied)s %% a year applied instead of %(requested)s %% "
            "(%(article)s)."
        ) % {
            "claim": data.get("claim", "—"),
            "applied": _number(data.get("applied")),
            "requested": _number(data.get("requested")),
            "article": data.get("article", ""),
        }
    if kind in _AMOUNT_KINDS and "amount" in data and not _written_by_a_person(event):
        return _money(data.get("amount"))
    if kind == EventKind.FIRST_REMINDER_MISSING and not _written_by_a_person(event):
        return _("the agency sends the free first reminder itself (CEL art. XIX.2).")
    return event.message


_INDEMNITY_RULES = {
    "no_clause": gettext_lazy("the contract has no damages clause"),
    "within_cap": gettext_lazy("within the legal cap"),
    "trimmed_to_clause": gettext_lazy("more than the clause gives"),
    "trimmed_to_cap": gettext_lazy("reduced to the legal cap"),
    "clause_void_above_cap": gettext_lazy("a clause above the legal cap is deemed unwritten"),
}

_AMOUNT_KINDS = frozenset(
    {
        EventKind.INDEMNITY_CHARGED,
        EventKind.REMINDER_COST_CHARGED,
        EventKind.CHARGE_REDUCED,
        EventKind.PAYMENT_POSTED,
        EventKind.OVERPAYMENT,
    }
)


def _money(value: object) -> str:
    try:
        return eur(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return "—"


def _number(value: object) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "—"
    text = f"{number.normalize():f}"
    language = (translation.get_language() or "en")[:2]
    return text if language == "en" else text.replace(".", ",")


def work_item_title(item: WorkItem) -> str:
    """An item's title in the staff member's language, made from its kind and data (the
    stored title is the English one of the audit record)."""
    data = item.data if isinstance(item.data, dict) else {}
    kind = WorkItemKind(item.kind) if item.kind in WorkItemKind.values else None
    label = str(kind.label) if kind is not None else item.title
    if kind == WorkItemKind.PAYMENT_PLAN_REQUEST and "instalments" in data:
        return _("Payment plan request: %(count)s instalments on %(total)s") % {
            "count": data["instalments"],
            "total": _money(data.get("total")),
        }
    if kind == WorkItemKind.UNMATCHED_MOVEMENT and "amount" in data:
        return _("%(amount)s booked on %(day)s") % {
            "amount": _money(data["amount"]),
            "day": _day(data.get("booking_date")),
        }
    if kind == WorkItemKind.PROOF_REVIEW:
        count = len(data.get("proofs") or []) or 1
        return ngettext(
            "%(count)s proof of payment to review", "%(count)s proofs of payment to review", count
        ) % {"count": count}
    if kind == WorkItemKind.DISPUTE and "reason" in data:
        try:
            reason = DisputeReason(str(data["reason"])).label
        except ValueError:
            return label
        return f"{label}{colon()}{reason}"
    return label


def _day(value: object) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return "—"
