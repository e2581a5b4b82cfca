"""Template filters for amounts and dates, the Belgian way, in the page's language."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django import template
from django.conf import settings
from django.forms import BoundField
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amicable.domain.money import format_eur
from amicable.files.models import DocumentKind, ReviewStatus
from amicable.letters.formatting import format_percent
from amicable.portal import figures

register = template.Library()

StrOrPromise = str | Promise

LANGUAGES = ("fr", "nl", "de", "en")


def current_language() -> str:
    language = (get_language() or "fr")[:2]
    return language if language in LANGUAGES else "fr"


@register.filter
def eur(amount: Decimal | None) -> str:
    """``1 234,56 €`` in French, ``€ 1.234,56`` in Dutch... (amicable.domain.money)."""
    if amount is None:
        return ""
    return format_eur(amount, current_language())


@register.filter
def bedate(value: date | None) -> str:
    """dd/mm/yyyy, the numeric date form used in Belgium in all four languages."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


@register.filter
def bedates(values: Iterable[date]) -> str:
    """Several dates in the form of :func:`bedate`, separated by commas."""
    return ", ".join(bedate(value) for value in values)


@register.filter
def rate(value: Decimal | None) -> str:
    """An interest rate as the language writes it (``10,5 %``, ``10,5%``, ``10.5%``), as the
    letters do (:func:`amicable.letters.formatting.format_percent`)."""
    if value is None:
        return ""
    return format_percent(value, current_language(), places=None)


@register.simple_tag
def law_figures() -> dict[str, str]:
    """The figures of the law the rights page quotes, written in the page's language."""
    return figures.law_figures(current_language())


@register.simple_tag
def agency() -> dict[str, str]:
    """The agency's identity (settings.AMICABLE_AGENCY), for the footer of every page."""
    return dict(settings.AMICABLE_AGENCY)


def _widget(field: BoundField, *, extra_id: str, invalid: bool) -> SafeString:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_help")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    if extra_id:
        ids.append(extra_id)
    attrs: dict[str, str | bool] = {}
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if invalid:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)


@register.filter
def described(field: BoundField, error_id: str = "") -> SafeString:
    """The field's widget with aria-describedby naming its help, its errors and ``error_id``
    (a page-level error about this field), and aria-invalid when there is an error.

    WCAG 2.2 (1.3.1, 3.3.1): a screen reader reads the error and the hint with the input.
    """
    return _widget(field, extra_id=error_id, invalid=bool(field.errors or error_id))


@register.filter
def noted(field: BoundField, note_id: str) -> SafeString:
    """The field's widget described also by ``note_id``, a note of the page that the person
    must read before filling it in (e.g. "a transfer order is not a proof")."""
    return _widget(field, extra_id=note_id, invalid=bool(field.errors))


DOCUMENT_KINDS: dict[str, StrOrPromise] = {
    DocumentKind.INVOICE: _("Invoice"),
    DocumentKind.CONTRACT: _("Contract"),
    DocumentKind.GENERAL_TERMS: _("General terms"),
    DocumentKind.PROOF_OF_PAYMENT: _("Proof of payment"),
    DocumentKind.DISPUTE_EVIDENCE: _("Evidence for your dispute"),
    DocumentKind.COURT_DECISION: _("Court decision"),
}

REVIEW_STATUSES: dict[str, StrOrPromise] = {
    ReviewStatus.NOT_REQUIRED: _("Received"),
    ReviewStatus.PENDING: _("Received, being checked by an agent"),
    ReviewStatus.ACCEPTED: _("Accepted"),
    ReviewStatus.REJECTED: _("Not accepted"),
    ReviewStatus.CONFIRMED: _("Confirmed by your bank payment"),
}


@register.filter
def document_kind(kind: str) -> str:
    """A document's kind in the page's language."""
    return str(DOCUMENT_KINDS.get(kind, _("Document")))


@register.filter
def review_status(status: str) -> str:
    """Where the review of an uploaded document stands, in the page's language."""
    return str(REVIEW_STATUSES.get(status, _("Received")))


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key)
