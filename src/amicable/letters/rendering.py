"""Render a letter to PDF with Typst, after every check has passed.

:func:`render_letter` first gathers every reason the letter may not be produced
(:func:`amicable.letters.checks.letter_errors`: missing mentions, figure rules, payment details,
envelope window) and raises :class:`LetterRefused` with all of them. Only a letter with none is
rendered, so a letter that breaks a rule can never exist, not even as a draft.

Rendering passes the data to the kind's Typst template as JSON (``sys.inputs.data``), every
amount and date already written for the letter's language, and the EPC QR code as SVG
(``sys.inputs.qr``). Each thread keeps one Typst compiler per template: the template is parsed
and the fonts are loaded once, and each letter then costs a few milliseconds. Only the fonts that
ship inside Typst are used (``ignore_system_fonts``), so the output does not depend on the
machine. The PDF's creation date is the letter date, so the same data always gives the same bytes.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typst

from amicable.domain.epc import epc_qr_svg
from amicable.domain.law import REMINDER_COST_FLAT
from amicable.domain.mentions import SUPERVISORY_AUTHORITY, LetterKind
from amicable.domain.money import ZERO, format_eur
from amicable.letters.checks import letter_errors, payment_payload, shows_payment_box
from amicable.letters.content import LetterData
from amicable.letters.formatting import (
    format_date,
    format_iban,
    format_percent,
    format_structured_communication,
)

__all__ = ["TEMPLATES", "LetterRefused", "letter_view", "render_letter"]

TEMPLATES = Path(__file__).resolve().parent / "typst"


class LetterRefused(Exception):
    """The letter was not produced; ``errors`` says why, one sentence per reason."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = list(errors)
        super().__init__("The letter was not produced:\n- " + "\n- ".join(self.errors))


def render_letter(data: LetterData) -> bytes:
    """The letter as a PDF; raises :class:`LetterRefused` naming every missing mention and
    every broken rule, before anything is rendered."""
    errors = letter_errors(data)
    if errors:
        raise LetterRefused(errors)
    qr = epc_qr_svg(payment_payload(data)) if shows_payment_box(data) else ""
    view = letter_view(data)
    pdf = _compiler(data.kind).compile(
        format="pdf",
        sys_inputs={"data": json.dumps(view, ensure_ascii=False), "qr": qr},
        timestamp=datetime(data.date.year, data.date.month, data.date.day, tzinfo=UTC),
    )
    assert isinstance(pdf, bytes)
    return pdf


_local = threading.local()


def _compiler(kind: LetterKind) -> typst.Compiler:
    """This thread's compiler for ``kind``: one per template, built on first use.

    A Typst compiler is not meant to be shared between threads; one per thread and template
    keeps the parsed template and the loaded fonts for every later letter of that kind.
    """
    compilers: dict[LetterKind, typst.Compiler] | None = getattr(_local, "compilers", None)
    if compilers is None:
        compilers = _local.compilers = {}
    compiler = compilers.get(kind)
    if compiler is None:
        compiler = typst.Compiler(
            str(TEMPLATES / f"{kind.value}.typ"),
            root=str(TEMPLATES),
            ignore_system_fonts=True,
        )
        compilers[kind] = compiler
    return compiler


