"""The lock-out holds against parallel guesses on SQLite too (a file database, as deployed).

On SQLite every write transaction begins with ``BEGIN IMMEDIATE`` (settings), so counting and
deciding an attempt is one exclusive step. The suite's in-memory test database cannot host
parallel writers, so the race runs in a subprocess on a fresh SQLite file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from amicable.portal.authentication import MAX_FAILURES

ROOT = Path(__file__).resolve().parents[2]


def test_forty_parallel_wrong_codes_get_five_checks_on_a_sqlite_file(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'race.sqlite3'}",
        "AMICABLE_VAR_DIR": str(tmp_path),
        "AMICABLE_MEDIA_ROOT": str(tmp_path / "media"),
        "DEBUG": "true",
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.security.sqlite_race"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    summary = json.loads(run.stdout.strip().splitlines()[-1])
    assert summary["checks"] == MAX_FAILURES
    assert summary["outcomes"] == {"refused": MAX_FAILURES, "locked": 40 - MAX_FAILURES}
