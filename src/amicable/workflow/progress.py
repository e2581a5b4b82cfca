"""Progress of a long run on a terminal: files done out of the total, the rate, the time left."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

__all__ = ["Progress", "Stream", "format_duration"]


class Stream(Protocol):
    """Where progress lines go: a text file, or a management command's ``self.stderr``."""

    def write(self, text: str, /) -> object: ...

    def flush(self) -> object: ...


def format_duration(seconds: float) -> str:
    """A short duration for a progress line.

    >>> format_duration(5.2), format_duration(247), format_duration(4000)
    ('5s', '4m07s', '1h06m40s')
    """
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{secs:02d}s"
    if minutes:
        return f"{minutes}m{secs:02d}s"
    return f"{secs}s"


class Progress:
    """Writes ``label: done/total files (pct %), rate files/s, ETA ...`` lines to ``stream``.

    A line at most every ``every_seconds`` (a million files make a thousand batches), plus the
    first batch and the last line, so a short run still shows where it got.
    """

    def __init__(
        self,
        *,
        total: int,
        label: str,
        stream: Stream,
        every_seconds: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.label = label
        self.stream = stream
        self.every_seconds = every_seconds
        self.clock = clock
        self.started = clock()
        self.last_line_at: float | None = None
        self.done = 0

    def advance(self, files: int) -> None:
        self.done += files
        now = self.clock()
        if self.last_line_at is None or now - self.last_line_at >= self.every_seconds:
            self._write(now)

    def finish(self) -> None:
        self._write(self.clock(), final=True)

    def line(self, now: float, *, final: bool = False) -> str:
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        percent = 100.0 * self.done / self.total if self.total else 100.0
        text = f"{self.label}: {self.done}/{self.total} files ({percent:.1f} %), {rate:.0f} files/s"
        if final:
            return f"{text}, done in {format_duration(elapsed)}"
        left = max(self.total - self.done, 0)
        eta = format_duration(left / rate) if rate > 0 else "?"
        return f"{text}, ETA {eta}"

    def _write(self, now: float, *, final: bool = False) -> None:
        self.stream.write(self.line(now, final=final) + "\n")
        self.stream.flush()
        self.last_line_at = now
