"""EPC QR code for a SEPA credit transfer (EPC069-12, version 002), as printed on letters.

A payer's banking app scans the code and pre-fills the transfer: beneficiary, IBAN, amount and
the structured reference that names the file. The payload is one element per line
(EPC069-12 section 3.2, ``docs/formats.md``, section 4.1):

====  ================================  ==================================================
line  element                           here
====  ================================  ==================================================
1     service tag                       ``BCD``
2     version                           ``002`` (the BIC is optional)
3     character set                     ``1`` (UTF-8), always
4     identification                    ``SCT`` (SEPA credit transfer)
5     BIC of the beneficiary's bank     8 or 11 characters, or empty
6     beneficiary name                  1 to 70 characters
7     beneficiary IBAN                  checked (mod 97, country format), no spaces
8     amount                            ``EUR`` + 0.01 to 999999999.99, two decimals
9     purpose                           empty
10    structured reference              the OGM as 12 bare digits, or an RF reference
11    unstructured remittance           empty: EPC allows line 10 *or* line 11, not both
12    information to the payer          up to 70 characters, optional
====  ================================  ==================================================

Lines are joined with LF; the payload ends with its last element present (no trailing empty
lines, no final newline) and weighs at most 331 bytes, so that the code stays within QR version
13 at error-correction level M.

The Belgian structured communication (OGM/VCS) is written into line 10 as its 12 bare digits,
as Belgian accounting software does (docs/formats.md, section 4.3); letters print it in its
``+++ddd/dddd/ddddd+++`` form next to the code, for the payers who type it.

>>> print(epc_payload(beneficiary="Incasso NV", iban="BE71 0961 2345 6769",
...                   amount=Decimal("123.40"), reference="+++010/8068/17183+++",
...                   bic="GKCCBEBB"))
BCD
002
1
SCT
GKCCBEBB
Incasso NV
BE71096123456769
EUR123.40
<BLANKLINE>
010806817183
"""

from __future__ import annotations

import io
import unicodedata
from decimal import Decimal

import segno
from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from amicable.domain.errors import DomainError
from amicable.domain.money import as_decimal
from amicable.domain.references import classify_reference

__all__ = ["MAX_PAYLOAD_BYTES", "QR_MASK", "EpcError", "epc_payload", "epc_qr_svg"]

#: EPC069-12: QR version 13 at level M holds 331 bytes; the guideline caps the payload there.
MAX_PAYLOAD_BYTES = 331
_MAX_NAME = 70
_MAX_INFORMATION = 70
_MIN_AMOUNT = Decimal("0.01")
_MAX_AMOUNT = Decimal("999999999.99")
_CENT = Decimal("0.01")

#: The QR data mask of every EPC code (ISO/IEC 18004 mask pattern 2: columns where x % 3 == 0).
#: Measured over 400 EPC payloads of letters (versions 5 and 6): the mask segno's full
#: evaluation picks most often, with a mean penalty score 3 % above the best mask of each code
#: (1,638 against 1,595; the worst mask averages 1,859), for a quarter of the time per code.
QR_MASK = 2


