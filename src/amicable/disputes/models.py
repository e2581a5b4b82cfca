"""The consumer's stop buttons: disputes and requests for the supporting documents.

CEL art. XIX.7 §3: a reasoned dispute suspends collection until the collector has checked the
file or given the consumer the evidence; on request the consumer gets, without delay, the
supporting documents of the debt (invoice, contract, general terms). Each row here is what the
debtor asked; the file's state, the timeline and the staff queue say what followed.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from amicable.files.models import Debtor, Document, File


class DisputeReason(models.TextChoices):
    """Why the debtor disagrees: the seven situations of docs/journeys.md, journey 4, and the
    four every debtor may have whatever the sector (docs/legal.md, sections 5 and 8). Which
    ones a file offers: :func:`amicable.disputes.reasons.reasons_for_sector`."""

    RETURNED_ITEM = "returned_item", _("I returned the item")
    ITEM_NOT_RECEIVED = "item_not_received", _("I never received the item")
    CONTRACT_CANCELLED = "contract_cancelled", _("I cancelled the contract")
    INVOICES_AFTER_CANCELLATION = (
        "invoices_after_cancellation",
        _("I got invoices after cancelling"),
    )
    NEVER_SIGNED = "never_signed", _("I never signed a contract")
    INVOICE_NOT_RECEIVED = "invoice_not_received", _("I never received the invoice")
    SERVICE_DISPUTED = (
        "service_disputed",
        _("I disputed the service or its quality with the seller"),
    )
    AMOUNT_WRONG = "amount_wrong", _("The amount is wrong")
    NOT_THE_DEBTOR = "not_the_debtor", _("I am not the debtor (identity theft)")
    TIME_BARRED = "time_barred", _("This debt is time-barred")
    OTHER = "other", _("Another reason")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Under review: collection suspended")
    UPHELD = "upheld", _("Upheld")
    REJECTED = "rejected", _("Not upheld: evidence given to the debtor")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Dispute(models.Model):
    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="disputes", verbose_name=_("file")
    )
    reason = models.CharField(
        max_length=40, choices=DisputeReason.choices, verbose_name=_("reason")
    )
    explanation = models.TextField(max_length=5000, verbose_name=_("explanation"))
    status = models.CharField(
        max_length=12,
        choices=DisputeStatus.choices,
        default=DisputeStatus.OPEN,
        verbose_name=_("status"),
    )
    evidence = models.ManyToManyField(Document, blank=True, related_name="disputes")
    # Whether this dispute moved the file to DISPUTED (False when collection already stood
    # still for another reason, or the file can no longer move).
    suspended_file = models.BooleanField(default=False, verbose_name=_("suspended the file"))
    opened_on = models.DateField(verbose_name=_("opened on"))
    opened_by = models.CharField(max_length=100, verbose_name=_("opened by"))
    resolved_on = models.DateField(null=True, blank=True, verbose_name=_("resolved on"))
    outcome = models.TextField(max_length=5000, blank=True, verbose_name=_("outcome"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        indexes: ClassVar = [models.Index(fields=["file", "status"], name="dispute_file_idx")]

    def __str__(self) -> str:
        return f"Dispute {self.pk} on {self.file_id}: {self.reason} ({self.status})"


class DocumentRequestStatus(models.TextChoices):
    OPEN = "open", _("Awaited from the creditor")
    ANSWERED = "answered", _("Documents given")


class DocumentRequest(models.Model):
    """The debtor asked for supporting documents (CEL art. XIX.7 §3)."""

    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="document_requests", verbose_name=_("file")
    )
    # The kinds asked for: invoice, contract, general_terms (amicable.files.models.DocumentKind).
    kinds = models.JSONField(default=list, verbose_name=_("kinds"))
    status = models.CharField(
        max_length=10,
        choices=DocumentRequestStatus.choices,
        default=DocumentRequestStatus.OPEN,
        verbose_name=_("status"),
    )
    suspended_file = models.BooleanField(default=False, verbose_name=_("suspended the file"))
    requested_on = models.DateField(verbose_name=_("requested on"))
    requested_by = models.CharField(max_length=100, verbose_name=_("requested by"))
    answered_on = models.DateField(null=True, blank=True, verbose_name=_("answered on"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("request for documents")
        verbose_name_plural = _("requests for documents")

    def __str__(self) -> str:
        return f"Documents {', '.join(self.kinds)} for {self.file_id} ({self.status})"


class DeclarationKind(models.TextChoices):
    DEBT_MEDIATION = "debt_mediation", _("Amicable debt mediation")
    COLLECTIVE_SETTLEMENT = "collective_settlement", _("Collective debt settlement")


class Declaration(models.Model):
    """The debtor declared an amicable debt mediation or a collective debt settlement.

    Both concern the person's whole debt situation, so a declaration covers every open file of
    the debtor (``files``), not only the one it was made from. Amicable debt mediation: CEL
    Book XIX, Title 3; collective debt settlement: Judicial Code art. 1675/2 ff.
    """

    debtor = models.ForeignKey(
        Debtor, on_delete=models.PROTECT, related_name="declarations", verbose_name=_("debtor")
    )
    kind = models.CharField(max_length=30, choices=DeclarationKind.choices, verbose_name=_("kind"))
    files = models.ManyToManyField(File, related_name="declarations")
    mediator_name = models.CharField(max_length=200, verbose_name=_("mediator name"))
    mediator_organisation = models.CharField(
        max_length=200, blank=True, verbose_name=_("mediator organisation")
    )
    mediator_email = models.EmailField(blank=True, verbose_name=_("mediator e-mail"))
    mediator_phone = models.CharField(max_length=40, blank=True, verbose_name=_("mediator phone"))
    # Collective debt settlement only: the court's admissibility decision and its date, from
    # which interest stops (Judicial Code art. 1675/7).
    admissibility_date = models.DateField(
        null=True, blank=True, verbose_name=_("admissibility date")
    )
    court_reference = models.CharField(
        max_length=100, blank=True, verbose_name=_("court reference")
    )
    court_decision = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declarations",
        verbose_name=_("court decision"),
    )
    declared_on = models.DateField(verbose_name=_("declared on"))
    declared_by = models.CharField(max_length=100, verbose_name=_("declared by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("over-indebtedness declaration")
        verbose_name_plural = _("over-indebtedness declarations")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(kind="collective_settlement")
                | models.Q(admissibility_date__isnull=False),
                name="declaration_settlement_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} of debtor {self.debtor_id} on {self.declared_on}"
