"""The back office's own records: staff permissions and sign-in failures.

Contact attempts (calls included) are kept by the one contact guard of every outbound
contact, ``amicable.letters.guard``, so that calls, letters and e-mails count together.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


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
    USERNAME = "username", _("Per user name")
    ADDRESS = "address", _("Per client address")


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
