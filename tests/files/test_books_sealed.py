"""The books cannot be rewritten (docs/architecture.md, invariant 9; docs/legal.md, section 6:
the ledger is the account the debtor is owed an explanation of, and section 7: retention
pseudonymises, never deletes).

The database refuses any UPDATE or DELETE of a ledger entry or an allocation, and of an event
anything but the retention task's pseudonymisation, whatever sends it (raw SQL here, on SQLite
and PostgreSQL alike). Each file's history is a hash chain: a row slipped in past the writer,
or changed with the triggers dropped, is reported by ``amicable verify-books`` (exit status 1)
and by the daily run. The batch path and the one-file path chain the same hashes.
"""

from __future__ import annotations

import io
import json
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st

from amicable import cli
from amicable.domain.lifecycle import FileState
from amicable.files import chain, ledger
from amicable.files.append_only import TRIGGERS, missing_triggers
from amicable.files.chain import verify
from amicable.files.models import (
    Allocation,
    Component,
    EntryKind,
    EntrySource,
    Event,
    File,
    LedgerEntry,
)
from amicable.files.services import FileInput, create_files
from amicable.files.timeline import (
    EventKind,
    EventRow,
    pseudonymise_events,
    record_event,
    record_events,
)
from amicable.workflow.services import run_daily
from tests.factories import claim_input, debtor_input, make_creditor, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def books() -> File:
    """A file with a ledger (principal, a payment), allocations and events."""
    file = make_file()
    ledger.post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="SEAL-1",
    )
    record_event(
        file, EventKind.PORTAL_SIGN_IN, actor="portal", message="", data={"ip": "192.0.2.7"}
    )
    assert Allocation.objects.filter(file=file).exists()
    return file


def _execute(sql: str, params: list[Any] | None = None) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _drop_trigger(name: str, table: str) -> None:
    """Drop a trigger inside the test's transaction (rolled back with it, on both vendors)."""
    on = f" ON {table}" if connection.vendor == "postgresql" else ""
    _execute(f"DROP TRIGGER {name}{on}")


REFUSED = [
    ("files_ledgerentry", "UPDATE files_ledgerentry SET amount = amount + 1"),
    ("files_ledgerentry", "UPDATE files_ledgerentry SET note = 'rewritten'"),
    ("files_ledgerentry", "DELETE FROM files_ledgerentry"),
    ("files_ledgerentry", "DELETE FROM files_ledgerentry WHERE kind = 'payment'"),
    ("files_allocation", "UPDATE files_allocation SET amount = 0"),
    ("files_allocation", "DELETE FROM files_allocation"),
    ("files_event", "DELETE FROM files_event"),
    ("files_event", "UPDATE files_event SET kind = 'note_added'"),
    ("files_event", "UPDATE files_event SET message = 'rewritten'"),
    ("files_event", "UPDATE files_event SET actor = 'someone else'"),
    ("files_event", "UPDATE files_event SET chain_hash = ''"),
    ("files_event", "UPDATE files_event SET file_id = NULL"),
]


@pytest.mark.parametrize(("table", "sql"), REFUSED)
def test_raw_sql_cannot_rewrite_the_books(books: File, table: str, sql: str) -> None:
    """No UPDATE or DELETE of a money row, ever; no event changed but by pseudonymisation."""
    before = _snapshot(table)
    with pytest.raises(IntegrityError, match="append-only"):
        _execute(sql)
    assert _snapshot(table) == before


def _snapshot(table: str) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY id")
        return list(cursor.fetchall())


def test_only_the_retention_pseudonymisation_changes_an_event(books: File) -> None:
    """docs/legal.md, section 7: the personal fields go, the event and its chain stay."""
    sign_in = Event.objects.get(file=books, kind=EventKind.PORTAL_SIGN_IN)
    assert pseudonymise_events(list(Event.objects.filter(file=books).values_list("pk", flat=True)))
    sign_in.refresh_from_db()
    assert sign_in.data == {}
    assert sign_in.seal == ""
    assert verify([books.pk]) == []
    if connection.vendor == "postgresql":
        # Data may only lose keys: adding one is refused there.
        with pytest.raises(IntegrityError, match="personal data"):
            _execute(
                'UPDATE files_event SET data = \'{"ip": "198.51.100.1"}\' WHERE id = %s',
                [sign_in.pk],
            )


def test_the_books_are_sealed_on_every_path(books: File) -> None:
    """The writers chain every row: the file's books verify."""
    assert verify([books.pk]) == []
    assert not LedgerEntry.objects.filter(chain_hash="").exists()
    assert not Allocation.objects.filter(chain_hash="").exists()
    assert not Event.objects.filter(chain_hash="").exists()
    assert missing_triggers(connection) == []
    assert len(TRIGGERS) == 6


def test_each_event_of_a_batch_has_a_seal_of_its_own(books: File) -> None:
    """A batch's seals are drawn together, each event still gets its own 128 random bits:
    its personal digest is made with that seal, and the books verify."""
    record_events(
        [EventRow(books.pk, EventKind.NOTE_ADDED, "agent", f"note {n}", {}) for n in range(50)]
    )
    seals = list(
        Event.objects.filter(file=books, kind=EventKind.NOTE_ADDED).values_list("seal", flat=True)
    )
    assert len(seals) == 50
    assert len(set(seals)) == 50
    assert all(len(value) == 32 and int(value, 16) >= 0 for value in seals)
    assert verify([books.pk]) == []


