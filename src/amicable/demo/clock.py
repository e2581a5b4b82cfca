"""The demo's simulated clock: the services believe it is a past day while the demo replays it.

Every service takes the day it works on as ``today`` or ``on``, but the moments it stamps (an
event's time, an item's creation, a letter's production) come from ``django.utils.timezone.now``
through Django's own fields. Replaying six months in a few seconds would stamp them all with the
real moment, and a timeline would show a dispute opened before the claim was handed over. While
the demo replays a day, ``timezone.now`` (and every field default that is that function)
answers a moment of that day instead: it starts at nine
in the morning, Brussels time, and moves on a second at each reading, so that the order of what
happened is kept. Only the demo command does this, and the real clock is back when it ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone

__all__ = ["SimulatedClock", "simulated_time"]

BRUSSELS = ZoneInfo("Europe/Brussels")


class SimulatedClock:
    """A clock that the simulation sets to a day; each reading is a second later."""

    def __init__(self) -> None:
        self._next: datetime | None = None

    def set_day(self, day: date, *, hour: int = 9) -> None:
        self._next = datetime.combine(day, time(hour), tzinfo=BRUSSELS)

    def now(self) -> datetime:
        if self._next is None:
            raise RuntimeError("The simulated clock has no day yet.")
        moment = self._next
        self._next = moment + timedelta(seconds=1)
        return moment.astimezone(ZoneInfo("UTC"))


@contextmanager
def simulated_time() -> Iterator[SimulatedClock]:
    """``timezone.now`` reads ``clock`` inside the block, the real clock again after it."""
    clock = SimulatedClock()
    real: Callable[[], datetime] = timezone.now
    # A field whose default is ``timezone.now`` holds the function itself, read when the
    # model was defined: it is pointed at the clock too (a file's ``state_since``).
    defaults = [
        field
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.default is real
    ]
    timezone.now = clock.now
    for field in defaults:
        _point_default(field, clock.now)
    try:
        yield clock
    finally:
        timezone.now = real
        for field in defaults:
            _point_default(field, real)


def _point_default(field: Any, default: Callable[[], datetime]) -> None:
    """Point the field's default at ``default``. Django caches the default's callable on the
    field at its first use (``Field._get_default``): the cache is dropped too, or a second demo
    in the same process would stamp new rows with the first one's clock."""
    field.default = default
    field.__dict__.pop("_get_default", None)
