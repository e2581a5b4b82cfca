"""Is this message really from us? A file number, an IBAN and a structured communication are
compared with the agency's (journey 6). How often one may ask is the page's concern (the
portal's throttle), not this check's."""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings

from amicable.files.models import File
from amicable.files.numbers import normalize_file_reference

__all__ = ["CheckOutcome", "check_authenticity"]


class CheckOutcome(StrEnum):
    GENUINE = "genuine"
    NOT_GENUINE = "not_genuine"
    WRONG_IBAN = "wrong_iban"


def _compact(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def check_authenticity(*, reference: str, iban: str, structured_communication: str) -> CheckOutcome:
    """Whether a file number, IBAN and structured communication are ours.

    "Genuine" only when the IBAN is the agency's and the number and communication name the
    same file; nothing else about the file is revealed. An IBAN that is not ours is reported
    apart: it is the clearest warning sign of a fraudulent message.
    """
    if _compact(iban) != _compact(settings.AMICABLE_AGENCY["iban"]):
        return CheckOutcome.WRONG_IBAN
    digits = "".join(ch for ch in structured_communication if ch.isdigit())
    exists = File.objects.filter(
        reference=normalize_file_reference(reference), structured_communication=digits
    ).exists()
    return CheckOutcome.GENUINE if exists else CheckOutcome.NOT_GENUINE