def test_a_hand_over_seals_its_new_files_from_an_empty_chain() -> None:
    """The hand-over's first rows start each new file's chains from "" (no lock, no read:
    nobody else sees those files yet); the next writer chains on them, and the books verify."""
    creditor = make_creditor()
    inputs = [
        FileInput(
            creditor_reference=f"SEALED-{n}",
            debtor=debtor_input(customer_reference="SAME-DEBTOR"),
            claims=(
                claim_input(),
                # Not declared reciprocal: one more event at hand-over.
                claim_input(indemnity_reciprocity="not_declared"),
            ),
        )
        for n in range(3)
    ]
    created = create_files(creditor=creditor, inputs=inputs, actor="test", today=date(2025, 4, 1))
    files = [c.file for c in created]
    assert len({f.debtor_id for f in files}) == 1
    for file in files:
        assert Event.objects.filter(file=file).count() == 2
        assert LedgerEntry.objects.filter(file=file).count() == 2
    ledger.post_payment(
        file=files[1],
        amount=Decimal("30.00"),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="AFTER-HAND-OVER",
    )
    assert verify([f.pk for f in files]) == []
    assert LedgerEntry.objects.filter(file=files[1], kind="payment").count() == 1


def _verify_books(*args: str) -> tuple[int, str]:
    """``amicable verify-books`` as run from a shell: its exit status and its output."""
    out = io.StringIO()
    try:
        call_command("verify_books", *args, stdout=out)
    except CommandError:
        status = 1
    else:
        status = 0
    return status, out.getvalue()


def test_a_forged_entry_slipped_past_the_writer_is_reported(books: File) -> None:
    claim = books.claims.get()
    _execute(
        "INSERT INTO files_ledgerentry (file_id, claim_id, kind, component, amount, value_date,"
        " booked_at, source, source_reference, actor, note, chain_hash)"
        " VALUES (%s, %s, 'charge', 'indemnity', 500, %s, %s, 'agent', '', 'forger', '', %s)",
        [books.pk, claim.pk, date(2025, 5, 1), datetime(2025, 5, 1, tzinfo=UTC), "f" * 64],
    )
    forged = LedgerEntry.objects.filter(file=books).latest("pk")
    status, output = _verify_books("--file", books.reference)
    assert status == 1
    assert f"{books.reference} ledger row {forged.pk}" in output
    # Another file's books are not affected.
    other = make_file()
    assert _verify_books("--file", other.reference) == (
        0,
        "The books of 1 file(s) verify: no broken row.\n",
    )


@pytest.mark.parametrize(
    ("table", "trigger", "sql"),
    [
        (
            "files_ledgerentry",
            "files_ledgerentry_no_update",
            "UPDATE files_ledgerentry SET amount = 1 WHERE id = %s",
        ),
        (
            "files_allocation",
            "files_allocation_no_update",
            "UPDATE files_allocation SET amount = amount + 1 WHERE id = %s",
        ),
        (
            "files_event",
            "files_event_pseudonymise_only",
            "UPDATE files_event SET message = 'rewritten' WHERE id = %s",
        ),
        (
            "files_event",
            "files_event_pseudonymise_only",
            "UPDATE files_event SET data = '{}' WHERE id = %s",
        ),
        (
            "files_ledgerentry",
            "files_ledgerentry_no_delete",
            "DELETE FROM files_ledgerentry WHERE id = %s",
        ),
        ("files_event", "files_event_no_delete", "DELETE FROM files_event WHERE id = %s"),
    ],
)
def test_a_row_rewritten_with_the_triggers_dropped_is_reported(
    books: File, table: str, trigger: str, sql: str
) -> None:
    """Whoever drops the triggers still cannot rewrite the history unseen."""
    model = {"files_ledgerentry": LedgerEntry, "files_allocation": Allocation}.get(table, Event)
    # The first row of the file's chain: a deletion shows on the row after it.
    target = model._default_manager.filter(file=books).order_by("pk").first()
    assert target is not None
    _drop_trigger(trigger, table)
    _execute(sql, [target.pk])
    breaks = verify([books.pk])
    assert breaks
    assert {b.file_id for b in breaks} == {books.pk}
    status, output = _verify_books()
    assert status == 1
    assert f"trigger {trigger} is missing" in output


def test_the_command_fails_with_exit_status_1(books: File) -> None:
    _drop_trigger("files_ledgerentry_no_update", "files_ledgerentry")
    _execute("UPDATE files_ledgerentry SET note = 'x' WHERE file_id = %s", [books.pk])
    with pytest.raises(SystemExit) as exited:
        cli.main(["verify-books", "--file", books.reference])
    assert exited.value.code == 1


