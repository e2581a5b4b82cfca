"""Staff read the disputes and document requests; the services write them."""

from __future__ import annotations

from django.contrib import admin

from amicable.disputes import models


@admin.register(models.Dispute)
class DisputeAdmin(admin.ModelAdmin[models.Dispute]):
    list_display = ("file", "reason", "status", "opened_on", "suspended_file")
    list_filter = ("status", "reason")
    search_fields = ("file__reference",)
    raw_id_fields = ("file", "evidence")
    readonly_fields = ("created_at", "opened_by")


@admin.register(models.DocumentRequest)
class DocumentRequestAdmin(admin.ModelAdmin[models.DocumentRequest]):
    list_display = ("file", "kinds", "status", "requested_on", "answered_on")
    list_filter = ("status",)
    search_fields = ("file__reference",)
    raw_id_fields = ("file",)
    readonly_fields = ("created_at", "requested_by")


@admin.register(models.Declaration)
class DeclarationAdmin(admin.ModelAdmin[models.Declaration]):
    list_display = ("debtor", "kind", "declared_on", "admissibility_date", "mediator_name")
    list_filter = ("kind",)
    search_fields = ("debtor__name", "files__reference", "mediator_name")
    raw_id_fields = ("debtor", "files", "court_decision")
    readonly_fields = ("created_at", "declared_by")
