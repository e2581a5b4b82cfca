"""Django admin: read-mostly views of files for staff until the back office covers everything.

The ledger and the timeline are append-only: the admin shows them and never edits them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from amicable.files import models


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.Creditor)
class CreditorAdmin(admin.ModelAdmin[models.Creditor]):
    list_display = ("reference", "name", "enterprise_number", "sector", "language")
    search_fields = ("reference", "name", "enterprise_number")


@admin.register(models.Debtor)
class DebtorAdmin(admin.ModelAdmin[models.Debtor]):
    list_display = ("name", "customer_reference", "creditor", "postal_code", "language")
    search_fields = ("name", "customer_reference", "email")
    list_filter = ("language", "over_indebtedness")


class ClaimInline(admin.TabularInline[models.Claim, models.File]):
    model = models.Claim
    extra = 0
    can_delete = False
    fields = ("creditor_reference", "description", "due_date", "principal", "first_chargeable_day")
    readonly_fields = fields


@admin.register(models.File)
class FileAdmin(admin.ModelAdmin[models.File]):
    list_display = ("reference", "creditor", "debtor", "state", "opened_on", "updated_at")
    list_filter = ("state", "creditor")
    search_fields = ("reference", "structured_communication", "creditor_reference", "debtor__name")
    readonly_fields = ("access_code_hash", "structured_communication", "number", "reference")
    inlines = (ClaimInline,)


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ("file", "kind", "component", "amount", "value_date", "source", "actor")
    list_filter = ("kind", "component", "source")
    search_fields = ("file__reference", "source_reference")


@admin.register(models.Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("at", "file", "kind", "actor", "message")
    list_filter = ("kind",)
    search_fields = ("file__reference", "actor")


@admin.register(models.Document)
class DocumentAdmin(admin.ModelAdmin[models.Document]):
    list_display = ("file", "kind", "original_name", "review_status", "uploaded_at")
    list_filter = ("kind", "review_status")
    readonly_fields = ("sha256", "size", "content_type", "uploaded_by", "uploaded_at")


@admin.register(models.WorkItem)
class WorkItemAdmin(admin.ModelAdmin[models.WorkItem]):
    list_display = ("kind", "title", "file", "due_on", "owner", "status")
    list_filter = ("status", "kind")
    search_fields = ("title", "file__reference")


@admin.register(models.InterestRate)
class InterestRateAdmin(admin.ModelAdmin[models.InterestRate]):
    list_display = ("kind", "year", "half", "rate", "published_on")
    list_filter = ("kind",)


@admin.register(models.ClaimCategory)
class ClaimCategoryAdmin(admin.ModelAdmin[models.ClaimCategory]):
    """Prescription periods (docs/legal.md, section 8): an administrator adds a category for a
    kind of claim the seeded ones do not cover. A category in use is never deleted."""

    list_display = ("code", "name", "period_months", "legal_basis")
    search_fields = ("code", "name")

    def get_readonly_fields(
        self, request: HttpRequest, obj: models.ClaimCategory | None = None
    ) -> tuple[str, ...]:
        # The code is what the API and the sheet send: renaming it would break a creditor's feed.
        return ("code",) if obj is not None else ()