def test_the_daily_run_reports_a_broken_file_loudly(books: File) -> None:
    _drop_trigger("files_ledgerentry_no_update", "files_ledgerentry")
    _execute("UPDATE files_ledgerentry SET note = 'x' WHERE file_id = %s", [books.pk])
    result = run_daily(run_date=date(2025, 4, 14), progress_stream=io.StringIO())
    assert result.counts["broken_books"] == 1
    assert {b.file_id for b in result.breaks} == {books.pk}
    assert result.missing_triggers == ["files_ledgerentry_no_update"]
    err = io.StringIO()
    with pytest.raises(CommandError, match="broken"):
        call_command("run_daily", "--date", "2025-04-15", stdout=io.StringIO(), stderr=err)
    assert f"BROKEN BOOKS: {books.reference} ledger row" in err.getvalue()


def test_the_daily_run_reports_a_row_written_since_on_a_file_it_does_not_visit(
    books: File,
) -> None:
    """The run checks every row written since the last run that found the books whole, not
    only the rows of the files it visits: a closed file's row changed since is reported."""
    assert run_daily(run_date=date(2025, 4, 14), progress_stream=io.StringIO()).breaks == []
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called")
    File.objects.filter(pk=books.pk).update(state=FileState.CLOSED)
    note = Event.objects.filter(file=books).latest("pk")
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET actor = 'agent:eve' WHERE id = %s", [note.pk])
    result = run_daily(run_date=date(2025, 4, 15), progress_stream=io.StringIO())
    assert result.files_total == 0
    assert [(b.table, b.file_id, b.row_id) for b in result.breaks] == [
        ("events", books.pk, note.pk)
    ]
    assert result.counts["broken_books"] == 1


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_run_restricted_to_some_files_checks_their_rows_and_is_no_starting_point(
    books: File, dry_run: bool
) -> None:
    """An agent running one file's steps now checks that file's rows (a dry run too), not
    another's; and the next full run checks every row since the last full run, the other
    file's included, as if the restricted run had not happened."""
    assert run_daily(run_date=date(2025, 4, 14), progress_stream=io.StringIO()).breaks == []
    other = make_file()
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called")
    record_event(other, EventKind.NOTE_ADDED, actor="agent", message="Wrote")
    mine, theirs = (Event.objects.filter(file=f).latest("pk") for f in (books, other))
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    for event in (mine, theirs):
        _execute("UPDATE files_event SET actor = 'agent:eve' WHERE id = %s", [event.pk])
    restricted = run_daily(
        run_date=date(2025, 4, 15), progress_stream=io.StringIO(), only=[books.pk], dry_run=dry_run
    )
    assert [(b.file_id, b.row_id) for b in restricted.breaks] == [(books.pk, mine.pk)]
    assert restricted.counts["broken_books"] == 1
    full = run_daily(run_date=date(2025, 4, 15), progress_stream=io.StringIO())
    assert sorted((b.file_id, b.row_id) for b in full.breaks) == sorted(
        [(books.pk, mine.pk), (other.pk, theirs.pk)]
    )


