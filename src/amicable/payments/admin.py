"""Django admin: read-only views of imported statements, movements and refunds.

Everything here is written by the payments app (and the ledger behind it): the admin shows it
and never edits it, so that no posting escapes the ledger's rules.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amicable.payments import models


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.StatementImport)
class StatementImportAdmin(ReadOnlyAdmin):
    list_display = ("name", "format", "imported_at", "imported_by", "size")
    search_fields = ("name", "sha256")


@admin.register(models.BankStatement)
class BankStatementAdmin(ReadOnlyAdmin):
    list_display = ("account", "number", "closing_date", "closing_balance", "is_duplicate")
    search_fields = ("account", "number", "identity")


@admin.register(models.BankMovementRecord)
class BankMovementRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "booking_date",
        "amount",
        "counterparty_name",
        "structured_reference",
        "status",
        "match_method",
        "confidence",
        "file",
    )
    list_filter = ("status", "match_method", "currency")
    search_fields = (
        "structured_reference",
        "communication",
        "counterparty_name",
        "counterparty_account",
        "end_to_end_id",
        "identity",
    )
    raw_id_fields = ("file", "entry", "original", "statement", "statement_import")


@admin.register(models.Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ("reference", "amount", "iban", "name", "status", "requested_at")
    list_filter = ("status",)
    search_fields = ("reference", "iban", "name")


@admin.register(models.DebtorAccount)
class DebtorAccountAdmin(ReadOnlyAdmin):
    list_display = ("iban", "debtor", "first_seen_on")
    search_fields = ("iban",)
    raw_id_fields = ("debtor",)
