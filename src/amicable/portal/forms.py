"""Input shapes of the portal; the rules live in services and selectors."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from amicable.disputes.opening import MAX_EVIDENCE_FILES
from amicable.domain.money import as_money
from amicable.domain.references import classify_reference
from amicable.files.uploads import CheckedUpload, UploadRejected, check_upload
from amicable.phishing.models import ReportChannel


class SignInForm(forms.Form):
    reference = forms.CharField(
        label=_("File number"),
        max_length=40,
        help_text=_("As printed on our letter, for example AM 0000 1234."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=40,
        help_text=_("The personal code printed under the file number, for example ABCD-EFGH."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class AuthenticityForm(forms.Form):
    reference = forms.CharField(label=_("File number"), max_length=40)
    iban = forms.CharField(label=_("Account number (IBAN)"), max_length=50)
    structured_communication = forms.CharField(
        label=_("Structured communication"),
        max_length=30,
        help_text=_("The twelve digits between +++ and +++."),
    )


class PhishingReportForm(forms.Form):
    channel = forms.ChoiceField(label=_("How did you receive it?"), choices=ReportChannel.choices)
    received_on = forms.DateField(
        label=_("Date received"),
        required=False,
        help_text=_("Format: dd/mm/yyyy."),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
    )
    sender = forms.CharField(
        label=_("Sender (address, number or name)"), max_length=200, required=False
    )
    content = forms.CharField(
        label=_("The message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste the text, with any link or account number it contains."),
    )
    reporter_email = forms.EmailField(
        label=_("Your e-mail address (optional)"),
        required=False,
        help_text=_("Only if you want us to reply."),
    )


class PaymentPlanForm(forms.Form):
    """Journey 2: a plan request; the agency's rules are applied by amicable.plans.services."""

    instalment_count = forms.IntegerField(
        label=_("Number of monthly instalments"),
        min_value=2,
        # One structured communication per instalment: the file number and 01 to 99.
        max_value=99,
        help_text=_("For example 6."),
    )
    first_due_on = forms.DateField(
        label=_("Date of the first instalment"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        help_text=_("The next instalments fall on the same day of the following months."),
    )
    mentions_difficulties = forms.BooleanField(
        label=_("I have difficulty paying my debts"), required=False
    )
    note = forms.CharField(
        label=_("Message for the agent (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_first_due_on(self) -> date:
        value: date = self.cleaned_data["first_due_on"]
        if value < self.today:
            raise forms.ValidationError(_("The first instalment cannot be in the past."))
        return value


#: How people in Belgium write an amount: a comma before the cents, and a dot (or a space,
#: removed before) between thousands: ``1.234,56``, ``122,40``, ``1.500``. A dot followed by one
#: or two digits is read as the decimal point (``125.50``), as on an English keyboard.
_AMOUNT_WITH_COMMA = re.compile(r"-?(?:\d{1,3}(?:\.\d{3})+|\d+),\d{1,2}", re.ASCII)
_AMOUNT_IN_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3})+", re.ASCII)
_AMOUNT_WITH_POINT = re.compile(r"-?\d+(?:\.\d{1,2})?", re.ASCII)
#: Longer is no amount a consumer owes (and keeps a pasted novel out of the Decimal parser).
MAX_AMOUNT_LENGTH = 20


def parse_euro_amount(text: str) -> Decimal | None:
    """The amount written in ``text`` the Belgian way, or None when it is not an amount.

    ``"1.500"`` is one thousand five hundred euros, never 1.50: read the other way, a debtor's
    declaration would be a thousand times too small.
    """
    compact = "".join(text.split()).replace("€", "").removesuffix("EUR").removesuffix("eur")
    if len(compact) > MAX_AMOUNT_LENGTH:
        return None
    if _AMOUNT_WITH_COMMA.fullmatch(compact):
        compact = compact.replace(".", "").replace(",", ".")
    elif _AMOUNT_IN_THOUSANDS.fullmatch(compact):
        compact = compact.replace(".", "")
    elif not _AMOUNT_WITH_POINT.fullmatch(compact):
        return None
    return as_money(compact)


class EuroAmountField(forms.Field):
    """An amount in euros as people type it in Belgium: ``1.234,56``, ``125,50`` or ``125.50``."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:
        text = str(value or "").strip()
        if not text:
            return None
        amount = parse_euro_amount(text)
        if amount is None:
            raise forms.ValidationError(
                _("Enter an amount in euros, for example 125,50."), code="invalid"
            )
        if amount <= 0:
            raise forms.ValidationError(_("The amount must be more than 0."), code="min_value")
        return amount


class StructuredCommunicationField(forms.CharField):
    """A structured communication as printed (``+++ddd/dddd/ddddd+++``) or an RF reference.

    Cleaned to the form banks carry in their statements: the 12 digits, or the compact RF
    reference, so that the bank import can compare it with the movement's.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value) or ""
        if not text:
            return ""
        reference = classify_reference(text)
        if reference is None:
            raise forms.ValidationError(
                _(
                    "This is not a valid structured communication. Type it as on your bank "
                    "statement, for example +++123/4567/89002+++, or a reference beginning "
                    "with RF."
                ),
                code="invalid",
            )
        return reference.value


class UploadField(forms.FileField):
    """A PDF, JPEG or PNG of at most 10 MB, checked by its content (amicable.files.uploads)."""

    def clean(self, data: Any, initial: Any = None) -> tuple[CheckedUpload, str] | None:
        """The checked content and the name the debtor gave, or None when left empty."""
        upload = super().clean(data, initial)
        if not upload:
            return None
        assert isinstance(upload, UploadedFile)
        try:
            checked = check_upload(upload)
        except UploadRejected as rejected:
            raise forms.ValidationError(rejected.message, code=rejected.code) from None
        return (checked, upload.name or "")


PAID_TO_CHOICES = [
    ("agency", _("To us (the collection agency)")),
    ("creditor", _("Directly to the creditor")),
]


class ProofOfPaymentForm(forms.Form):
    """Journey 3: a proof of a payment that does not appear on the file.

    What the debtor declares with it (amount, date, communication) is optional: the proof
    itself is what an agent checks. When given, the bank import confirms the proof as soon as
    a movement pays that amount or carries that communication (amicable.proofs.bank).
    """

    paid_to = forms.ChoiceField(
        label=_("Who did you pay?"), choices=PAID_TO_CHOICES, widget=forms.RadioSelect
    )
    paid_on = forms.DateField(
        label=_("Date of the payment (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    amount = EuroAmountField(
        label=_("Amount paid in euros (optional)"),
        required=False,
        help_text=_("For example 1.234,56 or 122,40."),
    )
    structured_communication = StructuredCommunicationField(
        label=_("Structured communication used (optional)"),
        required=False,
        help_text=_("As on your bank statement: +++123/4567/89002+++ or RF followed by digits."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    proof = UploadField(
        label=_("Proof of payment"),
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB."),
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_paid_on(self) -> date | None:
        value: date | None = self.cleaned_data.get("paid_on")
        if value is not None and value > self.today:
            raise forms.ValidationError(_("The date of the payment cannot be in the future."))
        return value


class MultipleUploadInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(UploadField):
    """Up to ``MAX_EVIDENCE_FILES`` files, each a PDF, JPEG or PNG of at most 10 MB."""

    widget = MultipleUploadInput

    def clean(  # type: ignore[override]
        self, data: Any, initial: Any = None
    ) -> list[tuple[CheckedUpload, str]]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_EVIDENCE_FILES:
            raise forms.ValidationError(
                _("Send at most %(count)d files.") % {"count": MAX_EVIDENCE_FILES}
            )
        checked = [super(EvidenceField, self).clean(f, initial) for f in files]
        return [c for c in checked if c is not None]


class DisputeForm(forms.Form):
    """Journey 4: a reasoned dispute with its evidence."""

    explanation = forms.CharField(
        label=_("Explain what happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Give the dates and what you did. Your reasons suspend collection."),
    )
    evidence = EvidenceField(
        label=_("Your evidence (optional)"),
        required=False,
        help_text=_("Up to 5 PDF, JPEG or PNG files of at most 10 MB each."),
    )


class DocumentRequestForm(forms.Form):
    """Journey 4: ask for the supporting documents of the debt (CEL art. XIX.7 §3)."""

    kinds = forms.MultipleChoiceField(
        label=_("Which documents do you want?"),
        choices=[
            ("invoice", _("Invoice")),
            ("contract", _("Contract")),
            ("general_terms", _("General terms")),
        ],
        widget=forms.CheckboxSelectMultiple,
    )


class MediatorForm(forms.Form):
    """The mediator's contact details, common to both declarations of journey 5."""

    mediator_name = forms.CharField(label=_("Name of your debt mediator"), max_length=200)
    mediator_organisation = forms.CharField(
        label=_("Service or office (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: CPAS of Liège, or the mediator's law firm."),
    )
    mediator_email = forms.EmailField(label=_("Mediator's e-mail address"), required=False)
    mediator_phone = forms.CharField(
        label=_("Mediator's phone number"), max_length=40, required=False
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("mediator_email") or data.get("mediator_phone")):
            raise forms.ValidationError(
                _("Give at least the mediator's e-mail address or phone number.")
            )
        return data


class DebtMediationForm(MediatorForm):
    """Journey 5: the debtor is helped by a debt mediator (CPAS/OCMW or recognised service)."""


class CollectiveSettlementForm(MediatorForm):
    """Journey 5: the court admitted the debtor to a collective debt settlement."""

    admissibility_date = forms.DateField(
        label=_("Date of the admissibility decision"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    court_reference = forms.CharField(
        label=_("Reference of the decision (optional)"), max_length=100, required=False
    )
    court_decision = UploadField(
        label=_("The court's admissibility decision"),
        help_text=_("A PDF, JPEG or PNG file of at most 10 MB."),
    )

    def clean_admissibility_date(self) -> date:
        value: date = self.cleaned_data["admissibility_date"]
        if value > self.today:
            raise forms.ValidationError(_("The date of the decision cannot be in the future."))
        return value
