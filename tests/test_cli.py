"""`amicable --help` lists amicable's own commands, each with its one-line help."""

from __future__ import annotations

import subprocess
import sys

from amicable.cli import OWN_COMMANDS


def test_help_lists_every_own_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "amicable", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("  ")]
    assert listed[: len(OWN_COMMANDS)] == list(OWN_COMMANDS)
    assert "Django's own commands work too" in result.stdout
