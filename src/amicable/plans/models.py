"""Payment plans: the instalments a debtor pays instead of the balance at once (journey 2).

A plan is asked for in the portal (or agreed by an agent). Within the agency's rules
(:mod:`amicable.plans.rules`) it is agreed at once and its instalments are created; otherwise it
stays ``requested`` until an agent answers. Each instalment has its own structured
communication (the file's number with the instalment's index, ``numbers.instalment_structured_
communication``), so a payment that names an instalment still names its file.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amicable.files.models import File


class PlanStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested outside the rules: an agent answers")
    ACTIVE = "active", _("Agreed and running")
    COMPLETED = "completed", _("Paid in full")
    BROKEN = "broken", _("Broken (instalments not paid)")
    CANCELLED = "cancelled", _("Cancelled")
    REFUSED = "refused", _("Refused by an agent")


#: A plan in one of these statuses blocks a new request on the same file.
OPEN_STATUSES = (PlanStatus.REQUESTED, PlanStatus.ACTIVE)


class PlanRefusal(models.TextChoices):
    """Why an agent refuses a request; the debtor reads a sentence for each, in their language
    (``amicable.plans.services.REFUSAL_SENTENCES``), or the agent's own words for ``OTHER``."""

    TOO_LONG = "too_long", _("Too many instalments for the amount owed")
    FIRST_DUE_TOO_LATE = "first_due_too_late", _("The first instalment comes too late")
    CREDITOR_REFUSES = "creditor_refuses", _("The creditor does not agree to a plan")
    OTHER = "other", _("Another reason, written below for the debtor")


class PaymentPlan(models.Model):
    file = models.ForeignKey(
        File, on_delete=models.PROTECT, related_name="payment_plans", verbose_name=_("file")
    )
    status = models.CharField(max_length=12, choices=PlanStatus.choices, verbose_name=_("status"))
    instalment_count = models.PositiveSmallIntegerField(verbose_name=_("number of instalments"))
    first_due_on = models.DateField(verbose_name=_("first due on"))
    # The outstanding balance on the day of the request, which the instalments add up to.
    total = models.DecimalField(max_digits=14, decimal_places=2, verbose_name=_("total"))
    requested_on = models.DateField(verbose_name=_("requested on"))
    agreed_on = models.DateField(null=True, blank=True, verbose_name=_("agreed on"))
    # The rules of amicable.plans.rules that the request broke (empty when accepted at once).
    breaches = models.JSONField(default=list, blank=True, verbose_name=_("breaches"))
    mentions_difficulties = models.BooleanField(
        default=False, verbose_name=_("mentions difficulties")
    )
    note = models.TextField(max_length=1000, blank=True, verbose_name=_("note"))
    requested_by = models.CharField(max_length=100, verbose_name=_("requested by"))
    # An agent's answer to a request outside the rules (agreed, perhaps changed, or refused).
    answered_on = models.DateField(null=True, blank=True, verbose_name=_("answered on"))
    answered_by = models.CharField(max_length=100, blank=True, verbose_name=_("answered by"))
    refusal_reason = models.CharField(
        max_length=20, choices=PlanRefusal.choices, blank=True, verbose_name=_("reason for refusal")
    )
    # What the agent wrote to the debtor with the answer, shown to them as typed.
    answer_note = models.TextField(max_length=300, blank=True, verbose_name=_("answer note"))
    # The day a running plan stopped running (broken, for now).
    ended_on = models.DateField(null=True, blank=True, verbose_name=_("ended on"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("payment plan")
        verbose_name_plural = _("payment plans")
        constraints: ClassVar = [
            # One plan at a time: a second request waits for the first to be answered or ended.
            models.UniqueConstraint(
                fields=["file"],
                condition=Q(status__in=["requested", "active"]),
                name="plan_one_open_per_file",
            ),
            models.CheckConstraint(condition=Q(total__gt=0), name="plan_total_positive"),
            models.CheckConstraint(
                condition=Q(instalment_count__gte=1), name="plan_at_least_one_instalment"
            ),
        ]

    def __str__(self) -> str:
        return f"Plan {self.pk} of {self.file_id}: {self.instalment_count} x ({self.status})"


class Instalment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.PROTECT, related_name="instalments")
    number = models.PositiveSmallIntegerField()
    due_on = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    structured_communication = models.CharField(max_length=12, db_index=True)

    class Meta:
        ordering: ClassVar = ["plan", "number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["plan", "number"], name="instalment_unique_number"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.number}: {self.amount} on {self.due_on}"
