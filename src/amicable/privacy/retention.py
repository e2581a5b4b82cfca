"""Erasing personal data when its retention period is over (docs/legal.md, section 7), every
day, by ``amicable apply-retention``.

The periods and the day each one ends are the domain's (:mod:`amicable.domain.retention`):
7 years after a file is closed paid, 1 year after it is closed unpaid or withdrawn, 1 year for
what is tied to no file. What erasure does:

- **a file** whose period is over: its documents' content is deleted from storage (the rows
  stay, marked erased, with their kind, size and fingerprint); the letters' address and printed
  content, the e-mails' address and text, the notes of calls, the explanations of disputes and
  their outcomes, the notes of payment plans, what work items carried, the payer's name,
  account and communication of its bank movements and refunds are emptied; its events are
  pseudonymised (``files.timeline.pseudonymise_events``); the records of staff reading it go;
  the file keeps its reference, creditor, claims and every amount of its ledger, which is
  append-only and never touched: the accounts stay whole, anonymised. Its portal access code
  stops working;
- **a debtor** whose every file is erased (or erased today): name, address, e-mail, phone,
  birth date, the mediator's contact and the creditor's customer reference are replaced, the
  bank accounts they paid from and their declarations' contact details go;
- **what is tied to no file**, a year after it was recorded: phishing reports (the message,
  its sender, the reporter's address), bank movements no file claimed once settled (payer,
  account, communication; one still waiting for an agent is kept), the printer's file of a post
  run and its manifest, the counters of throttles and sign-in failures, the address and typed
  user name of staff sign-in events, the outcome written on work items of no file.

Set-based, for a million files: the files whose period is over are taken a thousand at a time
(by id), each batch in one transaction with a fixed number of statements, whatever its size.
Rerunning the same day, or after an interruption, erases nothing twice. A dry run counts what
each step would change and writes nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.files.storage import Storage
from django.db import models, transaction
from django.db.models import CharField, Exists, Min, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from amicable.disputes.models import Declaration, Dispute
from amicable.domain.lifecycle import FileState
from amicable.domain.retention import Retention, last_start_due
from amicable.files.models import Debtor, Document, Event, File, WorkItem, WorkItemKind
from amicable.files.timeline import (
    ERASED,
    EventKind,
    EventRow,
    has_personal_data,
    pseudonymise_events,
    record_events,
    to_pseudonymise,
)
from amicable.letters.models import ContactAttempt, OutgoingEmail, PostBatch, SentLetter
from amicable.payments.models import (
    BankMovementRecord,
    DebtorAccount,
    MovementAssignment,
    MovementStatus,
    Refund,
    RefundStatus,
)
from amicable.phishing.models import PhishingReport
from amicable.plans.models import PaymentPlan
from amicable.privacy.models import FileRead
from amicable.security.models import ThrottleKey

__all__ = [
    "ACTOR",
    "DEFAULT_BATCH_SIZE",
    "RetentionReport",
    "apply_retention",
    "register_throttle_records",
]

DEFAULT_BATCH_SIZE = 1000
#: How the retention run appears on the timeline.
ACTOR = "retention"

#: The tables of attempts counted by ``amicable.security.throttle`` (fields ``scope``, ``key``,
#: ``at``), declared by the apps that own them (the portal's and the back office's sign-ins),
#: with the name the report gives their rows. They hold addresses and typed user names.
_THROTTLE_RECORDS: dict[type[models.Model], str] = {}

#: The kinds of event with personal data beyond their message.
_PERSONAL_KINDS = sorted(kind.value for kind in EventKind if has_personal_data(kind))
#: A bank movement without its payer: name, account, bank, what they wrote, the files an agent
#: was offered for it (each with its debtor's name).
_NO_PAYER: dict[str, object] = {
    "counterparty_name": "",
    "counterparty_account": "",
    "counterparty_bic": "",
    "communication": "",
    "information": "",
    "suggestions": [],
}
#: Movements an agent still has to decide on: their payer is needed to pay them back.
_WAITING = (MovementStatus.NEW, MovementStatus.UNMATCHED, MovementStatus.TO_REFUND)


def register_throttle_records(model: type[models.Model], *, label: str) -> None:
    """Declare a table of throttle attempts, erased a year after each attempt."""
    _THROTTLE_RECORDS[model] = label


@dataclass
class RetentionReport:
    today: date
    dry_run: bool
    #: What was (or, in a dry run, would be) erased, per kind of record.
    counts: Counter[str] = field(default_factory=Counter)


def apply_retention(
    *, today: date, dry_run: bool = False, batch_size: int = DEFAULT_BATCH_SIZE
) -> RetentionReport:
    """Erase the personal data whose retention period is over on ``today``."""
    report = RetentionReport(today=today, dry_run=dry_run)
    _Run(today=today, dry_run=dry_run, counts=report.counts).files(batch_size)
    _Run(today=today, dry_run=dry_run, counts=report.counts).no_file()
    return report


def _start_of(day: date) -> datetime:
    """Midnight at the start of ``day`` where the agency is (Europe/Brussels)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _closed_by(state: FileState, last: date) -> Q:
    """Files in ``state`` closed on or before ``last`` (by the day they entered the state when
    the closing day is unknown)."""
    return Q(state=state) & (
        Q(closed_on__lte=last)
        | Q(closed_on__isnull=True, state_since__lt=_start_of(last + timedelta(days=1)))
    )


