"""The rate table never goes stale silently: ``amicable check`` warns, in the banner's words,
and the files whose interest stops short are counted.

The package's table knows the rates up to 30 June 2026: the commercial rate of the law of
2 August 2002 for the second half of 2026 (and, from 2027, the civil legal rate of 2027) is
what staff must add.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File, InterestRate, RateKind
from amicable.files.rate_gaps import count_files_past_known_rates, read_rate_gaps
from tests.factories import claim_input, make_file

pytestmark = pytest.mark.django_db

LAST_KNOWN = date(2026, 6, 30)


def _check(*args: str) -> str:
    """What ``amicable check`` writes (warnings go to standard error), in English."""
    out, err = StringIO(), StringIO()
    with translation.override("en"):
        call_command("check", *args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@time_machine.travel("2026-09-15 10:00 +02:00", tick=False)
def test_check_warns_past_the_last_known_rate_in_the_banners_words() -> None:
    report = _check("--database", "default")
    assert "amicable.W001" in report
    with translation.override("en"):
        gaps = read_rate_gaps(today=date(2026, 9, 15))
        message, where = gaps.message, gaps.where
    assert message == (
        "Interest is counted only up to 30/06/2026, the last day with a known rate. "
        "Missing: the commercial rate of the law of 2 August 2002 (per half-year) for the "
        "second half of 2026."
    )
    assert message in report
    assert f"HINT: {where} (/admin/files/interestrate/)" in report


@time_machine.travel("2027-01-04 10:00 +01:00", tick=False)
def test_check_names_both_tables_when_both_are_missing() -> None:
    report = _check("--database", "default")
    assert "Missing: the civil legal interest rate (per year) for 2027." in report
    assert (
        "Missing: the commercial rate of the law of 2 August 2002 (per half-year) for the "
        "second half of 2026, the first half of 2027." in report
    )


@time_machine.travel("2026-06-30 10:00 +02:00", tick=False)
def test_check_says_nothing_up_to_the_last_day_with_a_known_rate() -> None:
    assert "amicable.W001" not in _check("--database", "default")


@time_machine.travel("2026-09-15 10:00 +02:00", tick=False)
def test_a_rate_added_by_staff_silences_the_check() -> None:
    # The value is a test's, not a published rate: the check reads whatever staff entered.
    InterestRate.objects.create(kind=RateKind.COMMERCIAL, year=2026, half=2, rate=Decimal("9"))
    assert "amicable.W001" not in _check("--database", "default")


@time_machine.travel("2026-09-15 10:00 +02:00", tick=False)
def test_a_plain_amicable_check_reads_the_database_and_warns() -> None:
    # ``amicable check`` asks for the default database's checks (files' own check command);
    # ``runserver`` and the daily run start without the query, as Django's rule for checks
    # wants; ``check --deploy`` keeps to the deployment settings.
    assert "amicable.W001" in _check()
    assert "amicable.W001" not in _check("--deploy", "--fail-level", "CRITICAL")


def test_the_files_whose_interest_stops_short_are_counted() -> None:
    bearing = make_file()  # 8 % on 200.00, chargeable from 20/03/2025, in formal notice
    make_file(claims=[claim_input(interest_clause=False, interest_rate=None)])
    make_file(claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)])
    paid_up = make_file()
    ledger.post_payment(
        file=paid_up,
        amount=Decimal("500.00"),
        value_date=date(2025, 4, 1),
        actor="bank",
        source="statement",
        source_reference="paid-up",
    )
    settled = make_file()  # interest stops at a collective settlement's admissibility
    File.objects.filter(pk=settled.pk).update(interest_stops_on=date(2026, 5, 4))
    settles_later = make_file()
    File.objects.filter(pk=settles_later.pk).update(interest_stops_on=date(2026, 8, 1))
    closed = make_file()
    change_file_state(file=closed, new_state=FileState.CLOSED, actor="t")

    later = date(2026, 9, 15)
    assert count_files_past_known_rates(today=later, last_known_day=LAST_KNOWN) == 2
    # Interest stopping on the day after the last known one runs through that day only.
    File.objects.filter(pk=settles_later.pk).update(interest_stops_on=date(2026, 7, 1))
    assert count_files_past_known_rates(today=later, last_known_day=LAST_KNOWN) == 1
    assert bearing.claims.get().interest_applies
    # Up to the last known day, no interest stops short.
    assert count_files_past_known_rates(today=LAST_KNOWN, last_known_day=LAST_KNOWN) == 0
