"""Strategies: the seeded default, a creditor's own, and the checks on their steps."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from amicable.domain.lifecycle import FileState
from amicable.files.models import Creditor
from amicable.workflow.models import LetterRequest, StepChannel, StepKind, Strategy, StrategyStep
from amicable.workflow.selectors import DEFAULT_STEPS, Step, get_strategy_book
from tests.factories import claim_input, make_creditor, make_file
from tests.workflow.conftest import MONDAY, produce, run, state_of

pytestmark = pytest.mark.django_db


def test_migration_seeds_the_built_in_default_strategy() -> None:
    strategy = Strategy.objects.get(is_default=True)
    steps = [
        Step(
            s.position,
            StepKind(s.kind),
            s.delay_working_days,
            StepChannel(s.channel),
            s.charges_cost,
        )
        for s in strategy.steps.all()
    ]
    assert tuple(steps) == DEFAULT_STEPS


def own_strategy(creditor: Creditor, *steps: tuple[int, str, int, str, bool]) -> Strategy:
    strategy = Strategy.objects.create(name=f"{creditor.name} strategy", creditor=creditor)
    for position, kind, delay, channel, cost in steps:
        StrategyStep.objects.create(
            strategy=strategy,
            position=position,
            kind=kind,
            delay_working_days=delay,
            channel=channel,
            charges_cost=cost,
        )
    return strategy


def test_creditor_strategy_sets_the_delays_and_channels() -> None:
    creditor = make_creditor()
    own_strategy(
        creditor,
        (1, "first_reminder", 3, "paper", False),
        (2, "formal_notice", 2, "electronic", False),
        (3, "follow_up_reminder", 1, "paper", False),
    )
    file = make_file(
        creditor=creditor,
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
    )
    other = make_file(
        claims=[claim_input(first_reminder_sent_on=None, first_reminder_channel=None)],
        today=MONDAY,
    )
    run(MONDAY)
    produce("first_reminder", on=MONDAY)
    # The default strategy sends the other file's reminder at once; this one waits 3 days.
    assert state_of(other) is FileState.GRACE_PERIOD
    assert state_of(file) is FileState.FIRST_REMINDER_PENDING
    assert not LetterRequest.objects.filter(file=file).exists()
    run(date(2025, 3, 6))
    produce("first_reminder", on=date(2025, 3, 6))
    claim = file.claims.get()
    # Paper, Thursday 6 March: starts Tue 11 March, last day Mon 24 March.
    assert (claim.first_reminder_channel, claim.grace_last_day) == ("paper", date(2025, 3, 24))

    run(date(2025, 3, 25))
    notice = LetterRequest.objects.get(file=file, kind="formal_notice")
    # Due 2 working days after the last day of grace, by e-mail.
    assert (notice.channel, notice.due_on, notice.step) == ("electronic", date(2025, 3, 26), 2)
    produce("formal_notice", on=date(2025, 3, 26), file=file)
    run(date(2025, 3, 27))
    file.refresh_from_db()
    # An e-mail notice of Wed 26 March: from the 27th, 14 days end on Wed 9 April.
    assert file.waiting_period_last_day == date(2025, 4, 9)
    run(date(2025, 4, 9))
    assert not LetterRequest.objects.filter(file=file, kind="follow_up_reminder").exists()
    # The waiting period over and the follow-up due the same day: both in one run.
    run(date(2025, 4, 10))
    assert state_of(file) is FileState.IN_COLLECTION
    follow_up = LetterRequest.objects.get(file=file, kind="follow_up_reminder")
    assert (follow_up.channel, follow_up.due_on, follow_up.charges_cost) == (
        "paper",
        date(2025, 4, 10),
        False,
    )


def test_strategy_without_the_legal_letters_gets_them_from_the_default() -> None:
    creditor = make_creditor()
    own_strategy(creditor, (3, "follow_up_reminder", 4, "electronic", True))
    plan = get_strategy_book().for_creditor(creditor.pk)
    assert (plan.first_reminder, plan.formal_notice) == DEFAULT_STEPS[:2]
    assert plan.follow_ups == (
        Step(3, StepKind.FOLLOW_UP_REMINDER, 4, StepChannel.ELECTRONIC, True),
    )


@pytest.mark.parametrize(
    ("position", "kind", "message"),
    [
        pytest.param(2, "first_reminder", "The first reminder is step 1", id="reminder_case"),
        pytest.param(3, "formal_notice", "the formal notice step 2", id="notice_case"),
        pytest.param(2, "follow_up_reminder", "Follow-up reminders come after", id="follow_case"),
    ],
)
def test_steps_keep_the_laws_order(position: int, kind: str, message: str) -> None:
    strategy = Strategy.objects.get(is_default=True)
    step = StrategyStep(strategy=strategy, position=position, kind=kind)
    with pytest.raises(ValidationError, match=message):
        step.clean()


def test_only_a_follow_up_may_charge_its_cost_xix2() -> None:
    strategy = Strategy.objects.create(name="Own", creditor=make_creditor())
    with pytest.raises(IntegrityError):
        StrategyStep.objects.create(
            strategy=strategy, position=1, kind="first_reminder", charges_cost=True
        )


def test_there_is_one_default_strategy() -> None:
    with pytest.raises(IntegrityError):
        Strategy.objects.create(name="Second default", is_default=True)