def letter_view(data: LetterData) -> dict[str, Any]:
    """What the template prints, as JSON-ready values, written for the letter's language."""
    language = data.language

    def eur(amount: Any) -> str:
        return format_eur(amount, language)

    def day(value: Any) -> str | None:
        return format_date(value, language) if value is not None else None

    agency, creditor, debtor = data.agency, data.creditor, data.debtor
    recipient_address = data.recipient_address
    own_costs = [
        item.amount
        for item in data.items
        if item.component == "reminder_cost" and item.charged_by_this_letter
    ]
    own_cost = sum(own_costs, ZERO)
    payment = data.payment
    return {
        "language": language,
        "kind": data.kind.value,
        "date": day(data.date),
        "reference": data.reference,
        "agency": {
            "name": agency.name,
            "address_lines": list(agency.address.printed_lines()),
            "address_one_line": agency.address.one_line(),
            "enterprise_number": agency.enterprise_number,
            "fps_registration": agency.fps_registration,
            "phone": agency.phone,
            "email": agency.email,
            "website": agency.website,
            "iban": format_iban(agency.iban),
            "bic": agency.bic,
        },
        "creditor": {
            "name": creditor.name,
            "enterprise_number": creditor.enterprise_number,
            "address_one_line": creditor.address.one_line(),
            "phone": creditor.phone,
            "email": creditor.email,
            "capacity": creditor.capacity.value,
        },
        "debtor": {
            "name": debtor.name,
            "address_lines": list(debtor.address.printed_lines()),
            "address_one_line": debtor.address.one_line(),
        },
        "recipient": {
            "lines": [
                data.recipient_name,
                *(recipient_address.printed_lines() if recipient_address else ()),
            ]
        },
        "claims": [
            {
                "invoice_number": claim.invoice_number,
                "description": claim.description,
                "invoice_date": day(claim.invoice_date),
                "due_date": day(claim.due_date),
                "amount": eur(claim.amount),
                "time_barred": claim.time_barred,
            }
            for claim in data.claims
        ],
        "items": [
            {
                "component": item.component,
                "label": item.label,
                "legal_basis": item.legal_basis,
                "amount": eur(item.amount),
            }
            for item in data.items
        ],
        "total": eur(data.total),
        "has_balance": data.total > 0,
        "payment": {
            "beneficiary": payment.beneficiary,
            "iban": format_iban(payment.iban),
            "bic": payment.bic,
            "amount": eur(payment.amount),
            "communication": format_structured_communication(payment.structured_communication),
        }
        if payment is not None
        else None,
        "instalments": [
            {
                "number": str(instalment.number),
                "due_date": day(instalment.due_date),
                "amount": eur(instalment.amount),
                "communication": format_structured_communication(
                    instalment.structured_communication
                ),
            }
            for instalment in data.instalments
        ],
        "proof": {
            "accepted": data.proof.accepted,
            "reason": data.proof.reason,
            "received_on": day(data.proof.received_on),
        }
        if data.proof is not None
        else None,
        "dispute": {
            "received_on": day(data.dispute.received_on),
            "reason": data.dispute.reason,
            "upheld": data.dispute.upheld,
            "outcome": data.dispute.outcome,
        }
        if data.dispute is not None
        else None,
        "damages": {
            "indemnity": eur(data.future_damages.indemnity)
            if data.future_damages.indemnity > 0
            else None,
            "interest_rate": format_percent(data.future_damages.interest_rate, language)
            if data.future_damages.interest_rate is not None
            else None,
            "legal_rate": data.future_damages.legal_rate,
        }
        if data.future_damages is not None
        else None,
        "grace_period_end": day(data.grace_period_end),
        "waiting_period_end": day(data.waiting_period_end),
        "pay_by": day(data.pay_by),
        "admissibility_date": day(data.admissibility_date),
        "mediator": {
            "name": data.mediator.name,
            "case_reference": data.mediator.case_reference,
        }
        if data.mediator is not None
        else None,
        "portal": {
            "url": data.portal_url,
            "reference": data.reference,
            "access_code": data.access_code,
        }
        if data.portal_url and data.access_code
        else None,
        "authority": {
            "name": SUPERVISORY_AUTHORITY.name[language],
            "address": SUPERVISORY_AUTHORITY.address[language],
            "website": SUPERVISORY_AUTHORITY.website,
        },
        "reminder_cap": eur(REMINDER_COST_FLAT),
        "own_reminder_cost": eur(own_cost) if own_costs else None,
        # The postage is named only when there is some (a reminder by e-mail has none).
        "own_reminder_flat": eur(own_cost - data.postage) if own_costs else None,
        "own_reminder_postage": eur(data.postage) if own_costs and data.postage > 0 else None,
    }
