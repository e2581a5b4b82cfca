"""The columns of a creditor's sheet, explained on the import page in the staff member's
language (the same table as docs/intake.md, "Columns"; the importer's ``COLUMNS`` is the
authority, and ``tests/backoffice/test_sheet_columns.py`` checks that every one is here)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amicable.intake.importer import REQUIRED_COLUMNS

__all__ = ["SHEET_COLUMNS", "SheetColumn"]


@dataclass(frozen=True, slots=True)
class SheetColumn:
    name: str
    content: Promise

    @property
    def required(self) -> bool:
        return self.name in REQUIRED_COLUMNS


SHEET_COLUMNS: tuple[SheetColumn, ...] = (
    SheetColumn("file_reference", _("your reference of the file (up to 64 characters)")),
    SheetColumn(
        "debtor_reference",
        _("your customer reference; files with the same one share the debtor"),
    ),
    SheetColumn("debtor_name", _("up to 200 characters")),
    SheetColumn("debtor_address", _("street and number, up to 200 characters")),
    SheetColumn("debtor_postal_code", _("1000 to 9999 in Belgium; up to 10 characters elsewhere")),
    SheetColumn("debtor_city", _("up to 100 characters")),
    SheetColumn("debtor_country", _("ISO 3166 code, BE when empty")),
    SheetColumn("debtor_language", _("fr, nl, de or en; fr when empty")),
    SheetColumn("debtor_email", _("an e-mail address")),
    SheetColumn("debtor_phone", _("digits, spaces and + ( ) . / -")),
    SheetColumn("debtor_birth_date", _("YYYY-MM-DD")),
    SheetColumn("claim_reference", _("the invoice number, unique within the file")),
    SheetColumn(
        "description", _("what the debt is for (product or service), up to 300 characters")
    ),
    SheetColumn("invoice_date", _("YYYY-MM-DD, on or before the due date")),
    SheetColumn("due_date", _("YYYY-MM-DD, not in the future")),
    SheetColumn("principal", _("the amount due, e.g. 215.55 or 215,55")),
    SheetColumn(
        "contract_date",
        _("when the contract was concluded; empty counts as from 1 September 2023"),
    ),
    SheetColumn(
        "regular_supply",
        _("yes for energy, telecom, subscriptions (three free reminders a year)"),
    ),
    SheetColumn("first_reminder_sent_on", _("the free first reminder's date, after the due date")),
    SheetColumn("first_reminder_channel", _("paper or electronic, with the reminder's date")),
    SheetColumn("indemnity_percent", _("damages clause: percentage of the balance (0 to 100)")),
    SheetColumn("indemnity_minimum", _("the clause's minimum amount (with a percentage)")),
    SheetColumn("indemnity_fixed", _("damages clause as a fixed amount (not with a percentage)")),
    SheetColumn(
        "requested_indemnity", _("the indemnity you ask; by default what the clause gives")
    ),
    SheetColumn(
        "indemnity_reciprocity",
        _(
            "reciprocal or not_reciprocal; empty is not declared. Only a clause declared "
            "reciprocal gives an indemnity (CEL art. VI.83, 17°)"
        ),
    ),
    SheetColumn("interest_clause", _("yes if the contract provides late interest")),
    SheetColumn("interest_rate", _("the contractual rate in percent a year (at most 3 decimals)")),
    SheetColumn(
        "reminder_cost_clause", _("yes if the contract provides costs for further reminders")
    ),
    SheetColumn(
        "category",
        _("the claim's category for prescription; empty: your sector's (see Claim categories)"),
    ),
    SheetColumn(
        "prescription_interrupted_on",
        _("YYYY-MM-DD: the debtor's last acknowledgement, partial payment or plan request"),
    ),
    SheetColumn(
        "prescription_evidence",
        _("the reference of the document that proves that interruption (with its date)"),
    ),
)