def due_files(today: date) -> Q:
    """The files not yet erased whose retention period is over on ``today``."""
    return Q(erased_on__isnull=True) & (
        _closed_by(FileState.PAID, last_start_due(Retention.PAID_FILE, today))
        | _closed_by(FileState.CLOSED, last_start_due(Retention.CLOSED_FILE, today))
    )


def _storage() -> Storage:
    return Document._meta.get_field("content").storage


@dataclass
class _Run:
    today: date
    dry_run: bool
    counts: Counter[str]
    now: datetime = field(default_factory=timezone.now)
    #: Debtors counted already (a dry run erases nothing, so a debtor with files in two
    #: batches would otherwise be counted twice).
    debtors_seen: set[int] = field(default_factory=set)

    def change(self, label: str, rows: QuerySet[models.Model], **values: object) -> int:
        """Set ``values`` on ``rows`` (count them in a dry run); count under ``label``."""
        changed = rows.count() if self.dry_run else rows.update(**values)
        self.counts[label] += changed
        return changed

    def delete(self, label: str, rows: QuerySet[models.Model]) -> None:
        self.counts[label] += rows.count() if self.dry_run else rows.delete()[0]

    def erase_documents(self, documents: QuerySet[Document]) -> None:
        """Delete the documents' content from storage; the rows stay, marked erased."""
        self.drop_stored("documents", documents, "content", erased_at=self.now, original_name="")

    def drop_stored(
        self, label: str, rows: QuerySet[models.Model], *fields: str, **values: object
    ) -> None:
        """Delete the stored files of ``fields`` of ``rows`` from storage, then empty the fields.

        Deleted before the rows say so: if the transaction rolls back, the rows are erased
        again on the next run (deleting what is gone already is nothing), and no file of a
        person is ever left in storage that no row names. ``values`` are set with the fields.
        """
        if self.dry_run:
            self.counts[label] += rows.count()
            return
        storage = _storage()
        for names in rows.exclude(**dict.fromkeys(fields, "")).values_list(*fields):
            for name in names:
                if name:
                    storage.delete(name)
        self.counts[label] += rows.update(**dict.fromkeys(fields, ""), **values)

    # --- files ---------------------------------------------------------------------------------

    def files(self, batch_size: int) -> None:
        due = due_files(self.today)
        last_id = 0
        while True:
            ids = list(
                File.objects.filter(due, pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return
            last_id = ids[-1]
            if self.dry_run:
                self.erase_files(ids)
                continue
            with transaction.atomic():
                # Locked and checked again: a file reopened meanwhile (a payment returned) is
                # no longer due.
                ids = list(
                    File.objects.select_for_update()
                    .filter(due, pk__in=ids)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
                self.erase_files(ids)

    def erase_files(self, ids: list[int]) -> None:
        files = File.objects.filter(pk__in=ids)
        states = dict(files.values_list("pk", "state"))
        debtor_ids = self.due_debtors(ids)
        self.erase_documents(Document.objects.filter(file_id__in=ids, erased_at__isnull=True))
        self.change("letters", SentLetter.objects.filter(file_id__in=ids), address="", content={})
        self.change(
            "e-mails",
            OutgoingEmail.objects.filter(file_id__in=ids),
            to="",
            subject="",
            text_body="",
            html_body="",
            last_error="",
        )
        self.change(
            "notes of calls",
            ContactAttempt.objects.filter(file_id__in=ids).exclude(note=""),
            note="",
        )
        self.change("disputes", Dispute.objects.filter(file_id__in=ids), explanation="", outcome="")
        self.change(
            "payment plans",
            PaymentPlan.objects.filter(file_id__in=ids),
            note="",
            answer_note="",
        )
        self.change("work items", WorkItem.objects.filter(file_id__in=ids), data={}, outcome="")
        self.change(
            "bank movements",
            BankMovementRecord.objects.filter(Q(file_id__in=ids) | Q(pk__in=self.splits(ids))),
            **_NO_PAYER,
        )
        self.change("refunds", Refund.objects.filter(file_id__in=ids), iban="", name="")
        self.events(Event.objects.filter(file_id__in=ids))
        self.delete("records of staff reading a file", FileRead.objects.filter(file_id__in=ids))
        self.erase_debtors(debtor_ids)
        for state, label in (
            (FileState.PAID, "files closed paid (7 years)"),
            (FileState.CLOSED, "files closed unpaid or withdrawn (1 year)"),
        ):
            self.change(
                label,
                files.filter(state=state),
                erased_on=self.today,
                access_code_hash="",
                closed_reason="",
                suspension_reason="",
            )
        if not self.dry_run:
            retention = {
                FileState.PAID: Retention.PAID_FILE,
                FileState.CLOSED: Retention.CLOSED_FILE,
            }
            record_events(
                EventRow(
                    pk,
                    EventKind.PERSONAL_DATA_ERASED,
                    ACTOR,
                    "",
                    {"retention": retention[FileState(state)].value},
                )
                for pk, state in sorted(states.items())
            )

    def due_debtors(self, ids: list[int]) -> list[int]:
        """The debtors of these files none of whose other files is still kept."""
        kept = File.objects.filter(debtor_id=OuterRef("pk"), erased_on__isnull=True).exclude(
            due_files(self.today)
        )
        debtors = list(
            Debtor.objects.filter(
                pk__in=File.objects.filter(pk__in=ids).values("debtor_id"), erased_on__isnull=True
            )
            .exclude(Exists(kept))
            .exclude(pk__in=self.debtors_seen)
            .values_list("pk", flat=True)
        )
        if self.dry_run:
            self.debtors_seen.update(debtors)
        return debtors

    def splits(self, ids: list[int]) -> QuerySet[BankMovementRecord, int]:
        """Movements split over several files, erased with the batch of their first file once
        none of their files is kept."""
        kept = MovementAssignment.objects.filter(
            movement_id=OuterRef("pk"), file__erased_on__isnull=True
        ).exclude(file__in=File.objects.filter(due_files(self.today)))
        return (
            BankMovementRecord.objects.filter(
                pk__in=MovementAssignment.objects.filter(file_id__in=ids).values("movement_id"),
                file__isnull=True,
            )
            .annotate(first_file=Min("assignments__file_id"))
            .filter(first_file__in=ids)
            .exclude(Exists(kept))
            .values_list("pk", flat=True)
        )

    def erase_debtors(self, ids: list[int]) -> None:
        debtors = Debtor.objects.filter(pk__in=ids)
        self.delete("bank accounts of debtors", DebtorAccount.objects.filter(debtor_id__in=ids))
        self.change(
            "declarations",
            Declaration.objects.filter(debtor_id__in=ids),
            mediator_name="",
            mediator_organisation="",
            mediator_email="",
            mediator_phone="",
            court_reference="",
        )
        self.change(
            "debtors",
            debtors,
            name=ERASED,
            address="",
            postal_code="",
            city="",
            email="",
            phone="",
            birth_date=None,
            mediator_name="",
            mediator_organisation="",
            mediator_email="",
            mediator_phone="",
            # Unique per creditor: each debtor keeps one of its own, which says nothing.
            customer_reference=Concat(Value(f"{ERASED}-"), Cast("pk", CharField())),
            erased_on=self.today,
        )

    def events(self, events: QuerySet[Event]) -> None:
        """Pseudonymise ``events`` (those with anything left to take out)."""
        left = events.filter(to_pseudonymise())
        if self.dry_run:
            self.counts["events"] += left.count()
            return
        last_id = 0
        while ids := list(
            left.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:5000]
        ):
            last_id = ids[-1]
            self.counts["events"] += pseudonymise_events(ids)

    # --- what is tied to no file ---------------------------------------------------------------

    def no_file(self) -> None:
        last = last_start_due(Retention.NO_FILE, self.today)
        before = _start_of(last + timedelta(days=1))
        self.change(
            "phishing reports",
            PhishingReport.objects.filter(created_at__lt=before).exclude(
                content="", sender="", reporter_email=""
            ),
            content="",
            sender="",
            reporter_email="",
        )
        with transaction.atomic():
            self.movements_of_no_file(last)
        self.drop_stored(
            "post runs",
            PostBatch.objects.filter(date__lte=last).exclude(pdf="", manifest=""),
            "pdf",
            "manifest",
        )
        for model, label in sorted(_THROTTLE_RECORDS.items(), key=lambda item: item[1]):
            self.delete(label, model._default_manager.filter(at__lt=before))
        self.delete("throttle keys", self.unused_throttle_keys())
        # Staff sign-ins and their failures: the address, and a user name typed by anyone.
        self.events(
            Event.objects.filter(file__isnull=True, at__lt=before, kind__in=_PERSONAL_KINDS)
        )
        self.change(
            "work items of no file",
            WorkItem.objects.filter(file__isnull=True, closed_at__lt=before).exclude(outcome=""),
            outcome="",
        )

    def movements_of_no_file(self, last: date) -> None:
        movements = (
            BankMovementRecord.objects.filter(
                file__isnull=True, booking_date__lte=last, assignments__isnull=True
            )
            .exclude(status__in=_WAITING)
            .exclude(**_NO_PAYER)
        )
        ids = list(movements.values_list("pk", flat=True))
        # The queue's title named the payer.
        self.change(
            "work items of no file",
            WorkItem.objects.filter(kind=WorkItemKind.UNMATCHED_MOVEMENT, data__movement__in=ids),
            title="Bank movement: payer erased",
        )
        self.change(
            "refunds",
            Refund.objects.filter(file__isnull=True, movement_id__in=ids)
            .exclude(status=RefundStatus.PENDING)
            .exclude(iban="", name=""),
            iban="",
            name="",
        )
        self.change(
            "bank movements tied to no file",
            BankMovementRecord.objects.filter(pk__in=ids),
            **_NO_PAYER,
        )

    def unused_throttle_keys(self) -> QuerySet[ThrottleKey]:
        """Throttle keys (named after an address or a user name) with no attempt left.

        A claim that finds its key deleted under it between its insert and its lock would go
        unserialized with a parallel claim once: at most one check more, never more.
        """
        keys = ThrottleKey.objects.none()
        for model in _THROTTLE_RECORDS:
            label = f"{model._meta.label}:"
            used = model._default_manager.annotate(
                name=Concat(Value(label), "scope", Value(":"), "key", output_field=CharField())
            ).filter(name=OuterRef("name"))
            keys |= ThrottleKey.objects.filter(name__startswith=label).exclude(Exists(used))
        return keys
