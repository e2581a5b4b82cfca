"""Run amicable in a subprocess with production settings (DEBUG off), as deployed."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

#: Variables of the test run that would change what production settings mean.
CLEARED = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TRUSTED_PROXY_COUNT",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "DJANGO_SETTINGS_MODULE",
    # Set by the browser tests for Playwright's event loop; never in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "portal.example.be",
            "DATABASE_URL": f"sqlite:///{var_dir / 'amicable.sqlite3'}",
            "AMICABLE_VAR_DIR": str(var_dir),
        }
    )
    env.update(overrides)
    return env


def run(
    args: list[str], var_dir: Path, *, stdin: str = "", **overrides: str
) -> subprocess.CompletedProcess[str]:
    """``python ARGS`` with production settings; never raises on a non-zero exit."""
    return subprocess.run(
        [sys.executable, *args],
        env=production_env(var_dir, **overrides),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
