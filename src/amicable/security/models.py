"""The security app's one table: a row per throttled key, to lock while its attempts are counted."""

from __future__ import annotations

from django.db import models


class ThrottleKey(models.Model):
    """A key whose attempts are counted (a file number, a user name, a client address).

    It holds nothing but its name: its row is locked (``SELECT ... FOR UPDATE``) while an
    attempt on that key is counted and decided, so two attempts are never decided on the same
    count (:mod:`amicable.security.throttle`).
    """

    name = models.CharField(max_length=255, unique=True)

    def __str__(self) -> str:
        return self.name
