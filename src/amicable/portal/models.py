"""The portal's own records: sign-in throttling, phishing reports and known fraud campaigns."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleScope(models.TextChoices):
    SIGN_IN_FILE = "sign_in_file", "Sign-in failure, per file number"
    SIGN_IN_IP = "sign_in_ip", "Sign-in failure, per client address"
    CHECK_IP = "check_ip", "Authenticity check, per client address"


class ThrottledAttempt(models.Model):
    """One counted attempt (a failed sign-in, an authenticity check), for the lock-out window.

    The key is the normalized file number or the client IP address: a file number that does
    not exist is counted like one that does, so the lock-out reveals nothing.
    """

    scope = models.CharField(max_length=20, choices=ThrottleScope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["scope", "key", "at"], name="throttle_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"


class FraudCampaign(models.Model):
    """A known fraud campaign that imitates the agency, shown on the public phishing page."""

    seen_on = models.DateField(_("first seen on"))
    pretended_to_be = models.CharField(_("what the message pretended to be"), max_length=300)
    channel = models.CharField(_("channel (e-mail, text message, letter, phone)"), max_length=60)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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

    channel = models.CharField(max_length=10, choices=ReportChannel.choices)
    received_on = models.DateField(null=True, blank=True)
    sender = models.CharField(max_length=200, blank=True)
    content = models.TextField(max_length=5000)
    reporter_email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.channel} report of {self.created_at:%Y-%m-%d}"
