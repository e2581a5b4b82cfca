"""Input shapes of the back office; the rules live in the concept apps the views call."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Min
from django.utils.translation import gettext_lazy as _

from amicable.disputes.resolution import DisputeOutcome, Reduction
from amicable.domain.contact import ContactPurpose, Recipient
from amicable.domain.imputation import Component
from amicable.domain.mentions import LetterKind
from amicable.files.labels import COMPONENT_LABELS
from amicable.files.models import Claim, Document, File, ScanStatus
from amicable.letters.models import LetterChannel
from amicable.plans.models import PlanRefusal
from amicable.proofs.review import REJECTION_LABELS, PaidTo, ProofPayment, RejectionReason


class SignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Code from your authenticator app"),
        regex=r"^\s*\d{6,8}\s*$",
        error_messages={"invalid": _("Type the 6 digits your authenticator app shows.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )


# --- work items ---------------------------------------------------------------------------------


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Nobody (back to the queue)"),
    )

    def __init__(self, *args: Any, staff: Sequence[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[u.pk for u in staff]).order_by("username")


class CloseItemForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was done"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- file actions -------------------------------------------------------------------------------


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("Balance as of"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note (internal, never shown to the debtor)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CallForm(forms.Form):
    recipient = forms.ChoiceField(
        label=_("Who is called"),
        choices=[
            (Recipient.DEBTOR.value, _("The debtor")),
            (Recipient.MEDIATOR.value, _("The debt mediator")),
            (Recipient.THIRD_PARTY.value, _("Someone else (family, employer, neighbour)")),
        ],
    )
    purpose = forms.ChoiceField(
        label=_("Why"),
        choices=[
            (ContactPurpose.COLLECTION.value, _("Collection")),
            (ContactPurpose.DISPUTE_RESOLUTION.value, _("To settle a dispute")),
            (ContactPurpose.REQUESTED_BY_DEBTOR.value, _("The debtor asked for it")),
            (ContactPurpose.MEDIATOR_DECLARATION.value, _("Claim declaration to the mediator")),
        ],
    )
    note = forms.CharField(
        label=_("What was said"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProofReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept the proof")), ("reject", _("Reject the proof"))],
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Why it is rejected"),
        choices=[("", "—"), *((r.value, REJECTION_LABELS[r]) for r in RejectionReason)],
        required=False,
    )
    note_for_debtor = forms.CharField(
        label=_("Note for the debtor (in their language; shown as typed)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    paid_to = forms.ChoiceField(
        label=_("Paid to"),
        choices=[
            ("", "—"),
            (PaidTo.CREDITOR.value, _("The creditor (posted now)")),
            (PaidTo.AGENCY.value, _("The agency (posted from the bank statement)")),
        ],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
    )
    value_date = forms.DateField(label=_("Payment date"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not data.get("reason"):
            self.add_error("reason", _("Choose why the proof is rejected."))
        if data.get("decision") == "accept" and data.get("paid_to"):
            for name in ("amount", "value_date"):
                if not data.get(name):
                    self.add_error(name, _("Give the amount and the date the proof shows."))
        return data

    def payment(self) -> ProofPayment | None:
        data = self.cleaned_data
        if data.get("decision") != "accept" or not data.get("paid_to"):
            return None
        return ProofPayment(
            amount=data["amount"], value_date=data["value_date"], paid_to=PaidTo(data["paid_to"])
        )

    def rejection_reason(self) -> RejectionReason | None:
        reason = self.cleaned_data.get("reason")
        return RejectionReason(reason) if reason else None


class DisputeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[
            (
                DisputeOutcome.CONFIRM.value,
                _("The debt is due: collection resumes, with a new notice once one was sent"),
            ),
            (DisputeOutcome.REDUCE.value, _("The debtor is partly right: reduce a charge")),
            (DisputeOutcome.CANCEL.value, _("The debtor is right: cancel the debt")),
        ],
        widget=forms.RadioSelect,
    )
    explanation = forms.CharField(
        label=_("Explanation for the debtor (in their language; shown as typed)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    claim = forms.ModelChoiceField(
        label=_("Invoice"), queryset=Claim.objects.none(), required=False
    )
    component = forms.ChoiceField(
        label=_("Charge"),
        choices=[("", "—"), *((c.value, COMPONENT_LABELS[c]) for c in Component)],
        required=False,
    )
    amount = forms.DecimalField(
        label=_("Amount to take off"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
    )

    def __init__(self, *args: Any, file: File, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["claim"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = file.claims.order_by("due_date", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == DisputeOutcome.REDUCE.value:
            for name in ("claim", "component", "amount"):
                if not data.get(name):
                    self.add_error(name, _("Say which charge is reduced, and by how much."))
        return data

    def reductions(self) -> list[Reduction]:
        data = self.cleaned_data
        if data.get("outcome") != DisputeOutcome.REDUCE.value:
            return []
        return [
            Reduction(
                claim=data["claim"], component=Component(data["component"]), amount=data["amount"]
            )
        ]


class PlanForm(forms.Form):
    instalment_count = forms.IntegerField(
        label=_("Number of monthly instalments"), min_value=1, max_value=99
    )
    first_due_on = forms.DateField(
        label=_("First instalment due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    note = forms.CharField(
        label=_("Why (internal)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PlanAnswerForm(forms.Form):
    """An agent's answer to a plan request outside the rules: agree (the instalments as asked,
    or changed) or refuse with the reason the debtor reads."""

    # Its fields share names with the proof review's on the same page: keep their ids apart.
    prefix = "plan"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("agree", _("Agree the plan")), ("refuse", _("Refuse the request"))],
        widget=forms.RadioSelect,
    )
    instalment_count = forms.IntegerField(
        label=_("Number of monthly instalments"), min_value=1, max_value=99, required=False
    )
    first_due_on = forms.DateField(
        label=_("First instalment due on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    reason = forms.ChoiceField(
        label=_("Why it is refused"),
        choices=[("", "—"), *PlanRefusal.choices],
        required=False,
    )
    note_for_debtor = forms.CharField(
        label=_("Note for the debtor (in their language; shown as typed)"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "agree":
            for name in ("instalment_count", "first_due_on"):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, _("Give the number of instalments and the first date."))
        if data.get("decision") == "refuse":
            if not data.get("reason"):
                self.add_error("reason", _("Choose why the request is refused."))
            elif data["reason"] == PlanRefusal.OTHER and not data.get("note_for_debtor"):
                self.add_error("note_for_debtor", _("Write the reason for the debtor."))
        return data

    def refusal(self) -> PlanRefusal | None:
        reason = self.cleaned_data.get("reason")
        return PlanRefusal(reason) if reason else None


class LetterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Letter"),
        choices=[
            (LetterKind.STATEMENT_OF_ACCOUNT.value, _("Statement of account")),
            (LetterKind.PAYMENT_PLAN_CONFIRMATION.value, _("Confirmation of the payment plan")),
        ],
    )
    channel = forms.ChoiceField(
        label=_("Sent by"),
        choices=[(LetterChannel.POST.value, _("Post")), (LetterChannel.EMAIL.value, _("E-mail"))],
    )


class ResumeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why collection resumes (shown to the debtor)"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AcknowledgementForm(forms.Form):
    """The debtor's written acknowledgement of the file's debt (docs/legal.md, section 8): the
    day it is dated and the file's document it rests on. Dated neither in the future nor on or
    before the earliest due date: nothing was owed yet to acknowledge."""

    on = forms.DateField(
        label=_("Date of the acknowledgement"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document = forms.ModelChoiceField(
        label=_("Document it rests on"), queryset=Document.objects.none()
    )

    def __init__(self, *args: Any, file: File, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.first_due = file.claims.aggregate(first=Min("due_date"))["first"]
        field = self.fields["document"]
        assert isinstance(field, forms.ModelChoiceField)
        # An infected upload is never evidence an agent relies on.
        field.queryset = file.documents.exclude(scan_status=ScanStatus.INFECTED).order_by(
            "-uploaded_at", "-id"
        )

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > self.today:
            raise forms.ValidationError(_("An acknowledgement cannot be dated in the future."))
        if self.first_due is not None and on <= self.first_due:
            raise forms.ValidationError(
                _("An acknowledgement must be dated after the due date (%(due)s).")
                % {"due": self.first_due.strftime("%d/%m/%Y")}
            )
        return on