def test_the_check_of_a_window_reads_rows_not_ids(
    books: File, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A gap in a table's ids (a sequence moved on by a million) costs the check no statement:
    it reads ranges of rows, two at a time here, and still finds a changed row after the gap."""
    monkeypatch.setattr(chain, "_WINDOW", 2)
    since = chain.last_ids()
    for i in range(3):
        record_event(books, EventKind.NOTE_ADDED, actor="agent", message=f"m{i}")
    _execute(
        "INSERT INTO files_event (id, file_id, kind, at, actor, message, data, chain_hash, seal,"
        " personal_digest) VALUES (%s, %s, 'note_added', %s, 'x', '', '{}', '', '', '')",
        [since["events"] + 1_000_000, books.pk, datetime.now(tz=UTC)],
    )
    now = chain.last_ids()
    with CaptureQueriesContext(connection) as queries:
        breaks = verify(after=since, through=now)
    assert [(b.table, b.row_id) for b in breaks] == [("events", since["events"] + 1_000_000)]
    assert len(queries.captured_queries) < 40


def test_each_daily_run_verifies_what_was_written_since_the_last_one(books: File) -> None:
    """The run reads the day's rows, not every file's history: the rows since the last
    finished run started, each file's first one against the row before it."""
    first = run_daily(run_date=date(2025, 4, 14), progress_stream=io.StringIO())
    assert first.breaks == []
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called, will pay Friday")
    note = Event.objects.filter(file=books).latest("pk")
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET message = 'Refused to pay' WHERE id = %s", [note.pk])
    second = run_daily(run_date=date(2025, 4, 15), progress_stream=io.StringIO())
    assert [(b.table, b.file_id, b.row_id) for b in second.breaks] == [
        ("events", books.pk, note.pk)
    ]
    assert "personal fields" in second.breaks[0].reason


@pytest.mark.parametrize(
    ("model", "table", "trigger", "sql"),
    [
        (
            LedgerEntry,
            "ledger",
            "files_ledgerentry_no_update",
            "UPDATE files_ledgerentry SET amount = amount + 1 WHERE id = %s",
        ),
        (
            Allocation,
            "allocations",
            "files_allocation_no_update",
            "UPDATE files_allocation SET amount = amount + 1 WHERE id = %s",
        ),
        (
            Event,
            "events",
            "files_event_pseudonymise_only",
            "UPDATE files_event SET kind = 'note_added' WHERE id = %s",
        ),
    ],
)
def test_the_daily_check_reports_a_row_changed_since_the_last_run(
    books: File, model: type[LedgerEntry | Allocation | Event], table: str, trigger: str, sql: str
) -> None:
    """The rows written since the last run are read the way the check reads a day (on
    PostgreSQL with their values printed by the database): a changed amount or kind is
    reported, on that row alone."""
    first = run_daily(run_date=date(2025, 4, 14), progress_stream=io.StringIO())
    assert first.breaks == []
    ledger.post_payment(
        file=books,
        amount=Decimal("5.00"),
        value_date=date(2025, 4, 14),
        actor="bank",
        source="statement",
        source_reference="SEAL-2",
    )
    target = model._default_manager.filter(file=books).latest("pk")
    whole = run_daily(run_date=date(2025, 4, 15), progress_stream=io.StringIO(), dry_run=True)
    assert whole.breaks == []
    _drop_trigger(trigger, f"files_{model.__name__.lower()}")
    _execute(sql, [target.pk])
    second = run_daily(run_date=date(2025, 4, 15), progress_stream=io.StringIO())
    assert [(b.table, b.file_id, b.row_id) for b in second.breaks] == [(table, books.pk, target.pk)]


def test_the_check_reads_no_table_that_nothing_was_written_to(books: File) -> None:
    """A table with no row since the last run costs the check no query: a quiet day's
    allocations (no payment) are not looked for file by file."""
    since = chain.last_ids()
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called")
    now = chain.last_ids()
    with CaptureQueriesContext(connection) as queries:
        breaks = verify([books.pk], after=since, through=now)
    assert breaks == []
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "files_event" in read
    assert "files_allocation" not in read
    assert "files_ledgerentry" not in read


def test_each_chained_table_has_one_index_on_the_file() -> None:
    """The (file, id) index that orders each file's chain is the one index leading with the
    file: every read of a file's history goes through it, and a second one would only cost
    every insert (docs/decisions.md, 46)."""
    for model in chain.CHAINED:
        table = model._meta.db_table
        with connection.cursor() as cursor:
            indexes = connection.introspection.get_constraints(cursor, table)
        on_file = sorted(
            columns
            for spec in indexes.values()
            if spec["index"] and (columns := spec["columns"]) and columns[0] == "file_id"
        )
        assert on_file == [["file_id", "id"]], table


def _file_with_work(n: int) -> File:
    return make_file(
        creditor=make_creditor(),
        claims=[
            claim_input(
                creditor_reference=f"SEAL-{n}",
                principal=Decimal("480.00"),
                due_date=date(2025, 1, 10),
                first_reminder_sent_on=date(2025, 2, 3),
            )
        ],
        today=date(2025, 2, 20),
    )


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(datetime(2025, 7, 31, 4, 0, tzinfo=UTC), tick=False):
        yield


def test_the_batch_path_and_the_single_path_chain_the_same_hashes(frozen: None) -> None:
    """One rule, one home: the daily run over every file (its batch path) and over one file,
    and a statement's payments posted together or one by one, write the same ledger rows, so
    the same hashes (at one frozen moment, on the same file)."""
    files = [_file_with_work(n) for n in range(3)]
    target = files[1]
    chains = []
    for single in (False, True):
        with transaction.atomic():
            for day in (date(2025, 3, 3), date(2025, 3, 31), date(2025, 4, 30)):
                run_daily(
                    run_date=day,
                    progress_stream=io.StringIO(),
                    only=[target.pk] if single else None,
                )
            if single:
                ledger.post_payment(
                    file=target,
                    amount=Decimal("100.00"),
                    value_date=date(2025, 5, 2),
                    actor="bank",
                    source="statement",
                    source_reference="SAME",
                )
            else:
                orders = [
                    ledger.PaymentOrder(f.pk, Decimal("100.00"), date(2025, 5, 2), "statement", r)
                    for f, r in zip(files, ("OTHER-0", "SAME", "OTHER-2"), strict=True)
                ]
                ledger.post_payments(orders, actor="bank")
            run_daily(
                run_date=date(2025, 5, 30),
                progress_stream=io.StringIO(),
                only=None if not single else [target.pk],
            )
            assert verify([f.pk for f in files]) == []
            chains.append(
                list(
                    LedgerEntry.objects.filter(file=target)
                    .order_by("pk")
                    .values_list("kind", "component", "amount", "chain_hash")
                )
            )
            transaction.set_rollback(True)
    batch, single_path = chains
    assert len(batch) > 3
    assert {kind for kind, *_ in batch} >= {"charge", "payment"}
    assert batch == single_path


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_books_written_before() -> None:
    """Rows written before the chains existed are chained by the migration: a migrated
    database verifies, and its triggers are in place."""
    file = make_file()
    ledger.post_payment(
        file=file,
        amount=Decimal("20.00"),
        value_date=date(2025, 4, 10),
        actor="bank",
        source="statement",
        source_reference="OLD-1",
    )
    record_event(None, EventKind.STAFF_SIGN_IN_FAILED, actor="typed", data={"client_ip": "x"})
    executor = MigrationExecutor(connection)
    executor.migrate([("files", "0013_work_item_kinds")])
    assert len(missing_triggers(connection)) == len(TRIGGERS)
    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert missing_triggers(connection) == []
    assert not Event.objects.filter(chain_hash="").exists()
    assert not LedgerEntry.objects.filter(chain_hash="").exists()
    assert verify() == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(_JSON, max_size=8))
