"""The page of the bulk import: upload a creditor's CSV or XLSX sheet, read and checked by the
intake's importer.

Behind the back office's own gate (personal sign-in, TOTP, the ``import_files`` permission):
an import opens files and starts collection on each, so it is a supervisor's act, not any
staff account's.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from amicable.backoffice.access import actor_name, staff_user, staff_view
from amicable.backoffice.roles import Perm
from amicable.backoffice.sheet_columns import SHEET_COLUMNS
from amicable.backoffice.sheet_forms import MAX_SHEET_BYTES, UploadSheetForm
from amicable.intake.importer import ImportReport, SheetError, import_files, read_sheet
from amicable.security.request_size import accepts_files_up_to

# The page lists this many errors; the command prints them all.
MAX_ERRORS_SHOWN = 1000


@require_http_methods(["GET", "POST"])
@staff_view(Perm.IMPORT_FILES)
@accepts_files_up_to(MAX_SHEET_BYTES)
def upload_page(request: HttpRequest) -> HttpResponse:
    form = UploadSheetForm(request.POST or None, request.FILES or None)
    report: ImportReport | None = None
    sheet_error: SheetError | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["sheet"]
        creditor = form.cleaned_data["creditor"]
        try:
            report = import_files(
                creditor=creditor,
                rows=read_sheet(upload, name=upload.name or ""),
                actor=actor_name(staff_user(request)),
                today=timezone.localdate(),
            )
        except SheetError as exc:
            sheet_error = exc
    status = 422 if sheet_error is not None or (report is not None and not report.ok) else 200
    if request.method == "POST" and not form.is_valid():
        status = 422
    return render(
        request,
        "backoffice/sheet_upload.html",
        {
            "form": form,
            "columns": SHEET_COLUMNS,
            "report": report,
            "sheet_error": sheet_error,
            "errors_shown": report.errors[:MAX_ERRORS_SHOWN] if report else [],
            "errors_hidden": max(0, len(report.errors) - MAX_ERRORS_SHOWN) if report else 0,
        },
        status=status,
    )
