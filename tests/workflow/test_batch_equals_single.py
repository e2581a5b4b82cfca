"""The set-based paths and the one-file paths give the same books, states and letters.

Random files are created in twins. Over the same months the same things happen to both twins
(letters sent, payments, a returned payment, a suspension with an end date), but twin A goes
through the batch paths (one daily run over every A file at once, a bank statement's payments
posted together with ``post_payments``) and twin B through the single paths (the daily run of
one file, each payment with ``post_payment``). Both must end with the same ledger, allocations,
states, claims, letters and timeline: one rule, one home, whatever the path.
"""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from amicable.domain.lifecycle import FileState
from amicable.files import ledger
from amicable.files.chain import verify
from amicable.files.ledger import PAYMENT_KINDS, PaymentOrder
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Allocation, Claim, Event, File, LedgerEntry
from amicable.workflow.letter_queue import record_letters_produced
from amicable.workflow.models import LetterRequest, LetterStatus
from amicable.workflow.services import run_daily
from tests.factories import claim_input, make_creditor, make_file

pytestmark = pytest.mark.django_db

# Hypothesis runs its examples in one test transaction: references stay unique across them.
_example = itertools.count(1)

# Mondays, a few other days, and each month's last working day (interest is booked then).
RUN_DAYS = (
    date(2025, 3, 3),
    date(2025, 3, 18),
    date(2025, 3, 31),
    date(2025, 4, 8),
    date(2025, 4, 24),
    date(2025, 4, 30),
    date(2025, 5, 19),
    date(2025, 5, 30),
    date(2025, 6, 30),
    date(2025, 7, 31),
)

claims = st.fixed_dictionaries(
    {
        "principal": st.decimals(min_value=Decimal("20"), max_value=Decimal("3000"), places=2),
        "regular_supply": st.booleans(),
        "indemnity_percent": st.sampled_from([None, Decimal("5"), Decimal("10")]),
        "interest_rate": st.sampled_from([None, Decimal("8"), Decimal("12")]),
        "reminder_cost_clause": st.booleans(),
        "reminder": st.sampled_from(["none", "paper", "electronic"]),
    }
)
files = st.lists(
    st.fixed_dictionaries(
        {
            "claims": st.lists(claims, min_size=1, max_size=3),
            "email": st.booleans(),
            # (run day index, amount) of payments; one may be returned two run days later.
            "payments": st.lists(
                st.tuples(
                    st.integers(0, len(RUN_DAYS) - 1),
                    st.decimals(min_value=Decimal("5"), max_value=Decimal("2000"), places=2),
                ),
                max_size=3,
            ),
            "returned": st.booleans(),
            # A suspension from one run day, lifted by its end date a few days later.
            "suspended": st.one_of(st.none(), st.integers(2, len(RUN_DAYS) - 3)),
        }
    ),
    min_size=1,
    max_size=3,
)


def _claim_inputs(spec: dict[str, Any], n: int, example: int) -> list[Any]:
    made = []
    for index, claim in enumerate(spec["claims"]):
        reminder = claim["reminder"]
        made.append(
            claim_input(
                creditor_reference=f"INV-{example}-{n}-{index}",
                principal=claim["principal"],
                due_date=date(2025, 1, 10) + timedelta(days=10 * index),
                regular_supply=claim["regular_supply"],
                indemnity_percent=claim["indemnity_percent"],
                indemnity_minimum=None,
                interest_clause=claim["interest_rate"] is not None,
                interest_rate=claim["interest_rate"],
                reminder_cost_clause=claim["reminder_cost_clause"],
                first_reminder_sent_on=None if reminder == "none" else date(2025, 2, 3),
                first_reminder_channel=None if reminder == "none" else reminder,
            )
        )
    return made


def _twins(specs: list[dict[str, Any]], example: int) -> tuple[list[File], list[File]]:
    creditor = make_creditor()
    batch, single = [], []
    for n, spec in enumerate(specs):
        for side in (batch, single):
            side.append(
                make_file(
                    creditor=creditor,
                    claims=_claim_inputs(spec, n, example),
                    today=date(2025, 2, 20),
                    email=f"debtor{n}@example.be" if spec["email"] else "",
                )
            )
    return batch, single


def _send_letters(file_ids: list[int], *, on: date) -> None:
    pending = LetterRequest.objects.filter(
        file_id__in=file_ids, status=LetterStatus.PENDING, due_on__lte=on
    ).order_by("file_id", "id")
    record_letters_produced(
        request_ids=list(pending.values_list("pk", flat=True)), produced_on=on, actor="letters"
    )


_IDS = {"entry", "source_reference"}


