"""Reads for the workflow: strategies as plain values, postage, and the letters due."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet

from amicable.domain.money import ZERO
from amicable.workflow.models import (
    LetterRequest,
    LetterStatus,
    Postage,
    StepChannel,
    StepKind,
    Strategy,
    StrategyStep,
)

__all__ = [
    "DEFAULT_STEPS",
    "PostageTable",
    "Step",
    "StrategyBook",
    "StrategyPlan",
    "get_postage_table",
    "get_strategy_book",
    "list_letters_due",
]


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a strategy, as the daily run reads it (see ``StrategyStep``)."""

    position: int
    kind: StepKind
    delay_working_days: int
    channel: StepChannel
    charges_cost: bool = False


@dataclass(frozen=True, slots=True)
class StrategyPlan:
    """A complete strategy: both letters the law requires, then the follow-ups in order."""

    name: str
    first_reminder: Step
    formal_notice: Step
    follow_ups: tuple[Step, ...]


# The default strategy, used when the database holds none (the migration seeds the same steps
# so that staff can change them). The first reminder goes out at once, by e-mail when the debtor
# has an address (CEL art. XIX.2 allows any durable medium). The notice goes on paper: the
# waiting period then starts on the 3rd working day after sending, later than for an e-mail,
# the safer choice for the consumer. Two follow-ups, two and three weeks apart.
DEFAULT_STEPS: tuple[Step, ...] = (
    Step(1, StepKind.FIRST_REMINDER, 0, StepChannel.AUTO),
    Step(2, StepKind.FORMAL_NOTICE, 0, StepChannel.PAPER),
    Step(3, StepKind.FOLLOW_UP_REMINDER, 10, StepChannel.AUTO, charges_cost=True),
    Step(4, StepKind.FOLLOW_UP_REMINDER, 15, StepChannel.PAPER, charges_cost=True),
)
DEFAULT_NAME = "Default"


def _plan_of(name: str, steps: Sequence[Step], fallback: StrategyPlan | None) -> StrategyPlan:
    """A strategy from its steps; a missing legal letter is taken from ``fallback``.

    The first reminder and the formal notice are not optional (CEL art. XIX.2 and XIX.7 §1):
    a strategy that forgets one still gets it, from the default strategy.
    """
    by_kind = {step.kind: step for step in steps if step.kind != StepKind.FOLLOW_UP_REMINDER}
    first = by_kind.get(StepKind.FIRST_REMINDER) or (fallback.first_reminder if fallback else None)
    notice = by_kind.get(StepKind.FORMAL_NOTICE) or (fallback.formal_notice if fallback else None)
    if first is None or notice is None:
        raise ValueError(f"The strategy {name!r} lacks its first reminder or formal notice step.")
    follow_ups = tuple(
        sorted(
            (step for step in steps if step.kind == StepKind.FOLLOW_UP_REMINDER),
            key=lambda step: step.position,
        )
    )
    return StrategyPlan(
        name=name, first_reminder=first, formal_notice=notice, follow_ups=follow_ups
    )


BUILT_IN_DEFAULT = _plan_of(DEFAULT_NAME, DEFAULT_STEPS, None)


@dataclass(frozen=True, slots=True)
class StrategyBook:
    """Every strategy, loaded once per run: the creditor's own, or the default one."""

    default: StrategyPlan
    by_creditor: Mapping[int, StrategyPlan]

    def for_creditor(self, creditor_id: int) -> StrategyPlan:
        return self.by_creditor.get(creditor_id, self.default)


def get_strategy_book() -> StrategyBook:
    """All strategies in two queries (the run reads them once, not per file)."""
    steps: dict[int, list[Step]] = defaultdict(list)
    for row in StrategyStep.objects.order_by("strategy_id", "position"):
        steps[row.strategy_id].append(
            Step(
                position=row.position,
                kind=StepKind(row.kind),
                delay_working_days=row.delay_working_days,
                channel=StepChannel(row.channel),
                charges_cost=row.charges_cost,
            )
        )
    strategies = list(Strategy.objects.all())
    default = BUILT_IN_DEFAULT
    for strategy in strategies:
        if strategy.is_default:
            default = _plan_of(strategy.name, steps[strategy.pk], BUILT_IN_DEFAULT)
    by_creditor = {
        strategy.creditor_id: _plan_of(strategy.name, steps[strategy.pk], default)
        for strategy in strategies
        if strategy.creditor_id is not None
    }
    return StrategyBook(default=default, by_creditor=by_creditor)


@dataclass(frozen=True, slots=True)
class PostageTable:
    """The postage in force by date (``Postage`` rows), newest first."""

    rows: tuple[tuple[date, Decimal], ...]

    def on(self, day: date) -> Decimal:
        """The postage in force on ``day``; 0.00 before the first known row (safer for the
        consumer: the reminder cost can only be lower, never above the cap of art. XIX.2)."""
        for valid_from, amount in self.rows:
            if valid_from <= day:
                return amount
        return ZERO


def get_postage_table() -> PostageTable:
    return PostageTable(
        rows=tuple(Postage.objects.order_by("-valid_from").values_list("valid_from", "amount"))
    )


def list_letters_due(*, on: date) -> QuerySet[LetterRequest]:
    """The letters to produce on ``on``: pending and due, oldest first (for the letters batch)."""
    return (
        LetterRequest.objects.select_related("file")
        .filter(status=LetterStatus.PENDING, due_on__lte=on)
        .order_by("due_on", "id")
    )
