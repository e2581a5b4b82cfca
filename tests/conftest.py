"""Shared test configuration: fast password hashing, an isolated media folder, and Chromium."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.conf import LazySettings

# The back office's cast, for the tests of every app whose writes agents make.
from tests.staff import agent, compliance, staff_client, staff_day, supervisor  # noqa: F401

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Debian's Chromium, without what would reach the network or the GPU.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True, scope="session")
def _flush_opens_the_books() -> Iterator[None]:
    """Let the flush between transactional tests empty the books on SQLite.

    SQLite has no TRUNCATE: ``flush`` deletes row by row, which the books' triggers refuse
    (docs/architecture.md, invariant 9) unless the connection opened them; PostgreSQL's flush
    truncates and fires no row trigger. Only this flush opens them: the tests' own statements
    meet the triggers as production does.
    """
    # The backend's module first: importing its operations alone is a circular import.
    import django.db.backends.sqlite3.base  # noqa: F401
    from django.db.backends.base.operations import BaseDatabaseOperations
    from django.db.backends.sqlite3.operations import DatabaseOperations

    from amicable.files.append_only import opened_books

    plain = DatabaseOperations.execute_sql_flush

    def flush(self: BaseDatabaseOperations, sql_list: Iterable[str]) -> None:
        with opened_books(self.connection):
            plain(self, sql_list)

    DatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.execute_sql_flush = plain  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium through Playwright, for the tests marked ``browser`` (one per test module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
