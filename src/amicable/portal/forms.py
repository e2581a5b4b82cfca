"""Input shapes of the portal; the rules live in services and selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from amicable.portal.models import ReportChannel


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
