"""The dated statement of account a debtor downloads from the portal (journey 1).

The statement is a letter of kind ``statement_of_account`` (amicable.letters), built from the
ledger of the file on the day it is asked for and written in the debtor's language, never the
language of the page (letters follow the debtor's language). Its amount lines add up exactly to
the outstanding balance of the breakdown page: the principal, indemnity and reminder costs
charged (net of any reduction), the interest charged and accrued to that day, minus what each
payment received was used for (legal.md section 6: every allocation is stored). The figures go
through every check of the letters app (closed list and caps of CEL art. XIX.4); a statement
that would break one is not produced.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.domain.imputation import Component
from amicable.domain.mentions import AmountItem, LetterKind
from amicable.domain.money import ZERO
from amicable.domain.references import ogm_format
from amicable.files.ledger import file_balance
from amicable.files.models import Creditor, Debtor, File
from amicable.letters import data as letter
from amicable.letters.rendering import render_letter
from amicable.portal.selectors import list_transactions

__all__ = ["agency_for_letters", "statement_letter_data", "statement_pdf"]


def _address(street: str, postal_code: str, city: str, country: str = "BE") -> letter.PostalAddress:
    return letter.PostalAddress(
        lines=(street,),
        postal_code=postal_code,
        city=city,
        country="" if country == "BE" else country,
    )


def _enterprise_number(digits: str) -> str:
    """``0403170701`` as printed: ``0403.170.701`` (KBO/BCE)."""
    compact = "".join(ch for ch in digits if ch.isdigit())
    if len(compact) != 10:
        return digits
    return f"{compact[:4]}.{compact[4:7]}.{compact[7:]}"


def agency_for_letters() -> letter.Agency:
    """The agency of ``settings.AMICABLE_AGENCY`` as the sender of a letter.

    The address setting is one line, ``"street, postal code city"``.
    """
    agency = settings.AMICABLE_AGENCY
    street, _sep, place = agency["address"].rpartition(",")
    postal_code, _sep, city = place.strip().partition(" ")
    return letter.Agency(
        name=agency["name"],
        address=letter.PostalAddress(lines=(street.strip(),), postal_code=postal_code, city=city),
        enterprise_number=agency["enterprise_number"],
        fps_registration=agency["fps_economy_registration"],
        phone=agency["phone"],
        email=agency["email"],
        iban=agency["iban"],
        bic=agency["bic"],
    )


def _creditor(creditor: Creditor) -> letter.Creditor:
    return letter.Creditor(
        name=creditor.name,
        enterprise_number=_enterprise_number(creditor.enterprise_number),
        address=_address(creditor.address, creditor.postal_code, creditor.city),
        phone=creditor.phone,
        email=creditor.email,
        capacity=creditor.capacity,
    )


def _debtor(debtor: Debtor) -> letter.Debtor:
    return letter.Debtor(
        name=debtor.name,
        address=_address(debtor.address, debtor.postal_code, debtor.city, debtor.country),
    )


def _items(file: File, *, today: date, language: str) -> tuple[AmountItem, ...]:
    """The amount lines, in the debtor's language, that add up to the outstanding balance."""
    balance = file_balance(file, as_of=today)
    references = {c.pk: c.creditor_reference for c in file.claims.all()}
    items: list[AmountItem] = []
    with translation.override(language):
        for claim in balance.claims:
            principal = claim.charged[Component.PRINCIPAL]
            if principal:
                items.append(
                    AmountItem(
                        "principal",
                        _("Invoice %(reference)s") % {"reference": references[claim.claim_id]},
                        principal,
                    )
                )
        indemnity = sum((c.charged[Component.INDEMNITY] for c in balance.claims), ZERO)
        if indemnity:
            items.append(
                AmountItem(
                    "indemnity",
                    _("Lump-sum indemnity"),
                    indemnity,
                    _("Contract clause, within the cap of the Code of Economic Law, art. XIX.4."),
                )
            )
        interest = sum(
            (c.charged[Component.INTEREST] + c.interest_accrued for c in balance.claims), ZERO
        )
        if interest:
            items.append(
                AmountItem(
                    "interest",
                    _("Late interest"),
                    interest,
                    _("On the unpaid principal, within the cap of the law of 2 August 2002."),
                )
            )
        reminders = sum((c.charged[Component.REMINDER_COST] for c in balance.claims), ZERO)
        if reminders:
            items.append(AmountItem("reminder_cost", _("Reminder costs"), reminders))
        for payment in list_transactions(file):
            if payment.value_date > today or not payment.allocated:
                continue
            items.append(
                AmountItem(
                    "payment",
                    _("Payment received on %(date)s")
                    % {"date": payment.value_date.strftime("%d/%m/%Y")},
                    -payment.allocated,
                )
            )
    return tuple(items)


def _language(code: str) -> letter.Language:
    for language in letter.LANGUAGES:
        if language == code:
            return language
    raise ValueError(f"Unknown language {code!r}.")


def statement_letter_data(file: File, *, today: date) -> letter.LetterData:
    """The statement of ``file`` on ``today``, ready for :func:`render_letter`."""
    language = _language(file.debtor.language)
    agency = agency_for_letters()
    claims = list(file.claims.order_by("due_date", "id"))
    items = _items(file, today=today, language=language)
    total = sum((i.amount for i in items), ZERO)
    payment = None
    if total > 0:
        payment = letter.Payment(
            beneficiary=agency.name,
            iban=agency.iban,
            bic=agency.bic,
            amount=total,
            structured_communication=ogm_format(file.structured_communication),
        )
    return letter.LetterData(
        kind=LetterKind.STATEMENT_OF_ACCOUNT,
        language=language,
        date=today,
        reference=file.reference,
        agency=agency,
        creditor=_creditor(file.creditor),
        debtor=_debtor(file.debtor),
        claims=tuple(
            letter.Claim(
                invoice_number=c.creditor_reference,
                description=c.description,
                invoice_date=c.invoice_date,
                due_date=c.due_date,
                amount=c.principal,
            )
            for c in claims
        ),
        items=items,
        payment=payment,
        # The indemnity cap is the one on the principal claimed, as on the breakdown page.
        balance_for_cap=sum((c.principal for c in claims), Decimal("0.00")),
    )


def statement_pdf(file: File, *, today: date) -> bytes:
    """The PDF; raises ``amicable.letters.rendering.LetterRefused`` when a rule is broken."""
    return render_letter(statement_letter_data(file, today=today))
