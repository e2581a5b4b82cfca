"""The interest rates the table in force does not know yet, and the files they leave short.

Interest stops at the last day with a known rate
(:func:`amicable.domain.charges.last_day_with_rates`) rather than run on a guessed one. So that
this never goes unnoticed, the back office shows a banner on every page, its dashboard counts
the open files concerned and ``amicable check --database default`` warns: all three in the
words of :class:`RateGaps`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import DecimalField, Exists, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from amicable.domain.charges import last_day_with_rates
from amicable.domain.imputation import Component
from amicable.domain.interest import MissingRate, RateTable, missing_rates
from amicable.domain.lifecycle import OPEN_STATES, rules_for
from amicable.domain.money import CENT
from amicable.files.models import Allocation, Claim, File, LedgerEntry
from amicable.files.rates import rate_table

__all__ = ["RateGaps", "count_files_past_known_rates", "read_rate_gaps"]


def _day(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _period(missing: MissingRate) -> str:
    if missing.civil:
        return str(missing.year)
    if missing.half == 1:
        return _("the first half of %(year)d") % {"year": missing.year}
    return _("the second half of %(year)d") % {"year": missing.year}


@dataclass(frozen=True, slots=True)
class RateGaps:
    """The rates missing on ``today``; false when the table knows every rate up to then.

    The sentences are built when read, in the language active then (the staff member's, or the
    installation's for ``amicable check``).
    """

    today: date
    last_known_day: date
    missing: tuple[MissingRate, ...]

    def __bool__(self) -> bool:
        return bool(self.missing)

    @property
    def stops_interest(self) -> bool:
        """Interest stops before ``today`` on every file that bears it."""
        return self.last_known_day < self.today

    @property
    def message(self) -> str:
        """Which table misses which period, and from which day interest stops."""
        sentences = []
        if self.stops_interest:
            sentences.append(
                _("Interest is counted only up to %(date)s, the last day with a known rate.")
                % {"date": _day(self.last_known_day)}
            )
        civil = [_period(m) for m in self.missing if m.civil]
        if civil:
            sentences.append(
                _("Missing: the civil legal interest rate (per year) for %(periods)s.")
                % {"periods": ", ".join(civil)}
            )
        commercial = [_period(m) for m in self.missing if not m.civil]
        if commercial:
            sentences.append(
                _(
                    "Missing: the commercial rate of the law of 2 August 2002 (per half-year) "
                    "for %(periods)s."
                )
                % {"periods": ", ".join(commercial)}
            )
        return " ".join(sentences)

    @property
    def where(self) -> str:
        """Where staff add a rate, and when."""
        return _(
            "Add each rate on the Interest rates page of the administration as soon as the "
            "Moniteur belge publishes it."
        )


def read_rate_gaps(*, today: date, rates: RateTable | None = None) -> RateGaps:
    """The gaps of ``rates`` (by default the table in force: the package's rates and those
    staff added) on ``today``."""
    table = rate_table() if rates is None else rates
    return RateGaps(
        today=today,
        last_known_day=last_day_with_rates(table),
        missing=missing_rates(table, today=today),
    )


_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _principal(model: type[LedgerEntry] | type[Allocation], *, today: date) -> Coalesce:
    """The principal a claim's ledger entries (charged) or allocations (paid) sum to by
    ``today``, for a subquery on ``Claim``."""
    total = (
        model.objects.filter(
            claim_id=OuterRef("pk"), component=Component.PRINCIPAL, value_date__lte=today
        )
        .order_by()
        .values("claim_id")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    zero = Value(Decimal("0.00"), output_field=_MONEY)
    return Coalesce(Subquery(total, output_field=_MONEY), zero, output_field=_MONEY)


def count_files_past_known_rates(*, today: date, last_known_day: date) -> int:
    """The open files whose interest would run past ``last_known_day`` by ``today``.

    A file counts when its state accrues interest, interest does not stop for it by then (a
    collective settlement's admissibility, Judicial Code art. 1675/7) and one of its claims
    bears interest, is chargeable by ``today`` and still has principal due: the interest it
    shows stops short until the missing rate is added. One query.
    """
    if today <= last_known_day:
        return 0
    bearing = (
        Claim.objects.filter(
            file_id=OuterRef("pk"), interest_applies=True, first_chargeable_day__lte=today
        )
        .annotate(due=_principal(LedgerEntry, today=today) - _principal(Allocation, today=today))
        # At least a cent: SQLite sums decimals as floats.
        .filter(due__gte=CENT)
    )
    accruing = [state.value for state in OPEN_STATES if rules_for(state).accrues_interest]
    return (
        File.objects.filter(state__in=accruing)
        .filter(
            Q(interest_stops_on__isnull=True)
            | Q(interest_stops_on__gt=last_known_day + timedelta(days=1))
        )
        .filter(Exists(bearing))
        .count()
    )
