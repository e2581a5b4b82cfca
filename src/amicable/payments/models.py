"""Bank statements as imported, their movements, what each movement was matched to, and refunds.

A statement document is imported once (unique sha256) and a movement once (unique identity, the
same every time the same movement is read again, from the same document or from an overlapping
statement): importing twice books nothing twice (docs/architecture.md, invariant 3). Only the
payments app (``statement_import``, ``reconciliation`` and the modules they call,
``decisions``) writes these tables.
"""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amicable.files.models import Debtor, File, LedgerEntry


class StatementImport(models.Model):
    """One statement document as received from the bank (a CODA or camt.053 file), imported
    once."""

    sha256 = models.CharField(max_length=64, unique=True, verbose_name=_("SHA-256 fingerprint"))
    name = models.CharField(max_length=255, verbose_name=_("name"))
    format = models.CharField(max_length=10, verbose_name=_("format"))
    size = models.PositiveIntegerField(verbose_name=_("size"))
    imported_at = models.DateTimeField(auto_now_add=True, verbose_name=_("imported at"))
    imported_by = models.CharField(max_length=100, verbose_name=_("imported by"))
    # What the import did: counts per outcome, and the readers' integrity warnings.
    summary = models.JSONField(default=dict, blank=True, verbose_name=_("summary"))
    warnings = models.JSONField(default=list, blank=True, verbose_name=_("warnings"))

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")

    def __str__(self) -> str:
        return f"{self.name} ({self.format})"