def test_the_canonical_content_is_the_json_the_format_names(values: list[Any]) -> None:
    """The chain's canonical text (format v1) is exactly ``json.dumps`` with its options, so
    that every hash written before the faster encoder still verifies."""
    expected = json.dumps(
        [chain.VERSION, *values], ensure_ascii=False, separators=(",", ":"), sort_keys=True
    )
    assert chain._canonical(values) == expected


@settings(max_examples=300, deadline=None)
@given(
    value=st.none()
    | st.integers()
    | st.text(max_size=12)
    | st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
    | st.dates()
    | st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("Europe/Brussels")]))
    | st.sampled_from(list(EventKind))
)
def test_each_field_is_written_as_the_generic_rule_writes_it(value: Any) -> None:
    """The converters specialised by field type give what ``_plain`` gives, for any value
    (or refuse what it refuses: text that is no amount)."""

    def outcome(write: Callable[..., Any], *args: Any) -> tuple[str, Any]:
        try:
            return ("written", write(*args))
        except (ArithmeticError, ValueError) as error:
            return ("refused", type(error))

    for model, converters in chain._CONVERTERS.items():
        for name, convert in converters:
            expected = outcome(chain._plain, name, value)
            assert outcome(convert, value) == expected, (model, name, value)


class _Labelled(str, Enum):  # noqa: UP042 (its text is not its value)
    """A text enumeration whose members' text is not their value."""

    LABEL = "label"

    def __new__(cls, value: str) -> _Labelled:
        member = str.__new__(cls, value.upper())
        member._value_ = value
        return member


class _Plain(Enum):
    TEXT = "text"
    NUMBER = 7
    DAY = date(2025, 1, 2)


