"""Prepared reads (``files.prepared``): the ORM's SQL written once, the same rows every call."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model, Q
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from amicable.config import sessions
from amicable.config.sessions import SessionStore
from amicable.domain.lifecycle import FileState
from amicable.files import ledger, rates
from amicable.files import selectors as file_selectors
from amicable.files.ledger import books
from amicable.files.models import Event, File, InterestRate, LedgerEntry, RateKind
from amicable.files.prepared import PreparedRead
from amicable.files.rates import rate_table
from amicable.files.timeline import Audience
from amicable.intake import tokens
from amicable.intake.tokens import TOKEN_PREFIX_LENGTH
from amicable.portal import selectors as portal_selectors
from tests.factories import make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The SQL the ORM compiles while the test runs."""
    compiled: list[str] = []
    plain = SQLCompiler.as_sql

    def counted(self: SQLCompiler, *args: Any, **kwargs: Any) -> Any:
        sql, params = plain(self, *args, **kwargs)
        compiled.append(sql)
        return sql, params

    monkeypatch.setattr(SQLCompiler, "as_sql", counted)
    return compiled


def _paid_file() -> File:
    file = make_file()
    ledger.charge_indemnity(claim=file.claims.get(), on=date(2025, 3, 20), actor="test")
    ledger.post_payment(
        file=file,
        amount=Decimal("60.00"),
        value_date=date(2025, 4, 10),
        actor="test",
        source="statement",
        source_reference="test-payment",
    )
    return file


@pytest.mark.parametrize("as_of", [date(2025, 3, 1), date(2025, 4, 9), date(2025, 4, 10), date.max])
def test_a_prepared_read_gives_the_rows_of_its_queryset(as_of: date) -> None:
    file = _paid_file()
    make_file()  # another file's rows are never read
    for prepared, build in [
        (books._ENTRIES_OF_ONE, books._entries),
        (books._ALLOCATIONS_OF_ONE, books._allocations),
    ]:
        expected = sorted(build(Q(file_id__any_of=[file.pk]), as_of=as_of), key=str)
        assert sorted(prepared(file_id=file.pk, as_of=as_of), key=str) == expected
    # The days read something: the principal on each, the payment's split from its day on.
    assert books._ENTRIES_OF_ONE(file_id=file.pk, as_of=as_of)
    assert bool(books._ALLOCATIONS_OF_ONE(file_id=file.pk, as_of=as_of)) is (
        as_of >= date(2025, 4, 10)
    )


def test_the_books_of_one_file_are_those_of_the_batch_path() -> None:
    file = _paid_file()
    terms = books.file_terms(file)
    single = books.read_books([terms], as_of=date(2025, 5, 1))[file.pk]
    other = make_file()
    batch = books.read_books([terms, books.file_terms(other)], as_of=date(2025, 5, 1))[file.pk]
    assert single.balance(as_of=date(2025, 5, 1), rates=rate_table()) == batch.balance(
        as_of=date(2025, 5, 1), rates=rate_table()
    )