class BankStatement(models.Model):
    """One statement of one account; the same statement sent again is stored once."""

    statement_import = models.ForeignKey(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="statements",
        verbose_name=_("statement import"),
    )
    identity = models.CharField(max_length=200, unique=True, verbose_name=_("identity"))
    account = models.CharField(max_length=34, verbose_name=_("account"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    number = models.CharField(max_length=35, verbose_name=_("number"))
    opening_balance = models.DecimalField(
        max_digits=16, decimal_places=3, null=True, verbose_name=_("opening balance")
    )
    closing_balance = models.DecimalField(
        max_digits=16, decimal_places=3, null=True, verbose_name=_("closing balance")
    )
    opening_date = models.DateField(null=True, verbose_name=_("opening date"))
    closing_date = models.DateField(null=True, verbose_name=_("closing date"))
    is_duplicate = models.BooleanField(default=False, verbose_name=_("duplicate"))

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")

    def __str__(self) -> str:
        return f"{self.account} {self.number}"


class MovementStatus(models.TextChoices):
    NEW = "new", _("Being imported")
    MATCHED = "matched", _("Matched and posted to a file")
    ASSIGNED = "assigned", _("Posted by an agent")
    UNMATCHED = "unmatched", _("Waiting for an agent")
    TO_REFUND = "to_refund", _("To be paid back to the sender")
    REFUNDED = "refunded", _("Paid back to the sender")
    RETURNED = "returned", _("Returned by the bank; its posting is reversed")
    RETURN = "return", _("Outgoing: a payment returned by the bank")
    REFUND = "refund", _("Outgoing: a refund we paid")
    IGNORED = "ignored", _("Not a payment on a file")


class MatchMethod(models.TextChoices):
    NONE = "", _("None")
    STRUCTURED_REFERENCE = "structured_reference", _("Structured communication of the file")
    FREE_TEXT_REFERENCE = "free_text_reference", _("Structured communication in the free text")
    FILE_REFERENCE = "file_reference", _("File reference in the free text")
    COUNTERPARTY_ACCOUNT = "counterparty_account", _("Known account of the debtor, amount due")
    AGENT = "agent", _("Assigned by an agent")
    AGENT_SPLIT = "agent_split", _("Split over several files by an agent")
    ORIGINAL_PAYMENT = "original_payment", _("Return of a payment we received")
    REFUND = "refund", _("Refund we ordered")


class BankMovementRecord(models.Model):
    """One booked movement of a statement, with what the reconciliation made of it.

    ``file`` and ``entry`` are the file and the ledger payment a credit was posted to (or, for a
    return, those of the payment it took back); a split keeps its parts in
    :class:`MovementAssignment`. ``suggestions`` are the files an agent is offered for an
    unmatched credit, best first.
    """

    identity = models.CharField(max_length=64, verbose_name=_("identity"))
    statement_import = models.ForeignKey(
        StatementImport,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("statement import"),
    )
    statement = models.ForeignKey(
        BankStatement,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("statement"),
    )
    account = models.CharField(max_length=34, verbose_name=_("account"))
    currency = models.CharField(max_length=3, verbose_name=_("currency"))
    booking_date = models.DateField(verbose_name=_("booking date"))
    value_date = models.DateField(null=True, blank=True, verbose_name=_("value date"))
    amount = models.DecimalField(max_digits=16, decimal_places=3, verbose_name=_("amount"))
    structured_reference = models.CharField(
        max_length=25, blank=True, verbose_name=_("structured reference")
    )
    communication = models.TextField(blank=True, verbose_name=_("communication"))
    information = models.TextField(blank=True, verbose_name=_("information"))
    counterparty_name = models.CharField(
        max_length=140, blank=True, verbose_name=_("counterparty name")
    )
    counterparty_account = models.CharField(
        max_length=34, blank=True, verbose_name=_("counterparty account")
    )
    counterparty_bic = models.CharField(
        max_length=11, blank=True, verbose_name=_("counterparty BIC")
    )
    end_to_end_id = models.CharField(
        max_length=35, blank=True, verbose_name=_("end-to-end reference")
    )
    bank_reference = models.CharField(max_length=35, blank=True, verbose_name=_("bank reference"))
    transaction_code = models.CharField(
        max_length=35, blank=True, verbose_name=_("transaction code")
    )
    return_reason = models.CharField(max_length=35, blank=True, verbose_name=_("return reason"))
    is_reversal = models.BooleanField(default=False, verbose_name=_("reversal"))
    status = models.CharField(
        max_length=12,
        choices=MovementStatus.choices,
        default=MovementStatus.NEW,
        verbose_name=_("status"),
    )
    match_method = models.CharField(
        max_length=24,
        choices=MatchMethod.choices,
        blank=True,
        default=MatchMethod.NONE,
        verbose_name=_("match method"),
    )
    confidence = models.DecimalField(
        max_digits=3, decimal_places=2, default=Decimal("0.00"), verbose_name=_("confidence")
    )
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bank_movements",
        verbose_name=_("file"),
    )
    entry = models.ForeignKey(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry"),
    )
    # The credit a return or a refund took back (for outgoing movements).
    original = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("original"),
    )
    suggestions = models.JSONField(default=list, blank=True, verbose_name=_("suggestions"))
    decided_by = models.CharField(max_length=100, blank=True, verbose_name=_("decided by"))
    decided_at = models.DateTimeField(null=True, blank=True, verbose_name=_("decided at"))

    class Meta:
        verbose_name = _("bank movement")
        verbose_name_plural = _("bank movements")
        # Declared here rather than with unique=True/db_index=True, which on PostgreSQL add a
        # second, LIKE-pattern index to each column: a cost on every one of a statement's
        # 100,000 inserts, for searches that never happen.
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["identity"], name="movement_identity_unique"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["structured_reference"], name="movement_reference_idx"),
            models.Index(fields=["status", "booking_date"], name="movement_status_idx"),
            models.Index(
                fields=["end_to_end_id"],
                condition=~Q(end_to_end_id=""),
                name="movement_end_to_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking_date} {self.amount} {self.currency} ({self.status})"

    @property
    def is_credit(self) -> bool:
        return self.amount > 0


class MovementAssignment(models.Model):
    """A part of a credit posted to a file by an agent (one row for an assignment, several for
    a split), with its ledger payment."""

    movement = models.ForeignKey(
        BankMovementRecord, on_delete=models.PROTECT, related_name="assignments"
    )
    file = models.ForeignKey(File, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    entry = models.OneToOneField(LedgerEntry, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.CharField(max_length=100)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="assignment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} to file {self.file_id}"


class DebtorAccount(models.Model):
    """An account a debtor paid from, learnt from the movements matched to their files.

    It lets a later payment without a reference be matched to the debtor's only open file when
    it pays exactly what is due (the third matching rule).
    """

    # Indexed by the unique (debtor, iban) constraint, whose first column it is.
    debtor = models.ForeignKey(
        Debtor,
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        db_index=False,
        verbose_name=_("debtor"),
    )
    iban = models.CharField(max_length=34, db_index=True, verbose_name=_("IBAN"))
    first_seen_on = models.DateField(verbose_name=_("first seen on"))

    class Meta:
        verbose_name = _("debtor's bank account")
        verbose_name_plural = _("debtors' bank accounts")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["debtor", "iban"], name="debtor_account_unique"),
        ]

    def __str__(self) -> str:
        return self.iban


class RefundStatus(models.TextChoices):
    PENDING = "pending", _("To pay")
    PAID = "paid", _("Paid (seen on a statement)")
    CANCELLED = "cancelled", _("Cancelled")


class Refund(models.Model):
    """Money to pay back: a file's overpayment, or a credit that is not ours to keep.

    ``reference`` is the communication to give the outgoing transfer; the statement that
    carries it (or the same amount to the same account) marks the refund paid.
    """

    movement = models.ForeignKey(
        BankMovementRecord,
        on_delete=models.PROTECT,
        related_name="refunds",
        verbose_name=_("movement"),
    )
    file = models.ForeignKey(
        File,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("file"),
    )
    reference = models.CharField(max_length=40, unique=True, verbose_name=_("reference"))
    amount = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("amount"))
    iban = models.CharField(max_length=34, blank=True, verbose_name=_("IBAN"))
    name = models.CharField(max_length=140, blank=True, verbose_name=_("name"))
    reason = models.CharField(max_length=300, verbose_name=_("reason"))
    status = models.CharField(
        max_length=10,
        choices=RefundStatus.choices,
        default=RefundStatus.PENDING,
        verbose_name=_("status"),
    )
    requested_by = models.CharField(max_length=100, verbose_name=_("requested by"))
    requested_at = models.DateTimeField(auto_now_add=True, verbose_name=_("requested at"))
    paid_by = models.OneToOneField(
        BankMovementRecord,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("paid by"),
    )
    entry = models.ForeignKey(
        LedgerEntry,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entry"),
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints: ClassVar = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount} ({self.status})"
