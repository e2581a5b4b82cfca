"""Everything held about the signed-in debtor, as one ZIP (GDPR art. 15; docs/legal.md,
section 7)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from amicable.portal import limits
from amicable.portal.authentication import ACTOR
from amicable.portal.selectors import list_files_for_debtor, signed_in_debtor_id
from amicable.portal.views.sign_in import require_sign_in
from amicable.privacy.access import archive_chunks, archive_name, record_download

__all__ = ["download_my_data"]


@require_POST
def download_my_data(request: HttpRequest) -> HttpResponseBase:
    """The ZIP of the debtor's records, files, letters and documents, a few times an hour.

    A POST (the button of the file list): each download is counted and goes on the timeline.
    """
    if (response := require_sign_in(request)) is not None:
        return response
    debtor_id = signed_in_debtor_id(request)
    assert debtor_id is not None
    now = timezone.now()
    claim = limits.claim_data_download(debtor_id=debtor_id, now=now)
    if claim.refused:
        messages.error(request, limits.data_download_refusal(claim))
        return redirect("portal:files")
    files = list(list_files_for_debtor(debtor_id))
    if not files:  # Every file of the debtor was erased meanwhile: nothing is held any more.
        return redirect("portal:files")
    record_download(files=files, actor=ACTOR)
    today = timezone.localdate(now)
    download = StreamingHttpResponse(
        archive_chunks(files=files, language=files[0].debtor.language, today=today),
        content_type="application/zip",
    )
    download["Content-Disposition"] = f'attachment; filename="{archive_name(today)}"'
    download["Cache-Control"] = "private, no-store"
    return download