_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)
    | st.sampled_from([Decimal("NaN"), Decimal("Infinity"), Decimal("-0.00")])
    | st.dates()
    | st.datetimes(timezones=st.sampled_from([UTC, ZoneInfo("Europe/Brussels")]))
    | st.sampled_from([*EntryKind, *Component, *EntrySource, *EventKind, *_Labelled, *_Plain])
)
#: Any value a field may hold, a list or a dictionary of them included (changed outside the
#: writers, read back as such).
_ANY_VALUE = (
    _SCALAR
    | st.lists(_SCALAR, max_size=2)
    | st.dictionaries(st.text(max_size=3), _SCALAR, max_size=2)
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_rows_content_is_its_converted_values_as_the_format_writes_them(
    data: st.DataObject,
) -> None:
    """A ledger entry's or an allocation's content is the canonical text of its converted
    values (format v1), for any value a field may hold: every hash written before stays the
    same, and a row that cannot be written is refused alike."""

    def outcome(write: Callable[..., str], *args: Any) -> str | None:
        try:
            return write(*args)
        except (ArithmeticError, ValueError, TypeError):
            return None

    def as_before(converters: Any, row: dict[str, Any]) -> str:
        return chain._canonical([convert(row[name]) for name, convert in converters])

    for model, converters in chain._CONVERTERS.items():
        row = {name: data.draw(_ANY_VALUE, label=name) for name, _convert in converters}
        expected = outcome(as_before, converters, row)
        assert outcome(chain._content, model, row) == expected, (model, row)


_SQL_TYPES = {chain._amount: "numeric(14,2)", chain._day: "date", chain._moment: "timestamptz"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL writes these forms")
@settings(max_examples=200, deadline=None)
@given(
    amount=st.decimals(min_value=Decimal("-999999999999.99"), max_value=10**12 - 1, places=2)
    .filter(lambda value: value != 0)
    .map(lambda value: value.quantize(Decimal("0.01"))),
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    moment=st.datetimes(
        min_value=datetime(1900, 1, 2),
        max_value=datetime(2200, 12, 30),
        timezones=st.sampled_from([UTC, ZoneInfo("Europe/Brussels"), ZoneInfo("Asia/Kolkata")]),
    ),
)
def test_the_database_writes_each_value_as_its_converter_does(
    amount: Decimal, day: date, moment: datetime
) -> None:
    """The daily check reads amounts, days and moments as PostgreSQL prints them in the
    canonical form (``chain._SQL_FORMS``): the very text each converter writes, or every
    row would be reported broken."""
    assert set(chain._SQL_FORMS) == set(_SQL_TYPES)
    with connection.cursor() as cursor:
        for convert, value in ((chain._amount, amount), (chain._day, day), (chain._moment, moment)):
            expression = chain._SQL_FORMS[convert].format(f"(%s::{_SQL_TYPES[convert]})")
            cursor.execute(f"SELECT {expression}", [value])
            assert cursor.fetchone()[0] == convert(value), (convert, value)


_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
_JSONB = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40) | _TEXT,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(_TEXT.filter(lambda key: len(key) <= 8), children, max_size=5)
    ),
    max_leaves=14,
)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prints jsonb")
@settings(max_examples=300, deadline=None)
@given(value=_JSONB)
def test_an_events_data_is_hashed_as_postgresql_prints_it(value: Any) -> None:
    """An event's data enters its content (format v2) as PostgreSQL prints the stored
    ``jsonb``: keys shorter first, then byte by byte, the same separators and escapes. The
    database can then hash a day's events itself; were the two to differ, every event would
    be read back and hashed in Python (correct, only slower)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::jsonb::text", [json.dumps(value)])
        assert cursor.fetchone()[0] == chain._jsonb_text(value)


_AWKWARD = 'a "quote", a back\\slash,\na new line,\ta tab, \x01, é, ∑, 😀'


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL checks these itself")
def test_the_database_confirms_every_row_python_sealed(books: File) -> None:
    """On PostgreSQL the books' check is the database's: it writes each row's canonical
    content and hash as Python did (texts with quotes, escapes, other scripts; nested data),
    so that no whole row is read back. Only the events whose personal part the database does
    not know (here the portal sign-in's address) are left to Python."""
    ledger.post_payment(
        file=books,
        amount=Decimal("7.25"),
        value_date=date(2025, 4, 11),
        actor=_AWKWARD,
        source="statement",
        source_reference=_AWKWARD,
        note=_AWKWARD,
    )
    record_event(
        books,
        EventKind.NOTE_ADDED,
        actor=_AWKWARD,
        message=_AWKWARD,
        data={"bb": [1, {"é": _AWKWARD, "a": None, "zz": True}], "a": -12, _AWKWARD: {}},
    )
    sign_in = Event.objects.get(file=books, kind=EventKind.PORTAL_SIGN_IN)
    assert chain._doubtful(LedgerEntry, [books.pk], 0, None) == []
    assert chain._doubtful(Allocation, [books.pk], 0, None) == []
    assert [row[0] for row in chain._doubtful(Event, [books.pk], 0, None)] == [sign_in.pk]
    assert verify([books.pk]) == []


def test_an_event_sealed_before_format_v2_still_verifies(books: File) -> None:
    """Events sealed with their data in sorted compact JSON (format v1) verify as they did,
    by the database's check (which hands them to Python) and by the full check, and a change
    to one is still found."""
    record_event(
        books, EventKind.NOTE_ADDED, actor="agent", message="Called", data={"b": 1, "aa": [2]}
    )
    event = Event.objects.filter(file=books).latest("pk")
    row = Event.objects.filter(pk=event.pk).values().get()
    previous = Event.objects.filter(file=books, pk__lt=event.pk).latest("pk").chain_hash
    sealed_v1 = chain._link(previous, chain._event_content_v1(row, chain._parts(row)))
    assert '"v1"' in chain._event_content_v1(row, chain._parts(row))
    assert sealed_v1 != event.chain_hash
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET chain_hash = %s WHERE id = %s", [sealed_v1, event.pk])
    assert verify([books.pk]) == []
    assert verify() == []
    if connection.vendor == "postgresql":
        assert event.pk in [row[0] for row in chain._doubtful(Event, [books.pk], 0, None)]
    _execute("""UPDATE files_event SET data = '{"b": 2, "aa": [2]}' WHERE id = %s""", [event.pk])
    assert [(b.table, b.row_id) for b in verify([books.pk])] == [("events", event.pk)]


def test_the_full_check_reads_the_events_of_no_file_too(books: File) -> None:
    """``amicable verify-books`` without ``--file`` checks every file's chains (on PostgreSQL
    in the database) and the events that belong to no file (staff sign-ins), each a chain of
    its own: one changed is reported, with no file."""
    record_event(None, EventKind.STAFF_SIGNED_IN, actor="staff:ann", data={"client_ip": "x"})
    record_event(None, EventKind.STAFF_SIGNED_IN, actor="staff:bob", data={"method": "totp"})
    signed_in = Event.objects.filter(file__isnull=True).latest("pk")
    assert verify() == []
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET actor = 'staff:eve' WHERE id = %s", [signed_in.pk])
    assert [(b.table, b.file_id, b.row_id) for b in verify()] == [("events", None, signed_in.pk)]


_ON_POSTGRESQL = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a change only PostgreSQL's types can hold"
)


def _loosen(table: str, column: str) -> None:
    """Let ``column`` hold NULL (in the test's transaction): what whoever drops the triggers
    may do as well."""
    _execute("SET CONSTRAINTS ALL IMMEDIATE")  # no deferred check pending on the table
    _execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL")


