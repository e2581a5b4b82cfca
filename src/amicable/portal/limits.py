"""What a signed-in debtor may do only so often: download everything held about them, and send
documents.

Both are counted with the one throttle (:mod:`amicable.security.throttle`): counted before the
work is done, in one locked step with the decision, so requests sent in parallel get no more
than the limit.

- **Downloads of the debtor's data**: :data:`MAX_DATA_DOWNLOADS` an hour per debtor. The
  archive gathers every file, letter and document: a few a hour serve any real need, more
  would only load the servers.
- **Documents sent** (proofs of payment, a dispute's evidence, a court decision): at most
  :data:`MAX_UPLOADS_PER_FILE` per file in any 24 hours, all kinds together. Each proof waits
  for an agent's review: twenty proofs in a row would bury the queue and fill the storage
  (agency policy; five cover a dispute's evidence, or a proof sent again after a mistake).
  Documents the form refuses (wrong type, too large) are not counted: nothing was stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amicable.files.models import File
from amicable.portal.models import ThrottledAttempt, ThrottleScope
from amicable.security.throttle import Claim, attempts_left, claim_attempt, release

__all__ = [
    "DATA_DOWNLOAD_WINDOW",
    "MAX_DATA_DOWNLOADS",
    "MAX_UPLOADS_PER_FILE",
    "UPLOAD_WINDOW",
    "UploadGate",
    "claim_data_download",
    "claim_uploads",
    "data_download_refusal",
    "documents_sent",
    "gate_uploads",
    "upload_refusal",
]

MAX_DATA_DOWNLOADS = 3
DATA_DOWNLOAD_WINDOW = timedelta(hours=1)
MAX_UPLOADS_PER_FILE = 5
UPLOAD_WINDOW = timedelta(hours=24)


def _moment(moment: datetime) -> str:
    """A moment as the portal writes it: dd/mm/yyyy at hh:mm, Brussels time."""
    local = timezone.localtime(moment)
    return _("%(date)s at %(time)s") % {
        "date": local.strftime("%d/%m/%Y"),
        "time": local.strftime("%H:%M"),
    }


def claim_data_download(*, debtor_id: int, now: datetime) -> Claim:
    """Count one download of the debtor's data, or refuse it (see ``retry_at``)."""
    return claim_attempt(
        ThrottledAttempt,
        [(ThrottleScope.DATA_DOWNLOAD, str(debtor_id))],
        limit=MAX_DATA_DOWNLOADS,
        window=DATA_DOWNLOAD_WINDOW,
        now=now,
    )


def data_download_refusal(claim: Claim) -> str:
    assert claim.retry_at is not None
    return _(
        "You have downloaded your data %(count)d times in the last hour, the most we allow. "
        "You can download it again from %(when)s."
    ) % {"count": MAX_DATA_DOWNLOADS, "when": _moment(claim.retry_at)}


def documents_sent(request: HttpRequest, fields: Sequence[str]) -> int:
    """How many documents a request carries in the form's upload ``fields``, before any is read
    or checked."""
    return sum(len(request.FILES.getlist(name)) for name in fields)


def claim_uploads(*, file: File, count: int, now: datetime) -> Claim:
    """Count ``count`` documents sent on ``file``, or refuse them all (see ``retry_at``).

    More documents than the limit at once are refused like any other excess.
    """
    if count > MAX_UPLOADS_PER_FILE:
        return Claim(model=ThrottledAttempt, retry_at=now)
    return claim_attempt(
        ThrottledAttempt,
        [(ThrottleScope.UPLOAD, file.reference)],
        limit=MAX_UPLOADS_PER_FILE,
        window=UPLOAD_WINDOW,
        now=now,
        count=count,
    )


def upload_refusal(*, file: File, claim: Claim, count: int, now: datetime) -> str:
    """Why the documents were not accepted, and when they will be, in the active language."""
    assert claim.retry_at is not None
    left = attempts_left(
        ThrottledAttempt,
        scope=ThrottleScope.UPLOAD,
        key=file.reference,
        limit=MAX_UPLOADS_PER_FILE,
        window=UPLOAD_WINDOW,
        now=now,
    )
    if count > MAX_UPLOADS_PER_FILE:
        return _("You can send at most %(limit)d documents at once.") % {
            "limit": MAX_UPLOADS_PER_FILE
        }
    if left == 0:
        return _(
            "You have already sent %(limit)d documents on this file in the last 24 hours, the "
            "most we accept. You can send more from %(when)s, or call us."
        ) % {"limit": MAX_UPLOADS_PER_FILE, "when": _moment(claim.retry_at)}
    return ngettext(
        "We accept at most %(limit)d documents on one file in 24 hours: you can send "
        "%(left)d more now, or all of these from %(when)s.",
        "We accept at most %(limit)d documents on one file in 24 hours: you can send "
        "%(left)d more now, or all of these from %(when)s.",
        left,
    ) % {"limit": MAX_UPLOADS_PER_FILE, "left": left, "when": _moment(claim.retry_at)}


@dataclass(frozen=True, slots=True)
class UploadGate:
    """The documents a form sends, counted before anything of them is read."""

    claim: Claim | None
    #: Why they are refused, for the debtor; empty when they may be stored.
    refusal: str = ""

    @property
    def allowed(self) -> bool:
        return not self.refusal

    def nothing_stored(self) -> None:
        """The form was refused for another reason: its documents do not count."""
        if self.claim is not None and not self.claim.refused:
            release(self.claim)


def gate_uploads(request: HttpRequest, file: File, *, fields: Sequence[str]) -> UploadGate:
    """Count the documents a POST sends on ``file`` in the form's upload ``fields`` against the
    limit, before the form reads them."""
    count = documents_sent(request, fields)
    if request.method != "POST" or count == 0:
        return UploadGate(claim=None)
    now = timezone.now()
    claim = claim_uploads(file=file, count=count, now=now)
    if not claim.refused:
        return UploadGate(claim=claim)
    return UploadGate(
        claim=claim, refusal=upload_refusal(file=file, claim=claim, count=count, now=now)
    )
