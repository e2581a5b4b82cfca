"""The portal's own records: the attempts counted for its throttles (sign-in, authenticity
check, a debtor's data downloads and uploads)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _


class ThrottleScope(models.TextChoices):
    SIGN_IN_FILE = "sign_in_file", _("Sign-in failure, per file number")
    SIGN_IN_IP = "sign_in_ip", _("Sign-in failure, per client address")
    CHECK_IP = "check_ip", _("Authenticity check, per client address")
    DATA_DOWNLOAD = "data_download", _("Download of a debtor's data, per debtor")
    UPLOAD = "upload", _("Document uploaded by the debtor, per file")


class ThrottledAttempt(models.Model):
    """One counted attempt (a failed sign-in, an authenticity check, a download of the debtor's
    data, an uploaded document), for the limit's window.

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