def _normalised(file: File) -> dict[str, Any]:
    """Everything written on ``file``, with ids replaced by positions."""
    claim_position = {
        pk: n
        for n, pk in enumerate(file.claims.order_by("due_date", "id").values_list("pk", flat=True))
    }
    entries = list(LedgerEntry.objects.filter(file=file).order_by("id"))
    position = {entry.pk: n for n, entry in enumerate(entries)}
    return {
        "state": File.objects.filter(pk=file.pk).values_list(
            "state",
            "state_before_hold",
            "formal_notice_sent_on",
            "waiting_period_last_day",
            "closed_on",
        )[0],
        "claims": list(
            Claim.objects.filter(file=file)
            .order_by("due_date", "id")
            .values_list("first_reminder_sent_on", "first_reminder_channel", "first_chargeable_day")
        ),
        "ledger": [
            (
                e.kind,
                e.component,
                claim_position.get(e.claim_id) if e.claim_id else None,
                e.amount,
                e.value_date,
                e.period_start,
                e.period_end,
                e.source,
                position.get(e.reverses_id) if e.reverses_id else None,
            )
            for e in entries
        ],
        "allocations": sorted(
            (position[a.entry_id], claim_position[a.claim_id], a.component, a.amount, a.value_date)
            for a in Allocation.objects.filter(file=file)
        ),
        "letters": list(
            LetterRequest.objects.filter(file=file)
            .order_by("kind", "cycle", "step")
            .values_list(
                "kind", "cycle", "step", "channel", "due_on", "status", "produced_on", "applied_on"
            )
        ),
        # Without what names a row by its id or a payment by its bank reference.
        "events": sorted(
            (kind, str(sorted((k, v) for k, v in (data or {}).items() if k not in _IDS)))
            for kind, data in Event.objects.filter(file=file).values_list("kind", "data")
        ),
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=files)
# Every path at least once: two claims of a regular-supply contract with every clause, one
# without a first reminder, a payment in April, a returned one, a suspension in May.
@example(
    specs=[
        {
            "claims": [
                {
                    "principal": Decimal("640.00"),
                    "regular_supply": False,
                    "indemnity_percent": Decimal("10"),
                    "interest_rate": Decimal("8"),
                    "reminder_cost_clause": True,
                    "reminder": "paper",
                },
                {
                    "principal": Decimal("95.50"),
                    "regular_supply": True,
                    "indemnity_percent": None,
                    "interest_rate": None,
                    "reminder_cost_clause": False,
                    "reminder": "none",
                },
            ],
            "email": True,
            "payments": [(4, Decimal("120.00")), (5, Decimal("80.00"))],
            "returned": True,
            "suspended": 6,
        },
        {
            "claims": [
                {
                    "principal": Decimal("2500.00"),
                    "regular_supply": True,
                    "indemnity_percent": Decimal("5"),
                    "interest_rate": Decimal("12"),
                    "reminder_cost_clause": True,
                    "reminder": "electronic",
                }
            ],
            "email": False,
            "payments": [(8, Decimal("2000.00"))],
            "returned": False,
            "suspended": None,
        },
    ]
)
def test_the_batch_paths_and_the_single_paths_write_the_same(specs: list[dict[str, Any]]) -> None:
    example = next(_example)
    batch, single = _twins(specs, example)
    batch_ids = [f.pk for f in batch]
    posted: dict[int, list[LedgerEntry]] = {f.pk: [] for f in batch + single}
    for index, day in enumerate(RUN_DAYS):
        orders = []
        for n, spec in enumerate(specs):
            for twin in (batch[n], single[n]):
                if spec["suspended"] == index and File.objects.get(pk=twin.pk).file_state in (
                    FileState.IN_COLLECTION,
                    FileState.GRACE_PERIOD,
                    FileState.WAITING_PERIOD,
                ):
                    change_file_state(file=twin, new_state=FileState.SUSPENDED, actor="agent")
                    File.objects.filter(pk=twin.pk).update(suspended_until=day + timedelta(days=5))
                if spec["returned"] and index >= 2 and len(posted[twin.pk]) == 1:
                    ledger.reverse_payment(
                        entry=posted[twin.pk].pop(), on=day, actor="bank", reason="returned"
                    )
            for m, (payment_day, amount) in enumerate(spec["payments"]):
                if payment_day != index:
                    continue
                state = File.objects.get(pk=batch[n].pk).file_state
                if state in (FileState.PAID, FileState.CLOSED):
                    continue
                orders.append(
                    PaymentOrder(
                        batch[n].pk, amount, day, "statement", f"A{example}-{n}-{m}-{index}"
                    )
                )
                posting = ledger.post_payment(
                    file=single[n],
                    amount=amount,
                    value_date=day,
                    actor="bank",
                    source="statement",
                    source_reference=f"B{example}-{n}-{m}-{index}",
                )
                posted[single[n].pk].append(posting.entry)
        for result in ledger.post_payments(orders, actor="bank"):
            assert isinstance(result, ledger.Posting)
            posted[result.entry.file_id].append(result.entry)
        # The batch paths: one run over every A file. The single paths: each B file alone.
        run_daily(run_date=day, progress_stream=io.StringIO(), only=batch_ids)
        for twin in single:
            run_daily(run_date=day, progress_stream=io.StringIO(), only=[twin.pk])
        _send_letters(batch_ids + [f.pk for f in single], on=day)
    # Both paths chain what they write (docs/architecture.md, invariant 9): every twin's books
    # verify, the batch paths' as the single paths'.
    assert verify(batch_ids + [f.pk for f in single]) == []
    for one, other in zip(batch, single, strict=True):
        assert _normalised(one) == _normalised(other)
        entries = LedgerEntry.objects.filter(file=one).exclude(kind__in=PAYMENT_KINDS)
        assert all(e.amount != 0 for e in entries)
