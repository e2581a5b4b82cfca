"""Staff read the plans and their instalments; the services write them."""

from __future__ import annotations

from django.contrib import admin

from amicable.plans import models


class InstalmentInline(admin.TabularInline[models.Instalment, models.PaymentPlan]):
    model = models.Instalment
    extra = 0
    readonly_fields = ("number", "due_on", "amount", "structured_communication")
    can_delete = False


@admin.register(models.PaymentPlan)
class PaymentPlanAdmin(admin.ModelAdmin[models.PaymentPlan]):
    list_display = ("file", "status", "instalment_count", "first_due_on", "total", "requested_on")
    list_filter = ("status", "mentions_difficulties")
    search_fields = ("file__reference",)
    raw_id_fields = ("file",)
    readonly_fields = ("created_at", "breaches", "requested_by")
    inlines = (InstalmentInline,)
