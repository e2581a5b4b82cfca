"""Two processes importing at the same moment book every movement once
(docs/architecture.md, invariant 3).

Each process is a real ``amicable statements import`` run against the test database, so the
race is between two PostgreSQL connections holding their own transactions. SQLite serializes
writers (and the test database lives in one process's memory), so there is nothing to race.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection

from amicable.domain.lifecycle import FileState
from amicable.files.models import File, LedgerEntry
from amicable.files.services import FileInput, create_files
from amicable.payments.models import BankMovementRecord, MovementStatus, StatementImport
from tests.factories import claim_input, debtor_input, make_creditor
from tests.payments.helpers import BOOKED, credit
from tests.statements.builders import (
    OUR_ACCOUNT,
    CodaStatement,
    Movement,
    camt_document,
    camt_statement,
    coda_file,
)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serializes writers; the race needs two PostgreSQL connections",
    ),
]

FILES = 60


def _database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings["USER"] or "")
    password = f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{user}{password}@{settings['HOST'] or 'localhost'}{port}/{settings['NAME']}"


def _import_at_once(*paths: Path) -> list[str]:
    """Start one ``amicable statements import`` per path together; their outputs, in order."""
    return _finish(_start_imports(*paths))


def _start_imports(*paths: Path) -> list[subprocess.Popen[str]]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "amicable.config.settings",
    }
    return [
        subprocess.Popen(
            [sys.executable, "-m", "amicable", "statements", "import", str(path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]


def _finish(processes: list[subprocess.Popen[str]]) -> list[str]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert (process.returncode, err) == (0, ""), err
        outputs.append(out)
    return outputs


def _files() -> list[File]:
    created = create_files(
        creditor=make_creditor(),
        inputs=[
            FileInput(
                creditor_reference=f"RACE-{n}",
                debtor=debtor_input(),
                claims=(
                    claim_input(
                        principal=Decimal("100.00"),
                        interest_clause=False,
                        interest_rate=None,
                        indemnity_percent=None,
                        indemnity_minimum=None,
                    ),
                ),
            )
            for n in range(FILES)
        ],
        actor="test",
        today=BOOKED,
    )
    return [c.file for c in created]


def _statement(movements: list[Movement], *, duplicate: bool = False) -> bytes:
    return coda_file(
        CodaStatement(
            account=OUR_ACCOUNT,
            opening=Decimal("0.00"),
            opened_on=BOOKED,
            closed_on=BOOKED,
            movements=movements,
            duplicate=duplicate,
        )
    )


def _statement_and_duplicate(tmp_path: Path, files: list[File]) -> tuple[Path, Path]:
    """A statement paying each file, then the bank's duplicate of it: different documents,
    the same movements."""
    payments = [
        credit("100.00", ogm=f.structured_communication, bank_reference=f"B-{n}")
        for n, f in enumerate(files)
    ]
    first, second = tmp_path / "statement.cod", tmp_path / "duplicate.cod"
    first.write_bytes(_statement(payments))
    second.write_bytes(_statement(payments, duplicate=True))
    return first, second


def test_the_same_file_imported_twice_at_once_is_booked_once(tmp_path: Path) -> None:
    files = _files()
    data = _statement(
        [
            credit("100.00", ogm=f.structured_communication, bank_reference=f"B-{n}")
            for n, f in enumerate(files)
        ]
    )
    first, second = tmp_path / "a.cod", tmp_path / "b.cod"
    first.write_bytes(data)
    second.write_bytes(data)

    outputs = _import_at_once(first, second)

    assert sorted(out.endswith("nothing booked.\n") for out in outputs) == [False, True]
    assert StatementImport.objects.count() == 1
    assert BankMovementRecord.objects.filter(status=MovementStatus.MATCHED).count() == FILES
    assert LedgerEntry.objects.filter(kind="payment").count() == FILES
    assert File.objects.filter(state=FileState.PAID).count() == FILES


def test_overlapping_statements_imported_at_once_book_each_movement_once(
    tmp_path: Path,
) -> None:
    files = _files()
    first, second = _statement_and_duplicate(tmp_path, files)

    _import_at_once(first, second)

    assert StatementImport.objects.count() == 2
    assert BankMovementRecord.objects.count() == FILES
    assert LedgerEntry.objects.filter(kind="payment").count() == FILES
    assert File.objects.filter(state=FileState.PAID).count() == FILES


@pytest.mark.parametrize("format", ["coda", "camt053"])
def test_overlapping_statements_waiting_on_busy_files_book_each_movement_once(
    tmp_path: Path, format: str
) -> None:
    """The two imports are held together: a third transaction keeps the files locked until
    both are waiting, so that they would post to them at the same moment. The second books
    nothing: it waits for the first and then finds every movement known. In camt.053 a
    movement the bank gave a reference is the same movement in another statement (a corrected
    one, under another id), so nothing but the imports' turns keeps them apart."""
    files = _files()
    if format == "coda":
        first, second = _statement_and_duplicate(tmp_path, files)
    else:
        first, second = _camt_statement_and_correction(tmp_path, files)

    with psycopg.connect(_database_url()) as holder:
        holder.execute(
            "SELECT id FROM files_file WHERE id = ANY(%s) FOR UPDATE", [[f.pk for f in files]]
        )
        started = _start_imports(first, second)
        deadline = time.monotonic() + 120
        while _waiting(holder) < 2:
            assert time.monotonic() < deadline, "the two imports never both waited"
            time.sleep(0.1)
        holder.rollback()
    outputs = _finish(started)

    assert sorted(", 0 new, " in out for out in outputs) == [False, True]
    assert BankMovementRecord.objects.count() == FILES
    assert LedgerEntry.objects.filter(kind="payment").count() == FILES
    assert File.objects.filter(state=FileState.PAID).count() == FILES


def _camt_statement_and_correction(tmp_path: Path, files: list[File]) -> tuple[Path, Path]:
    """A camt.053 statement paying each file, then the same entries under another statement
    id: the same movements (each has the bank's reference)."""
    entries = "".join(
        f'<Ntry><NtryRef>{n}</NtryRef><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd>'
        "<Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2025-05-09</Dt></BookgDt>"
        f"<ValDt><Dt>2025-05-09</Dt></ValDt><AcctSvcrRef>CAMT-RACE-{n}</AcctSvcrRef>"
        "<NtryDtls><TxDtls><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd>"
        f"</CdOrPrtry><Issr>BBA</Issr></Tp><Ref>{f.structured_communication}</Ref>"
        "</CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>\n"
        for n, f in enumerate(files)
    )
    paths = []
    for identifier in ("RACE-1", "RACE-1-CORRECTED"):
        path = tmp_path / f"{identifier}.xml"
        path.write_bytes(
            camt_document(
                camt_statement(
                    identifier=identifier,
                    account=OUR_ACCOUNT,
                    opening="0.00",
                    closing=f"{100 * len(files)}.00",
                    entries=entries,
                    opened_on="2025-05-09",
                    closed_on="2025-05-09",
                )
            )
        )
        paths.append(path)
    return paths[0], paths[1]


def _waiting(holder: psycopg.Connection[tuple[object, ...]]) -> int:
    """How many other connections of the test database wait for a lock."""
    with psycopg.connect(_database_url(), autocommit=True) as probe:
        row = probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> %s",
            [holder.info.backend_pid],
        ).fetchone()
    assert row is not None
    return int(row[0])
