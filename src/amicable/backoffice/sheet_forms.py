"""The staff upload form of the bulk import (shape checks only; the rules are the importer's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amicable.files.models import Creditor

# A sheet of 100,000 lines is about 25 MB as CSV; larger sheets go through the command.
MAX_SHEET_BYTES = 50 * 1024 * 1024


class UploadSheetForm(forms.Form):
    creditor = forms.ModelChoiceField(
        queryset=Creditor.objects.order_by("name"), label=_("Creditor")
    )
    sheet = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("One line per claim; the columns are described below."),
    )

    def clean_sheet(self) -> object:
        sheet = self.cleaned_data["sheet"]
        if sheet.size is not None and sheet.size > MAX_SHEET_BYTES:
            raise forms.ValidationError(
                _(
                    "The file is larger than 50 MB: import it with the command "
                    "amicable import-files."
                )
            )
        return sheet
