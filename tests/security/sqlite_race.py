"""Forty parallel wrong codes on one file, on a SQLite file database as in production.

Run by tests/security/test_sign_in_race_sqlite.py in a subprocess whose DATABASE_URL names a
fresh SQLite file: the test database of the suite is an in-memory one whose connections share
a cache with table locks, where parallel writers cannot run at all. Prints a JSON summary.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from datetime import UTC, datetime


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from amicable.files.services import issue_access_code
    from amicable.portal import authentication as services
    from tests.factories import make_creditor, make_file
    from tests.security.racing import PARALLEL, CountingSpy, race

    call_command("migrate", verbosity=0)
    file = make_file(creditor=make_creditor())
    issue_access_code(file=file, actor="test")
    checks = CountingSpy(services.access_code_matches)
    services.access_code_matches = checks
    now = datetime(2025, 5, 6, 9, 15, tzinfo=UTC)
    results = race(
        lambda n: services.sign_in(
            reference=file.reference, code=f"WRNG-{n:04d}", client_ip=f"198.51.100.{n}", now=now
        )
    )
    outcomes = Counter(str(result.outcome) for result in results)
    print(json.dumps({"parallel": PARALLEL, "checks": checks.calls, "outcomes": outcomes}))


if __name__ == "__main__":
    main()
