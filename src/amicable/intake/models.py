"""Creditor API credentials: bearer tokens, stored hashed, revocable."""

from __future__ import annotations

from django.db import models

from amicable.files.models import Creditor


class ApiToken(models.Model):
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    # The first characters of the token, kept in clear to find the row; the rest is hashed.
    prefix = models.CharField(max_length=12, unique=True)
    token_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=100)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.creditor} / {self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
