"""The back office's own records: staff permissions, sign-in failures and contact attempts."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models

from amicable.domain.contact import ContactChannel, ContactPurpose, Recipient
from amicable.files.models import Debtor, File


class StaffAccess(models.Model):
    """No table: this model only carries the back-office permissions (see ``roles``)."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions: ClassVar = [
            ("view_queues", "Can see the work queues"),
            ("view_files", "Can see files, their documents and search"),
            ("work_files", "Can take work and decide on files"),
            ("assign_work", "Can assign work to colleagues"),
            ("view_dashboard", "Can see the dashboard"),
            ("view_audit", "Can see the audit trail and refused contacts"),
        ]

    def __str__(self) -> str:
        return "back-office access"


class SignInScope(models.TextChoices):
    USERNAME = "username", "Per user name"
    ADDRESS = "address", "Per client address"


class SignInFailure(models.Model):
    """One failed staff sign-in, counted per user name and per client address.

    A user name that does not exist is counted like one that does: the lock-out reveals
    nothing about which accounts exist.
    """

    scope = models.CharField(max_length=10, choices=SignInScope.choices)
    key = models.CharField(max_length=150)
    at = models.DateTimeField()

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["scope", "key", "at"], name="staff_sign_in_failure_idx")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} at {self.at:%Y-%m-%d %H:%M}"


class ContactAttempt(models.Model):
    """A contact an agent made or tried to make, with the answer of the contact rules.

    Allowed contacts count towards the frequency limits of the next ones (legal.md section 4);
    refused ones are kept so that a compliance officer can see what the rules stopped.
    """

    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="contact_attempts")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="contact_attempts")
    channel = models.CharField(max_length=12, choices=[(c.value, c.value) for c in ContactChannel])
    recipient = models.CharField(max_length=12, choices=[(r.value, r.value) for r in Recipient])
    purpose = models.CharField(max_length=30, choices=[(p.value, p.value) for p in ContactPurpose])
    at = models.DateTimeField()
    allowed = models.BooleanField()
    refusal_reason = models.CharField(max_length=40, blank=True)
    refusal_message = models.CharField(max_length=300, blank=True)
    article = models.CharField(max_length=200, blank=True)
    next_allowed_at = models.DateTimeField(null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="contact_attempts",
    )
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["debtor", "at"], name="contact_debtor_at_idx"),
            models.Index(fields=["allowed", "id"], name="contact_allowed_idx"),
        ]

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else f"refused ({self.refusal_reason})"
        return f"{self.channel} to {self.recipient} at {self.at:%Y-%m-%d %H:%M}: {verdict}"
