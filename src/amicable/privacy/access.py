"""Everything held about a debtor, as one ZIP they download from the portal (GDPR art. 15;
docs/legal.md, section 7).

The archive holds, for the files the portal shows the debtor together (passed in by the
portal, which decides that grouping):

- ``README.txt``: what each part is, the retention periods and the debtor's rights, in the
  debtor's language;
- ``debtor.json``: the debtor's records as each creditor gave them, the bank accounts they
  paid from, their declarations of debt mediation or collective debt settlement;
- ``files/<reference>/file.json``: each file with its creditor, claims, balance, every ledger
  entry and allocation, payment plans, disputes, requests for documents, letters, documents,
  e-mails and the history meant for the debtor (``files.history``);
- ``files/<reference>/letters/*.pdf``: the letters as archived, byte for byte;
- ``files/<reference>/documents/*``: the documents the creditor or the debtor uploaded.

Amounts are strings with two decimals and a point, dates and times ISO 8601. What is the
agency's own (notes, calls, sign-ins and their addresses, staff names) is not about the debtor's
debt and stays out, as the timeline's audiences say.

The ZIP is written as it is sent (:func:`archive_chunks`): one file's records at a time, each
document copied in chunks, so the memory used does not grow with the documents' sizes.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.disputes.models import Declaration, Dispute, DocumentRequest
from amicable.domain.money import plain_amount
from amicable.domain.references import ogm_format
from amicable.files.documents import DEBTOR_UPLOADER
from amicable.files.history import debtor_history
from amicable.files.ledger import file_balance
from amicable.files.models import Allocation, Debtor, Document, File, LedgerEntry
from amicable.files.timeline import EventKind, EventRow, record_events
from amicable.letters.models import OutgoingEmail, SentLetter
from amicable.payments.models import DebtorAccount
from amicable.plans.models import Instalment, PaymentPlan

__all__ = ["archive_chunks", "archive_name", "record_download"]

#: How much of a document is read at once.
CHUNK = 64 * 1024


def archive_name(today: date) -> str:
    """The name the download is saved under."""
    return f"personal-data-{today.isoformat()}.zip"


def record_download(*, files: Sequence[File], actor: str) -> None:
    """Put the download on the timeline of every file it covers (the debtor reads it there)."""
    references = [file.reference for file in files]
    record_events(
        EventRow(file.pk, EventKind.PERSONAL_DATA_DOWNLOADED, actor, "", {"files": references})
        for file in files
    )


# --- the parts ---------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else plain_amount(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _safe_name(name: str) -> str:
    """A name that every system can unpack: letters, digits, dots, dashes."""
    return _UNSAFE.sub("-", name).strip("-.")[:80] or "document"


def _debtor(debtor: Debtor) -> dict[str, Any]:
    return {
        "creditor": debtor.creditor.name,
        "customer_reference": debtor.customer_reference,
        "name": debtor.name,
        "address": debtor.address,
        "postal_code": debtor.postal_code,
        "city": debtor.city,
        "country": debtor.country,
        "language": debtor.language,
        "email": debtor.email,
        "phone": debtor.phone,
        "birth_date": _day(debtor.birth_date),
        "over_indebtedness": debtor.over_indebtedness,
        "mediator_name": debtor.mediator_name,
        "mediator_organisation": debtor.mediator_organisation,
        "mediator_email": debtor.mediator_email,
        "mediator_phone": debtor.mediator_phone,
        "admissibility_date": _day(debtor.admissibility_date),
        "received_at": debtor.created_at.isoformat(),
    }


def _debtor_part(files: Sequence[File]) -> bytes:
    debtor_ids = sorted({file.debtor_id for file in files})
    debtors = Debtor.objects.filter(pk__in=debtor_ids).select_related("creditor").order_by("pk")
    accounts = DebtorAccount.objects.filter(debtor_id__in=debtor_ids).order_by("first_seen_on")
    declarations = (
        Declaration.objects.filter(debtor_id__in=debtor_ids)
        .prefetch_related(Prefetch("files", queryset=File.objects.order_by("pk")))
        .order_by("declared_on", "pk")
    )
    return _json(
        {
            "debtors": [_debtor(debtor) for debtor in debtors],
            "bank_accounts": [
                {"iban": a.iban, "first_seen_on": _day(a.first_seen_on)} for a in accounts
            ],
            "declarations": [
                {
                    "kind": d.kind,
                    "files": [file.reference for file in d.files.all()],
                    "mediator_name": d.mediator_name,
                    "mediator_organisation": d.mediator_organisation,
                    "mediator_email": d.mediator_email,
                    "mediator_phone": d.mediator_phone,
                    "admissibility_date": _day(d.admissibility_date),
                    "court_reference": d.court_reference,
                    "declared_on": _day(d.declared_on),
                }
                for d in declarations
            ],
        }
    )


@dataclass(frozen=True, slots=True)
class _Stored:
    """A stored PDF or upload to copy into the archive, under ``path``."""

    path: str
    document: Document


def _keep(stored: list[_Stored], document: Document, path: str) -> str | None:
    """Where ``document`` goes in the archive (noted in ``stored``); None when its content was
    erased at the end of its retention period."""
    if document.is_erased:
        return None
    stored.append(_Stored(path=path, document=document))
    return path


def _balance(file: File, *, today: date) -> dict[str, Any]:
    balance = file_balance(file, as_of=today)
    return {
        "as_of": today.isoformat(),
        "principal": _amount(balance.principal),
        "indemnity": _amount(balance.indemnity),
        "interest": _amount(balance.interest),
        "reminder_costs": _amount(balance.reminder_costs),
        "paid": _amount(balance.paid),
        "credit": _amount(balance.credit),
        "outstanding": _amount(balance.outstanding),
    }


def _ledger(file: File) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entries = [
        {
            "id": e.pk,
            "kind": e.kind,
            "component": e.component,
            "claim": e.claim.creditor_reference if e.claim else None,
            "amount": _amount(e.amount),
            "value_date": _day(e.value_date),
            "booked_at": e.booked_at.isoformat(),
            "period_start": _day(e.period_start),
            "period_end": _day(e.period_end),
            "reverses": e.reverses_id,
            "note": e.note,
        }
        for e in LedgerEntry.objects.filter(file=file)
        .select_related("claim")
        .order_by("value_date", "pk")
    ]
    allocations = [
        {
            "entry": a.entry_id,
            "claim": a.claim.creditor_reference,
            "component": a.component,
            "amount": _amount(a.amount),
            "value_date": _day(a.value_date),
        }
        for a in Allocation.objects.filter(file=file)
        .select_related("claim")
        .order_by("value_date", "pk")
    ]
    return entries, allocations


def _plans(file: File) -> list[dict[str, Any]]:
    plans = PaymentPlan.objects.filter(file=file).prefetch_related(
        Prefetch("instalments", queryset=Instalment.objects.order_by("number"))
    )
    return [
        {
            "status": p.status,
            "instalment_count": p.instalment_count,
            "first_due_on": _day(p.first_due_on),
            "total": _amount(p.total),
            "requested_on": _day(p.requested_on),
            "agreed_on": _day(p.agreed_on),
            "your_note": p.note,
            "our_answer": p.answer_note,
            "ended_on": _day(p.ended_on),
            "instalments": [
                {
                    "number": i.number,
                    "due_on": _day(i.due_on),
                    "amount": _amount(i.amount),
                    "structured_communication": ogm_format(i.structured_communication),
                }
                for i in p.instalments.all()
            ],
        }
        for p in plans.order_by("requested_on", "pk")
    ]


def _disputes(file: File) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    disputes = [
        {
            "reason": d.reason,
            "explanation": d.explanation,
            "status": d.status,
            "opened_on": _day(d.opened_on),
            "resolved_on": _day(d.resolved_on),
            "outcome": d.outcome,
            "evidence": sorted(document.pk for document in d.evidence.all()),
        }
        for d in Dispute.objects.filter(file=file).prefetch_related("evidence").order_by("pk")
    ]
    requests = [
        {
            "kinds": r.kinds,
            "status": r.status,
            "requested_on": _day(r.requested_on),
            "answered_on": _day(r.answered_on),
        }
        for r in DocumentRequest.objects.filter(file=file).order_by("pk")
    ]
    return disputes, requests


def _letters(file: File) -> tuple[list[dict[str, Any]], list[_Stored]]:
    rows: list[dict[str, Any]] = []
    stored: list[_Stored] = []
    for letter in (
        SentLetter.objects.filter(file=file)
        .select_related("document")
        .order_by("letter_date", "pk")
    ):
        path = f"files/{file.reference}/letters/{letter.letter_date}-{letter.kind}-{letter.pk}.pdf"
        rows.append(
            {
                "kind": letter.kind,
                "letter_date": _day(letter.letter_date),
                "channel": letter.channel,
                "recipient": letter.recipient,
                "language": letter.language,
                "pages": letter.pages,
                "sha256": letter.sha256,
                "pdf": _keep(stored, letter.document, path),
            }
        )
    return rows, stored


def _documents(file: File) -> tuple[list[dict[str, Any]], list[_Stored]]:
    rows: list[dict[str, Any]] = []
    stored: list[_Stored] = []
    documents = (
        Document.objects.filter(file=file)
        .filter(sent_letter__isnull=True)
        .order_by("uploaded_at", "pk")
    )
    for document in documents:
        path = (
            f"files/{file.reference}/documents/{document.pk}-{_safe_name(document.original_name)}"
        )
        rows.append(
            {
                "id": document.pk,
                "kind": document.kind,
                "name": document.original_name,
                "sent_by_you": document.uploaded_by == DEBTOR_UPLOADER,
                "uploaded_at": document.uploaded_at.isoformat(),
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.sha256,
                "review_status": document.review_status,
                "content": _keep(stored, document, path),
            }
        )
    return rows, stored


def _emails(file: File) -> list[dict[str, Any]]:
    return [
        {
            "to": e.to,
            "subject": e.subject,
            "status": e.status,
            "queued_at": e.created_at.isoformat(),
            "sent_at": e.sent_at.isoformat() if e.sent_at else None,
            "text": e.text_body,
        }
        for e in OutgoingEmail.objects.filter(file=file).order_by("created_at", "pk")
    ]


def _file_part(file: File, *, today: date) -> tuple[bytes, list[_Stored]]:
    entries, allocations = _ledger(file)
    disputes, requests = _disputes(file)
    letters, letter_pdfs = _letters(file)
    documents, uploads = _documents(file)
    record = {
        "reference": file.reference,
        "creditor": {
            "name": file.creditor.name,
            "enterprise_number": file.creditor.enterprise_number,
        },
        "creditor_reference": file.creditor_reference,
        "state": file.state,
        "structured_communication": ogm_format(file.structured_communication),
        "opened_on": _day(file.opened_on),
        "closed_on": _day(file.closed_on),
        "balance": _balance(file, today=today),
        "claims": [
            {
                "creditor_reference": c.creditor_reference,
                "description": c.description,
                "invoice_date": _day(c.invoice_date),
                "due_date": _day(c.due_date),
                "principal": _amount(c.principal),
                "first_reminder_sent_on": _day(c.first_reminder_sent_on),
                "grace_last_day": _day(c.grace_last_day),
                "interest_applies": c.interest_applies,
                "interest_rate": None
                if c.applied_interest_rate is None
                else f"{c.applied_interest_rate:f}",
            }
            for c in file.claims.order_by("due_date", "pk")
        ],
        "ledger": entries,
        "allocations": allocations,
        "payment_plans": _plans(file),
        "disputes": disputes,
        "document_requests": requests,
        "letters": letters,
        "documents": documents,
        "emails": _emails(file),
        "history": [
            {"at": entry.at.isoformat(), "kind": entry.kind, "text": entry.text}
            for entry in debtor_history(file, newest_first=False)
        ],
    }
    return _json(record), letter_pdfs + uploads


def _readme(files: Sequence[File], *, today: date, contents: Iterable[str]) -> bytes:
    """The index, in the active language."""
    agency = settings.AMICABLE_AGENCY
    lines = [
        _("The personal data %(agency)s holds about you") % {"agency": agency["name"]},
        "",
        _("Prepared on %(date)s for your files %(files)s.")
        % {"date": today.strftime("%d/%m/%Y"), "files": ", ".join(f.reference for f in files)},
        "",
        "debtor.json",
        "  "
        + _(
            "Who you are, as each creditor told us: name, address, language, e-mail, phone, "
            "birth date; the bank accounts you paid from; your declarations of debt mediation "
            "or collective debt settlement."
        ),
        "files/<file>/file.json",
        "  "
        + _(
            "Each file: the creditor, the invoices, what the file owes today, every amount "
            "charged or paid and how each payment was split, payment plans, disputes, requests "
            "for documents, letters, documents, e-mails, and the history of the file."
        ),
        "files/<file>/letters/",
        "  " + _("The letters we sent you, as PDF, exactly as they were sent."),
        "files/<file>/documents/",
        "  " + _("The documents of the file: those the creditor gave us and those you sent us."),
        "",
        _(
            "Amounts are in euro, written with two decimals and a point (1234.50). Dates are "
            "written year-month-day (2025-06-16), times with their offset from UTC."
        ),
        _(
            "We keep a file's data 7 years after it is closed paid (our accounting records), and "
            "1 year after it is closed otherwise; then your personal data is erased and only the "
            "amounts are kept."
        ),
        _(
            "You may ask us to correct what is wrong, or to erase or stop using what we may not "
            "keep: write to %(email)s or call %(phone)s. You may also complain to the Data "
            "Protection Authority (www.dataprotectionauthority.be)."
        )
        % {"email": agency["email"], "phone": agency["phone"]},
        "",
        _("Contents of this archive:"),
        *(f"  {name}" for name in contents),
        "",
    ]
    return "\n".join(lines).encode()


# --- the archive, as it is sent ---------------------------------------------------------------


class _Pipe(io.RawIOBase):
    """Where the ZIP is written: it holds what was written until it is taken and sent.

    It cannot seek, so ``zipfile`` writes each member's sizes after its data (data
    descriptors), and nothing has to be kept to go back to.
    """

    def __init__(self) -> None:
        super().__init__()
        self._chunks: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._chunks.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self._chunks)
        self._chunks.clear()
        return data


def _copy(archive: zipfile.ZipFile, pipe: _Pipe, stored: _Stored) -> Iterator[bytes]:
    with stored.document.content.open("rb") as source, archive.open(stored.path, "w") as target:
        while chunk := source.read(CHUNK):
            target.write(chunk)
            yield pipe.take()


def archive_chunks(*, files: Sequence[File], language: str, today: date) -> Iterator[bytes]:
    """The ZIP of everything held about the debtor of ``files``, in pieces as it is written.

    The README and the sentences of the history are in ``language``, the debtor's. Each file's
    records are built when their turn comes, so only one file's are ever held at once.
    """
    contents = ["README.txt", "debtor.json"]
    for file in files:
        contents.append(f"files/{file.reference}/file.json")
        contents.extend(s.path for s in _letters(file)[1] + _documents(file)[1])
    with translation.override(language):
        readme = _readme(files, today=today, contents=contents)
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", readme)
        archive.writestr("debtor.json", _debtor_part(files))
        yield pipe.take()
        for file in files:
            with translation.override(language):
                record, stored = _file_part(file, today=today)
            archive.writestr(f"files/{file.reference}/file.json", record)
            yield pipe.take()
            for each in stored:
                yield from _copy(archive, pipe, each)
    yield pipe.take()
