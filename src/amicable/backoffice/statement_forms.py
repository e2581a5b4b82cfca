"""The forms of the statement pages (shape checks only; the rules are the payments app's)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from amicable.files.models import File
from amicable.files.numbers import normalize_file_reference
from amicable.statements import FORMATS

# A day's file of 100,000 movements is about 40 MB of CODA; larger files go through the command.
MAX_STATEMENT_BYTES = 64 * 1024 * 1024


class StatementUploadForm(forms.Form):
    statement = forms.FileField(label=_("CODA or camt.053 file"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("Detect")), *((f, f) for f in FORMATS)],
        required=False,
    )

    def clean_statement(self) -> object:
        statement = self.cleaned_data["statement"]
        if statement.size is not None and statement.size > MAX_STATEMENT_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 64 MB: import it with amicable statements import.")
            )
        return statement


def _file_by_reference(text: str) -> File:
    reference = normalize_file_reference(text)
    file = File.objects.filter(reference=reference).first()
    if file is None:
        raise forms.ValidationError(_("No file %(reference)s.") % {"reference": reference or text})
    return file


class AssignForm(forms.Form):
    file_reference = forms.CharField(label=_("File reference"), max_length=20)

    def clean_file_reference(self) -> File:
        return _file_by_reference(self.cleaned_data["file_reference"])


class SplitForm(forms.Form):
    parts = forms.CharField(
        label=_("One file and amount a line"),
        help_text=_("For example: AM00000012 100.00"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_parts(self) -> list[tuple[File, Decimal]]:
        parts: list[tuple[File, Decimal]] = []
        for number, line in enumerate(self.cleaned_data["parts"].splitlines(), 1):
            if not line.strip():
                continue
            words = line.split()
            if len(words) != 2:
                raise forms.ValidationError(
                    _("Line %(line)s: write a file reference and an amount.") % {"line": number}
                )
            try:
                amount = Decimal(words[1].replace(",", "."))
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(line)s: %(amount)s is not an amount.")
                    % {"line": number, "amount": words[1]}
                ) from None
            parts.append((_file_by_reference(words[0]), amount))
        return parts


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