@_ON_POSTGRESQL
@pytest.mark.parametrize(
    ("table", "trigger", "sql"),
    [
        (
            "files_ledgerentry",
            "files_ledgerentry_no_update",
            "UPDATE files_ledgerentry SET value_date = (value_date::text || ' BC')::date"
            " WHERE id = %s",
        ),
        (
            "files_ledgerentry",
            "files_ledgerentry_no_update",
            "UPDATE files_ledgerentry SET period_start = 'infinity' WHERE id = %s",
        ),
        (
            "files_event",
            "files_event_pseudonymise_only",
            "UPDATE files_event SET at = ((at AT TIME ZONE 'UTC')::text || ' BC')::timestamp"
            " AT TIME ZONE 'UTC' WHERE id = %s",
        ),
    ],
)
def test_a_value_python_cannot_read_is_reported(
    books: File, table: str, trigger: str, sql: str
) -> None:
    """A day moved before Christ prints as the same digits, and an infinite day prints as
    nothing: the database does not take either for the value sealed, and the row, which the
    driver cannot read, is reported as changed rather than crashing the check."""
    model = LedgerEntry if table == "files_ledgerentry" else Event
    target = model._default_manager.filter(file=books).order_by("pk").first()
    assert target is not None
    _drop_trigger(trigger, table)
    _execute(sql, [target.pk])
    breaks = verify([books.pk])
    assert [(b.file_id, b.row_id) for b in breaks] == [(books.pk, target.pk)]
    assert "no longer reads as written" in breaks[0].reason


@_ON_POSTGRESQL
def test_a_hash_or_a_message_set_to_null_is_reported(books: File) -> None:
    """NULL is no value the database confirms: a hash or a message emptied to NULL is
    reported as Python reports it."""
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called", data={"a": 1})
    note = Event.objects.filter(file=books).latest("pk")
    first = LedgerEntry.objects.filter(file=books).earliest("pk")
    _drop_trigger("files_ledgerentry_no_update", "files_ledgerentry")
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _loosen("files_ledgerentry", "chain_hash")
    _loosen("files_event", "message")
    _execute("UPDATE files_ledgerentry SET chain_hash = NULL WHERE id = %s", [first.pk])
    _execute("UPDATE files_event SET message = NULL WHERE id = %s", [note.pk])
    found = {(b.table, b.row_id, b.reason) for b in verify([books.pk])}
    assert ("ledger", first.pk, "no hash: written outside the ledger's writer") in found
    assert ("events", note.pk, "its personal fields were changed") in found


@_ON_POSTGRESQL
def test_a_null_actor_is_reported_not_a_crash(books: File) -> None:
    record_event(books, EventKind.NOTE_ADDED, actor="agent", data={"a": 1})
    note = Event.objects.filter(file=books).latest("pk")
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _loosen("files_event", "actor")
    _execute("UPDATE files_event SET actor = NULL WHERE id = %s", [note.pk])
    assert [(b.table, b.row_id) for b in verify([books.pk])] == [("events", note.pk)]


def test_an_event_with_nothing_personal_is_written_without_seal_or_digest(books: File) -> None:
    """An event with no message, no personal key and no typed actor has nothing to set apart:
    no seal, an empty digest, and the books verify. A message, a personal key or a digest put
    on it since is reported, as on a pseudonymised event."""
    record_events(
        [
            EventRow(books.pk, EventKind.INTEREST_BOOKED, "daily-run", "", {"claims": []}),
            EventRow(books.pk, EventKind.PORTAL_SIGN_IN, "debtor", "", {"ip": "198.51.100.7"}),
            EventRow(books.pk, EventKind.NOTE_ADDED, "agent", "Called", {}),
        ]
    )
    plain, signed_in, noted = Event.objects.filter(file=books).order_by("-pk")[:3][::-1]
    assert (plain.seal, plain.personal_digest) == ("", "")
    assert len(signed_in.seal) == len(noted.seal) == 32
    assert len(signed_in.personal_digest) == len(noted.personal_digest) == 64
    assert verify([books.pk]) == []
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET message = 'Refused to pay' WHERE id = %s", [plain.pk])
    breaks = verify([books.pk])
    assert [(b.row_id, b.reason) for b in breaks] == [
        (plain.pk, "its personal fields were changed")
    ]
    _execute(
        "UPDATE files_event SET message = '', personal_digest = %s WHERE id = %s",
        [noted.personal_digest, plain.pk],
    )
    breaks = verify([books.pk])
    assert [(b.row_id, b.reason) for b in breaks] == [
        (plain.pk, "its content or the row before it was changed or removed")
    ]


def test_an_unsealed_event_holds_no_personal_field(books: File) -> None:
    """An event without its seal had nothing personal or has been pseudonymised: a message
    written on it since is reported, though no digest can be checked."""
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="Called")
    note = Event.objects.filter(file=books).latest("pk")
    pseudonymise_events([note.pk])
    assert verify([books.pk]) == []
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _execute("UPDATE files_event SET message = 'Refused to pay' WHERE id = %s", [note.pk])
    breaks = verify([books.pk])
    assert [(b.row_id, b.reason) for b in breaks] == [(note.pk, "its personal fields were changed")]


@pytest.mark.parametrize(
    "data",
    [
        {"x": ({"bb": 1, "a": 2},)},
        OrderedDict([("bb", 1), ("a", 2)]),
        {"x": OrderedDict([("bb", 1), ("a", 2)])},
        {"x": 1e16, "y": -0.0, "z": 1.5e300, "w": 1e-05, "v": 2.5, "u": 123456789012345.0},
    ],
)
def test_data_of_any_shape_verifies_as_sealed(books: File, data: Any) -> None:
    """What an event's data is sealed as is what the check computes from the data read
    back: tuples, ordered dicts and floats (which the database keeps as numbers of its own)
    give no break."""
    record_event(books, EventKind.NOTE_ADDED, actor="agent", message="m", data=data)
    assert verify([books.pk]) == []
    assert verify() == []


