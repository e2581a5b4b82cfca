"""Shared test configuration: fast password hashing and an isolated media folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import LazySettings

# The back office's cast, for the tests of every app whose writes agents make.
from tests.staff import agent, compliance, staff_client, staff_day, supervisor  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings: LazySettings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
