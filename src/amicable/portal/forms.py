"""Input shapes of the portal; the rules live in services and selectors."""

from __future__ import annotations

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