@_ON_POSTGRESQL
def test_the_full_check_reads_a_row_that_names_no_file(books: File) -> None:
    """With the foreign key dropped, a row may name a file that does not exist: the full
    check, which reads every row whatever its file, reads that one too."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'files_ledgerentry'::regclass"
            " AND contype = 'f' AND conkey = ARRAY[(SELECT attnum FROM pg_attribute"
            " WHERE attrelid = 'files_ledgerentry'::regclass AND attname = 'file_id')]"
        )
        (constraint,) = cursor.fetchone()
    _execute("SET CONSTRAINTS ALL IMMEDIATE")
    _execute(f'ALTER TABLE files_ledgerentry DROP CONSTRAINT "{constraint}"')
    _execute(
        "INSERT INTO files_ledgerentry (file_id, claim_id, kind, component, amount, value_date,"
        " booked_at, source, source_reference, actor, note, chain_hash) SELECT 987654321,"
        " claim_id, kind, component, amount, value_date, booked_at, source, 'SLIPPED', actor,"
        " note, '' FROM files_ledgerentry WHERE file_id = %s ORDER BY id LIMIT 1",
        [books.pk],
    )
    assert [(b.table, b.file_id) for b in verify()] == [("ledger", 987654321)]


@_ON_POSTGRESQL
def test_the_database_and_python_report_the_same_breaks(
    books: File, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database's check and Python's (what SQLite runs) agree, row for row, on every window
    of a day's check and on the full check, with a row deleted, one slipped in and one
    changed."""
    other = make_file()
    ledger.post_payment(
        file=other,
        amount=Decimal("3.00"),
        value_date=date(2025, 4, 12),
        actor="bank",
        source="statement",
        source_reference="SEAL-3",
    )
    for i in range(3):
        record_event(other, EventKind.NOTE_ADDED, actor="a", message=f"m{i}", data={"l": [i]})
        record_event(books, EventKind.NOTE_ADDED, actor="a", message=f"n{i}", data={"i": i})
        record_event(None, EventKind.STAFF_SIGNED_IN, actor=f"staff:{i}", data={"method": "totp"})
    _drop_trigger("files_event_no_delete", "files_event")
    _drop_trigger("files_event_pseudonymise_only", "files_event")
    _drop_trigger("files_ledgerentry_no_update", "files_ledgerentry")
    events = list(Event.objects.filter(file=other).order_by("pk").values_list("pk", flat=True))
    _execute("DELETE FROM files_event WHERE id = %s", [events[len(events) // 2]])
    _execute(
        "INSERT INTO files_event (file_id, kind, at, actor, message, data, chain_hash, seal,"
        " personal_digest) VALUES (%s, 'note_added', now(), 'x', '', '{}', '', '', '')",
        [books.pk],
    )
    entries = LedgerEntry.objects.filter(file=books).order_by("pk")
    _execute("UPDATE files_ledgerentry SET note = 'changed' WHERE id = %s", [entries[1].pk])
    no_file = Event.objects.filter(file__isnull=True).order_by("pk")
    _execute("UPDATE files_event SET actor = 'staff:eve' WHERE id = %s", [no_file[1].pk])

    def in_python(*args: Any, **kwargs: Any) -> list[chain.Break]:
        with monkeypatch.context() as patched:
            patched.setattr(connection, "vendor", "sqlite")
            return verify(*args, **kwargs)

    files = sorted([books.pk, other.pk])
    ids = {
        chain.TABLE_NAMES[model]: list(
            model._default_manager.order_by("pk").values_list("pk", flat=True)
        )
        for model in chain.CHAINED
    }
    for cut in (0, 1 / 3, 1 / 2):
        after = {name: (rows[int(len(rows) * cut) - 1] if cut else 0) for name, rows in ids.items()}
        for top in (None, 1 / 2, 1):
            through = (
                None
                if top is None
                else {name: rows[int(len(rows) * top) - 1] for name, rows in ids.items()}
            )
            found = verify(files, after=after, through=through)
            assert found == in_python(files, after=after, through=through), (cut, top)
            # Every row of the window, whatever its file, by ranges of ids that cut the
            # files' chains (two ids a range) or hold them whole.
            for window in (2, 100_000):
                monkeypatch.setattr(chain, "_WINDOW", window)
                every = verify(after=after, through=through)
                assert every == in_python(after=after, through=through), (cut, top, window)
                assert {b.row_id for b in found} <= {b.row_id for b in every}
    for window in (2, 100_000):
        monkeypatch.setattr(chain, "_WINDOW", window)
        assert verify() == in_python()
        assert {b.row_id for b in verify()} >= {entries[1].pk, no_file[1].pk}


@_ON_POSTGRESQL
def test_the_check_leaves_the_jit_setting_of_the_transaction_it_runs_in(books: File) -> None:
    """The check turns PostgreSQL's JIT off for its own statement only: a batch that goes on in
    the same transaction keeps the setting it had."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = on")
        assert verify([books.pk]) == []
        cursor.execute("SELECT current_setting('jit')")
        assert cursor.fetchone()[0] == "on"