class EpcError(DomainError, ValueError):
    """An element of an EPC QR payload is invalid; ``field`` names it."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"EPC QR code, {field}: {message}")


def _text(value: str, *, field: str, max_length: int, required: bool) -> str:
    """A free-text element: trimmed, one line, at most ``max_length`` characters."""
    text = value.strip()
    if required and not text:
        raise EpcError(field, "must not be empty.")
    # A line break would shift every following element; other control characters have no
    # business in a bank transfer either.
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        raise EpcError(field, "must be one line without control characters.")
    if len(text) > max_length:
        raise EpcError(field, f"has {len(text)} characters; at most {max_length} are allowed.")
    return text


def _iban(value: str) -> str:
    compact = "".join(value.split()).upper()
    try:
        iban = IBAN(compact)
    except SchwiftyException as error:
        raise EpcError("iban", f"{value!r} is not a valid IBAN ({error}).") from None
    # A SEPA credit transfer only reaches an account in the SEPA zone (EPC069-12 section 3.1).
    if not iban.in_sepa_zone:
        raise EpcError("iban", f"{compact} is not an account in the SEPA zone.")
    return str(iban.compact)


def _bic(value: str | None) -> str:
    if value is None or not value.strip():
        return ""  # optional in version 002 within the EEA (EPC069-12 section 3.2)
    try:
        return str(BIC("".join(value.split()).upper()).compact)
    except SchwiftyException as error:
        raise EpcError("bic", f"{value!r} is not a valid BIC ({error}).") from None


def _amount(value: Decimal) -> str:
    amount = as_decimal(value, name="amount")  # TypeError for a float
    if amount % _CENT != 0:
        raise EpcError("amount", f"{amount} has more than two decimals.")
    if not _MIN_AMOUNT <= amount <= _MAX_AMOUNT:
        raise EpcError("amount", f"{amount} is outside EUR 0.01 to EUR 999999999.99.")
    # Always two decimals, '.' as separator (EPC069-12: "EUR123.45").
    return f"EUR{amount:.2f}"


def _reference(value: str) -> str:
    """The structured reference of line 10: 12 bare OGM digits, or an RF reference."""
    reference = classify_reference(value)
    if reference is not None:
        return reference.value
    if "".join(value.split()).upper().startswith("RF"):
        raise EpcError("reference", f"{value!r} is not a valid RF creditor reference.")
    raise EpcError(
        "reference",
        f"{value!r} is not a valid structured communication (+++ddd/dddd/ddddd+++, "
        "check digits mod 97) nor an RF creditor reference.",
    )


def epc_payload(
    *,
    beneficiary: str,
    iban: str,
    amount: Decimal,
    reference: str,
    bic: str | None = None,
    information: str = "",
) -> str:
    """The EPC QR payload (EPC069-12 version 002, UTF-8) for a transfer to ``iban``.

    ``reference`` is a Belgian structured communication in any usual form
    (``+++010/8068/17183+++``, ``***010/8068/17183***``, ``010806817183``) or an ISO 11649 RF
    reference; it is checked and written in its bare electronic form. Every invalid element
    raises :class:`EpcError` naming it (a float ``amount`` raises ``TypeError``).

    >>> epc_payload(beneficiary="Incasso NV", iban="BE71096123456769",
    ...             amount=Decimal("12"), reference="RF18 5390 0754 7034",
    ...             information="File 2025/0042").split("\\n")
    ['BCD', '002', '1', 'SCT', '', 'Incasso NV', 'BE71096123456769', 'EUR12.00', '', \
'RF18539007547034', '', 'File 2025/0042']
    >>> epc_payload(beneficiary="Incasso NV", iban="BE71096123456769",
    ...             amount=Decimal("12"), reference="+++010/8068/17180+++")
    Traceback (most recent call last):
        ...
    amicable.domain.epc.EpcError: EPC QR code, reference: '+++010/8068/17180+++' is not a \
valid structured communication (+++ddd/dddd/ddddd+++, check digits mod 97) nor an RF creditor \
reference.
    """
    lines = [
        "BCD",
        "002",
        "1",  # UTF-8
        "SCT",
        _bic(bic),
        _text(beneficiary, field="beneficiary", max_length=_MAX_NAME, required=True),
        _iban(iban),
        _amount(amount),
        "",  # purpose: none
        _reference(reference),
    ]
    text = _text(information, field="information", max_length=_MAX_INFORMATION, required=False)
    if text:
        # Line 11 stays empty: a structured reference excludes the unstructured one.
        lines += ["", text]
    payload = "\n".join(lines)
    size = len(payload.encode("utf-8"))
    if size > MAX_PAYLOAD_BYTES:
        raise EpcError(
            "payload", f"is {size} bytes; at most {MAX_PAYLOAD_BYTES} fit in the QR code."
        )
    return payload


def epc_qr_svg(payload: str, *, scale: int = 4) -> str:
    """The QR code of ``payload`` as an SVG string, for a letter or a web page.

    Error-correction level M, not raised by the library (``boost_error=False``), as EPC069-12
    requires; byte mode with the UTF-8 bytes, which the payload's line 3 announces. The SVG has
    no XML declaration (it is embedded), a ``<title>`` and an ``aria-label`` for screen readers,
    and a quiet zone of four modules. ``scale`` is the size of one module in pixels.

    The data mask is fixed (:data:`QR_MASK`) instead of chosen by scoring all eight (ISO/IEC
    18004 section 7.8.3): any mask gives a valid symbol that every reader decodes, since the
    mask in use is written in the symbol's format information; scoring the eight was about
    three quarters of the time of a code.

    >>> svg = epc_qr_svg("BCD\\n002\\n1\\nSCT")
    >>> svg.startswith('<svg role="img" aria-label="EPC QR code" xmlns=')
    True
    >>> "<title>EPC QR code</title>" in svg
    True
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"The scale must be a whole number of pixels, 1 or more, not {scale!r}.")
    data = payload.encode("utf-8")
    if len(data) > MAX_PAYLOAD_BYTES:
        raise EpcError(
            "payload", f"is {len(data)} bytes; at most {MAX_PAYLOAD_BYTES} fit in the QR code."
        )
    qr = segno.make_qr(data, error="m", boost_error=False, mask=QR_MASK)
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=scale, xmldecl=False, title="EPC QR code", nl=False)
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" aria-label="EPC QR code" ', 1)
