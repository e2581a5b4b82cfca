"""A standing cast for tests: creditors, debtors and files built through the real services."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from amicable.files import ledger
from amicable.files.models import Creditor, Event, File
from amicable.files.services import ClaimInput, DebtorInput, FileInput, create_files
from amicable.files.timeline import Audience, audiences_of

_counter = itertools.count(1)


def make_creditor(**overrides: Any) -> Creditor:
    n = next(_counter)
    values: dict[str, Any] = {
        "reference": f"creditor-{n}",
        "name": f"Énergie Test {n} SA",
        "enterprise_number": "0403170701",
        "address": "Boulevard du Régent 8",
        "postal_code": "1000",
        "city": "Bruxelles",
        "phone": "+32 2 123 45 67",
        "email": f"recouvrement{n}@energie.example",
        "remittance_iban": "BE71096123456769",
        "sector": "energy",
    }
    values.update(overrides)
    return Creditor.objects.create(**values)


def claim_input(**overrides: Any) -> ClaimInput:
    n = next(_counter)
    values: dict[str, Any] = {
        "creditor_reference": f"INV-{n}",
        "description": "Électricité, facture de régularisation",
        "invoice_date": date(2025, 1, 15),
        "due_date": date(2025, 2, 14),
        "principal": Decimal("200.00"),
        "contract_date": date(2024, 1, 10),
        "regular_supply": True,
        "first_reminder_sent_on": date(2025, 3, 3),
        "first_reminder_channel": "paper",
        "indemnity_percent": Decimal("10"),
        "indemnity_minimum": Decimal("25.00"),
        # Declared reciprocal (CEL art. VI.83, 17°), so that the tests about the caps keep
        # their meaning; the tests of reciprocity say otherwise.
        "indemnity_reciprocity": "reciprocal",
        "interest_clause": True,
        "interest_rate": Decimal("8"),
        "reminder_cost_clause": True,
    }
    values.update(overrides)
    return ClaimInput(**values)


def debtor_input(**overrides: Any) -> DebtorInput:
    n = next(_counter)
    values: dict[str, Any] = {
        "customer_reference": f"CUST-{n}",
        "name": f"Marie Dupont {n}",
        "address": "Rue Haute 12",
        "postal_code": "1000",
        "city": "Bruxelles",
        "language": "fr",
        "email": f"marie{n}@example.be",
    }
    values.update(overrides)
    return DebtorInput(**values)


def make_file(
    *,
    creditor: Creditor | None = None,
    claims: list[ClaimInput] | None = None,
    today: date = date(2025, 4, 1),
    **debtor: Any,
) -> File:
    created = create_files(
        creditor=creditor or make_creditor(),
        inputs=[
            FileInput(
                creditor_reference=f"FILE-{next(_counter)}",
                debtor=debtor_input(**debtor),
                claims=tuple(claims or [claim_input()]),
            )
        ],
        actor="test",
        today=today,
    )
    return created[0].file


def shown_to_debtor(event: Event) -> bool:
    """Whether the debtor's portal shows ``event`` (its kind's audience)."""
    return Audience.DEBTOR in audiences_of(event.kind)


def pay(file: File, amount: Decimal, value_date: date, reference: str) -> ledger.Posting:
    """A payment read from a bank statement (``reference``: the movement's, unique)."""
    return ledger.post_payment(
        file=file,
        amount=amount,
        value_date=value_date,
        actor="bank",
        source="statement",
        source_reference=reference,
    )
