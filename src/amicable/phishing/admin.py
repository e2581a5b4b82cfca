"""Staff manage the fraud campaigns shown to the public and read the phishing reports."""

from __future__ import annotations

from django.contrib import admin

from amicable.phishing import models


@admin.register(models.FraudCampaign)
class FraudCampaignAdmin(admin.ModelAdmin[models.FraudCampaign]):
    list_display = ("seen_on", "pretended_to_be", "channel", "is_active")
    list_filter = ("is_active",)
    search_fields = ("pretended_to_be",)


@admin.register(models.PhishingReport)
class PhishingReportAdmin(admin.ModelAdmin[models.PhishingReport]):
    list_display = ("created_at", "channel", "sender", "reporter_email")
    list_filter = ("channel",)
    readonly_fields = ("created_at",)
