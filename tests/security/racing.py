"""Helpers to race one call from many threads, each on its own database connection."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import connections

PARALLEL = 40
Result = TypeVar("Result")


def race(attempt: Callable[[int], Result], *, parallel: int = PARALLEL) -> list[Result]:
    """``attempt(0)`` to ``attempt(parallel - 1)`` released at once, one thread each."""
    start = threading.Barrier(parallel)
    results: list[Result] = []
    errors: list[BaseException] = []

    def run(number: int) -> None:
        try:
            start.wait()
            results.append(attempt(number))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(number,)) for number in range(parallel)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise AssertionError(f"{len(errors)} attempts failed, the first: {errors[0]!r}")
    return results


class CountingSpy:
    """Calls the real function and counts the calls, from any thread."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with self._lock:
            self.calls += 1
        return self.function(*args, **kwargs)