def test_a_second_call_compiles_nothing_and_runs_one_query(
    compilations: list[str], django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    file = make_file()
    compilations.clear()
    read = PreparedRead(
        "the entries of a file, for a test",
        lambda file_id: LedgerEntry.objects.filter(file_id=file_id).order_by("id"),
        file_id=int,
    )
    first = read(file_id=file.pk)
    assert len(compilations) == 1
    with django_assert_num_queries(1):
        again = read(file_id=file.pk)
    assert len(compilations) == 1
    assert (
        [e.pk for e in again]
        == [e.pk for e in first]
        == list(LedgerEntry.objects.filter(file=file).order_by("id").values_list("pk", flat=True))
    )


def test_model_rows_come_with_their_related_objects(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    file = make_file(name="Anne Dupont")
    read = PreparedRead(
        "a file with its parties, for a test",
        lambda reference, debtor_id: File.objects.select_related("creditor", "debtor").filter(
            reference=reference, debtor_id=debtor_id
        ),
        reference=str,
        debtor_id=int,
    )
    read(reference=file.reference, debtor_id=file.debtor_id)
    with django_assert_num_queries(1):
        (found,) = read(reference=file.reference, debtor_id=file.debtor_id)
        assert (found.pk, found.debtor.name, found.creditor.name) == (
            file.pk,
            "Anne Dupont",
            file.creditor.name,
        )
        assert found.file_state is FileState.FORMAL_NOTICE
    assert read(reference=file.reference, debtor_id=file.debtor_id + 1) == []
    assert read(reference="AM99999999", debtor_id=file.debtor_id) == []


def test_moments_and_texts_are_parameters_too() -> None:
    file = make_file()
    read = PreparedRead(
        "events of a kind since a moment, for a test",
        lambda file_id, kind, since: Event.objects.filter(
            file_id=file_id, kind=kind, at__gte=since
        ).values_list("pk", flat=True),
        file_id=int,
        kind=str,
        since=datetime,
    )
    kind = Event.objects.filter(file=file).values_list("kind", flat=True).first()
    assert kind is not None
    for since in (datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)):
        assert read(file_id=file.pk, kind=kind, since=since) == list(
            Event.objects.filter(file=file, kind=kind, at__gte=since).values_list("pk", flat=True)
        )
    assert read(file_id=file.pk, kind="no such kind", since=datetime(2000, 1, 1, tzinfo=UTC)) == []


def test_a_value_the_orm_would_have_to_prepare_is_refused(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    with django_assert_num_queries(0):
        with pytest.raises(ValueError, match="beyond any key"):
            books._CLAIMS_OF_ONE(file_id=2**63)
        with pytest.raises(TypeError, match="file_id must be int, not NoneType"):
            books._CLAIMS_OF_ONE(file_id=None)
        with pytest.raises(TypeError, match="as_of must be date, not datetime"):
            books._ENTRIES_OF_ONE(file_id=1, as_of=datetime(2025, 1, 1, tzinfo=UTC))
        with pytest.raises(TypeError, match="file_id must be int, not str"):
            books._CLAIMS_OF_ONE(file_id="1")


def test_a_read_whose_parameter_is_not_a_plain_parameter_is_refused() -> None:
    unused = PreparedRead(
        "a read that ignores its parameter",
        lambda file_id: File.objects.filter(pk__gt=0),
        file_id=int,
    )
    with pytest.raises(TypeError, match="its parameter file_id is not a plain SQL parameter"):
        unused(file_id=1)
    with pytest.raises(TypeError, match="no prepared parameter of type list"):
        PreparedRead("a list", lambda ids: File.objects.filter(pk__in=ids), ids=list)
    read = PreparedRead("a file", lambda file_id: File.objects.filter(pk=file_id), file_id=int)
    with pytest.raises(TypeError, match="takes"):
        read(pk=1)
    # A lookup that wraps or escapes its value: the value would go in as it is.
    for lookup in ("contains", "startswith"):
        wrapped = PreparedRead(
            f"a {lookup} lookup",
            lambda text, lookup=lookup: File.objects.filter(**{f"reference__{lookup}": text}),
            text=str,
        )
        with pytest.raises(TypeError, match="its parameter text is not a plain SQL parameter"):
            wrapped(text="AM")
    locking = PreparedRead(
        "a locking read",
        lambda file_id: File.objects.select_for_update().filter(pk=file_id),
        file_id=int,
    )
    with pytest.raises(TypeError, match="neither prefetches nor locks"):
        locking(file_id=1)


def test_a_rate_added_counts_from_the_next_read() -> None:
    before = rate_table()
    InterestRate.objects.create(kind=RateKind.CIVIL, year=2031, rate=Decimal("9.250"))
    after = rate_table()
    assert after != before
    assert after.civil_rate(date(2031, 6, 1)) == Decimal("9.250")


def _rows(rows: list[Any]) -> list[Any]:
    """Rows as comparable values: a model instance as its class, loaded fields and the related
    objects read with it (``select_related``), each the same way."""
    shown: list[Any] = []
    for row in rows:
        if isinstance(row, Model):
            fields = {k: v for k, v in row.__dict__.items() if k != "_state"}
            related = {
                k: _rows([v])[0] if v is not None else None
                for k, v in row._state.fields_cache.items()
            }
            shown.append((type(row), fields, related))
        else:
            shown.append(row)
    return shown


def test_every_prepared_read_gives_what_its_queryset_gives() -> None:
    file = _paid_file()
    other = make_file()
    InterestRate.objects.create(kind=RateKind.CIVIL, year=2031, rate=Decimal("9.250"))
    store = SessionStore()
    store["portal_debtor_id"] = file.debtor_id
    store.save()
    day = date(2025, 5, 1)
    own, others = file.debtor_id, other.debtor_id
    ref = file.reference
    issued = tokens.issue_token(creditor=file.creditor, name="test", actor="test")
    cases: list[tuple[PreparedRead[Any], dict[str, Any]]] = [
        (books._CLAIMS_OF_ONE, {"file_id": file.pk}),
        (books._ENTRIES_OF_ONE, {"file_id": file.pk, "as_of": day}),
        (books._ALLOCATIONS_OF_ONE, {"file_id": file.pk, "as_of": day}),
        (rates._RATES, {}),
        (file_selectors._TIMELINE_OF[Audience.DEBTOR], {"file_id": file.pk}),
        (file_selectors._TIMELINE_OF[Audience.CREDITOR], {"file_id": file.pk}),
        (portal_selectors._CLAIMS, {"file_id": file.pk}),
        (portal_selectors._DEBTOR_FILE, {"reference": file.reference, "debtor_id": own}),
        (portal_selectors._DEBTOR_FILE, {"reference": file.reference, "debtor_id": others}),
        (file_selectors._CREDITOR_FILE, {"creditor_id": file.creditor_id, "reference": ref}),
        (tokens._ACTIVE_TOKEN, {"prefix": issued.secret[:TOKEN_PREFIX_LENGTH]}),
        (sessions._SESSION, {"session_key": store.session_key, "now": timezone.now()}),
    ]
    for read, values in cases:
        expected = _rows(list(read._build(**values)))
        assert _rows(read(**values)) == expected, read.name
        assert _rows(read(**values)) == expected, read.name  # and once prepared
    # Every case reads something but the other debtor's file.
    empty = [read.name for read, values in cases if not read(**values)]
    assert empty == [portal_selectors._DEBTOR_FILE.name]


def test_a_timeline_read_for_a_file_knows_that_file(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    file = _paid_file()
    for audience in (Audience.DEBTOR, Audience.CREDITOR):
        events = file_selectors.list_timeline(file, audience=audience)
        assert events
        with django_assert_num_queries(0):
            assert all(event.file is file for event in events)
