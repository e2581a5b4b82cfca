"""What sealing one row of the books costs: ``files.chain.chain_row`` on 50,000 rows in memory.

    .venv/bin/python bench/seal.py [--rows 50000]

Chains an event of the daily run (interest booked, its data a list of one claim) and a ledger
entry (a month of interest) after one another, as the writers do before their insert, and
prints the CPU microseconds a row for each (no database: the content, its JSON, its hashes and
an event's seal and personal digest). The daily run's check recomputes the same hashes.
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    rows = parser.parse_args().rows
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django

    django.setup()
    from amicable.files import chain
    from amicable.files.models import Event, LedgerEntry

    now = datetime(2025, 6, 30, 3, 0, 1, 123456, tzinfo=UTC)

    def event() -> dict[str, Any]:
        claim = {"claim": "INV-1", "amount": "12.34", "from": "2025-06-01", "to": "2025-06-30"}
        return {
            "file_id": 123,
            "kind": "interest_booked",
            "actor": "daily-run",
            "message": "",
            "at": now,
            "data": {"claims": [claim]},
        }

    def entry() -> dict[str, Any]:
        return {
            "file_id": 123,
            "claim_id": 456,
            "kind": "charge",
            "component": "interest",
            "amount": Decimal("12.34"),
            "value_date": date(2025, 6, 30),
            "booked_at": now,
            "source": "system",
            "source_reference": "",
            "actor": "daily-run",
            "note": "interest 2025-06-01 to 2025-06-30, at the civil legal rate",
            "period_start": date(2025, 6, 1),
            "period_end": date(2025, 6, 30),
            "reverses_id": None,
        }

    print("| date | row | rows | CPU µs a row |\n|---|---|---:|---:|")
    for name, model, make in (("event", Event, event), ("ledger entry", LedgerEntry, entry)):
        values = [make() for _ in range(rows)]
        started = time.process_time()
        previous = ""
        for row in values:
            previous = chain.chain_row(model, row, previous)
        micros = (time.process_time() - started) / rows * 1e6
        print(f"| {date.today().isoformat()} | {name} | {rows:,} | {micros:.1f} |")


if __name__ == "__main__":
    main()
