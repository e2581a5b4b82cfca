"""What the amicable commands read from their command line, read the same way by each."""

from __future__ import annotations

from datetime import date

from django.core.management.base import CommandError

__all__ = ["day"]


def day(text: str) -> date:
    """A ``--date`` argument: a day as YYYY-MM-DD, or a clear error."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date must be a date as YYYY-MM-DD, not {text!r}.") from None
