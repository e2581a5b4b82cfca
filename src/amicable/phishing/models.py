"""Phishing reports and the known fraud campaigns that imitate the agency (journey 6)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class FraudCampaign(models.Model):
    """A known fraud campaign that imitates the agency, shown on the public phishing page."""

    seen_on = models.DateField(_("first seen on"))
    pretended_to_be = models.CharField(_("what the message pretended to be"), max_length=300)
    channel = models.CharField(_("channel (e-mail, text message, letter, phone)"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("fraud campaign")
        verbose_name_plural = _("fraud campaigns")
        # The table the portal created: the models moved, the rows stayed where they were.
        db_table = "portal_fraudcampaign"
        ordering: ClassVar = ["-seen_on", "-id"]

    def __str__(self) -> str:
        return f"{self.seen_on}: {self.pretended_to_be}"


class ReportChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone call")
    OTHER = "other", _("Other")


class PhishingReport(models.Model):
    """A suspicious message reported by anyone through the public page (journey 6)."""

    channel = models.CharField(
        max_length=10, choices=ReportChannel.choices, verbose_name=_("channel")
    )
    received_on = models.DateField(null=True, blank=True, verbose_name=_("received on"))
    sender = models.CharField(max_length=200, blank=True, verbose_name=_("sender"))
    content = models.TextField(max_length=5000, verbose_name=_("content"))
    reporter_email = models.EmailField(blank=True, verbose_name=_("reporter e-mail"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("phishing report")
        verbose_name_plural = _("phishing reports")
        db_table = "portal_phishingreport"

    def __str__(self) -> str:
        return f"{self.channel} report of {self.created_at:%Y-%m-%d}"
