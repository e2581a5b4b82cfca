"""Attempts counted against a limit in a sliding window, decided atomically.

The portal's sign-in and authenticity check, a debtor's data downloads and uploads, and the
staff sign-in each keep their own record of attempts (a model with ``scope``, ``key`` and
``at``) and their own policy; this module is the one place that counts them. Rules:

- an attempt is counted *before* what it tries is checked: :func:`claim_attempt` records it,
  and the caller checks the code or password only when the claim was not refused;
- the count and the decision are one step: the claim locks one :class:`ThrottleKey` row per
  key (``SELECT ... FOR UPDATE``, in the order of their names, so two claims never wait on
  each other crosswise), counts the attempts still in the window and records the new one only
  when every key stays under its limit. Claims on one key thus follow one another on
  PostgreSQL; on SQLite every write transaction is exclusive already (``BEGIN IMMEDIATE``,
  see the settings). Forty guesses sent at once get at most ``limit`` checks;
- an attempt made while a key is locked is refused without being counted, so an attacker
  cannot extend a lock for ever; a key is locked until fewer than ``limit`` attempts remain
  in the window (at most ``window`` after the last counted one);
- an attempt that succeeds is taken off again (:func:`release`): only failures count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction

from amicable.security.models import ThrottleKey

__all__ = ["Claim", "attempts_left", "claim_attempt", "locked_until", "release"]


@dataclass(frozen=True, slots=True)
class Claim:
    """One attempt: counted (the ids of its records) or refused until ``retry_at``."""

    model: type[models.Model]
    counted: tuple[int, ...] = ()
    retry_at: datetime | None = None

    @property
    def refused(self) -> bool:
        return self.retry_at is not None


def locked_until(
    model: type[models.Model],
    *,
    scope: str,
    key: str,
    limit: int,
    window: timedelta,
    now: datetime,
) -> datetime | None:
    """When ``key`` may try again, or None when it is not locked (a read, no lock taken)."""
    recent = list(
        model._default_manager.filter(scope=scope, key=key, at__gt=now - window)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    # The oldest of the last ``limit`` attempts leaves the window first.
    until: datetime = recent[-1] + window
    return until


def claim_attempt(
    model: type[models.Model],
    keys: Sequence[tuple[str, str]],
    *,
    limit: int,
    window: timedelta,
    now: datetime,
    count: int = 1,
) -> Claim:
    """Count one attempt on every ``(scope, key)``, or refuse it if any key is locked.

    ``count`` attempts at once (a form that sends three documents counts three): all are
    counted, or none when any key has fewer than ``count`` left in the window; ``retry_at`` is
    then when ``count`` fit again.
    """
    if not 1 <= count <= limit:
        raise ValueError(f"{count} attempts at once can never pass a limit of {limit}.")
    with transaction.atomic():
        _lock(sorted({f"{model._meta.label}:{scope}:{key}" for scope, key in keys}))
        locks = [
            until
            for scope, key in keys
            if (
                # Room for ``count`` more: fewer than ``limit - count + 1`` in the window.
                until := locked_until(
                    model, scope=scope, key=key, limit=limit - count + 1, window=window, now=now
                )
            )
        ]
        if locks:
            return Claim(model=model, retry_at=max(locks))
        manager = model._default_manager
        counted = [
            manager.create(scope=scope, key=key, at=now)
            for scope, key in keys
            for _ in range(count)
        ]
    return Claim(model=model, counted=tuple(int(record.pk) for record in counted))


def attempts_left(
    model: type[models.Model],
    *,
    scope: str,
    key: str,
    limit: int,
    window: timedelta,
    now: datetime,
) -> int:
    """How many attempts ``key`` may still make in the window (a read, no lock taken)."""
    used = model._default_manager.filter(scope=scope, key=key, at__gt=now - window).count()
    return max(0, limit - used)


def release(claim: Claim) -> None:
    """The attempt succeeded: it no longer counts against its keys."""
    claim.model._default_manager.filter(pk__in=claim.counted).delete()


def _lock(names: list[str]) -> None:
    ThrottleKey.objects.bulk_create(
        [ThrottleKey(name=name[:255]) for name in names], ignore_conflicts=True
    )
    # Locked in the order of the names: two claims sharing keys queue, never deadlock.
    list(
        ThrottleKey.objects.select_for_update()
        .filter(name__in=[name[:255] for name in names])
        .order_by("name")
        .values_list("pk", flat=True)
    )
