"""Who among the staff opened which debtor's file or document: the compliance officer's search
(GDPR art. 15(1)(c) and art. 32)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from amicable.backoffice.access import staff_view
from amicable.backoffice.roles import Perm
from amicable.backoffice.views.navigation import query_int
from amicable.privacy.reads import list_file_reads

__all__ = ["file_reads"]


class ReadSearchForm(forms.Form):
    staff = forms.CharField(label=_("Staff member"), required=False, max_length=100)
    file = forms.CharField(label=_("File"), required=False, max_length=20)
    since = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The first day comes after the last one."))
        return data


@require_GET
@staff_view(Perm.VIEW_AUDIT)
def file_reads(request: HttpRequest) -> HttpResponse:
    """The reads of debtors' files by staff, newest first, by staff member, file and dates."""
    form = ReadSearchForm(request.GET)
    page = None
    if form.is_valid():
        page = list_file_reads(
            actor=form.cleaned_data["staff"].strip(),
            file_reference=form.cleaned_data["file"].strip(),
            since=form.cleaned_data["since"],
            until=form.cleaned_data["until"],
            before=query_int(request.GET.get("before")),
        )
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "backoffice/file_reads.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=200 if form.is_valid() else 400,
    )
