"""Finding a file by what a caller or a bank statement gives: a file number, a structured
communication, a name, an e-mail address, a phone number, an IBAN the debtor paid from."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet, Value
from django.db.models.functions import Lower
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from amicable.domain.references import classify_reference
from amicable.files.models import (
    Claim,
    File,
)
from amicable.files.numbers import (
    file_number_from_structured_communication,
    is_file_reference,
    normalize_file_reference,
)

__all__ = ["SEARCH_LIMIT", "SearchHit", "search_files", "search_queries"]

SEARCH_LIMIT = 50


@dataclass(frozen=True, slots=True)
class SearchHit:
    file: File
    matched_on: str


def _as_iban(text: str) -> str | None:
    compact = "".join(text.split()).upper()
    if not (15 <= len(compact) <= 34 and compact[:2].isalpha()):
        return None
    try:
        return str(IBAN(compact).compact)
    except SchwiftyException:
        return None


def _files_paid_from(iban: str) -> QuerySet[File]:
    """Files of the debtors who paid from ``iban`` (the accounts the statement import learnt,
    ``payments.DebtorAccount``, looked up by its indexed IBAN)."""
    return File.objects.filter(debtor__bank_accounts__iban=iban)


def search_files(query: str) -> list[SearchHit]:
    """Files found by file number, structured communication (any printed form), IBAN, e-mail,
    creditor reference (of the file or of one of its invoices), or debtor name.

    Each exact form is looked up through a unique or indexed column or expression (the indexes
    of ``files.models``); the name search is a case-insensitive substring match.
    """
    hits: dict[int, SearchHit] = {}
    for matched_on, files in search_queries(query):
        for file in files:
            hits.setdefault(file.pk, SearchHit(file=file, matched_on=matched_on))
        if len(hits) >= SEARCH_LIMIT:
            break
    return list(hits.values())[:SEARCH_LIMIT]


def search_queries(query: str) -> list[tuple[str, QuerySet[File]]]:
    """The queries :func:`search_files` runs for ``query``, in order, each with what it matches
    on: apart so that a test can ask the database how it runs them (which index it uses)."""
    text = query.strip()
    if not text:
        return []
    lookups: list[tuple[str, QuerySet[File]]] = []
    reference = normalize_file_reference(text)
    if is_file_reference(reference):
        lookups.append(("file number", File.objects.filter(reference=reference)))
    structured = classify_reference(text)
    if structured is not None and structured.kind == "ogm":
        # An instalment's communication names its file too (amicable.files.numbers).
        number, _ = file_number_from_structured_communication(structured.value)
        lookups.append(("structured communication", File.objects.filter(number=number)))
    iban = _as_iban(text)
    if iban is not None:
        lookups.append(("IBAN", _files_paid_from(iban)))
    if "@" in text:
        # lower(email) = lower(text): the expression of the index debtor_email_lower_idx
        # (``email__iexact`` would compare UPPER(...) on PostgreSQL, which no index holds).
        lookups.append(
            (
                "e-mail",
                File.objects.alias(debtor_email=Lower("debtor__email")).filter(
                    debtor_email=Lower(Value(text))
                ),
            )
        )
    lookups.append(("creditor reference", File.objects.filter(creditor_reference=text)))
    lookups.append(
        (
            "invoice reference",
            File.objects.filter(
                pk__in=Claim.objects.filter(creditor_reference=text).values("file_id")
            ),
        )
    )
    if len(text) >= 2 and not text.replace(" ", "").isdigit() and "@" not in text:
        lookups.append(("debtor name", File.objects.filter(debtor__name__icontains=text)))
    return [
        (
            matched_on,
            files.select_related("creditor", "debtor").order_by("-opened_on", "-id")[:SEARCH_LIMIT],
        )
        for matched_on, files in lookups
    ]
