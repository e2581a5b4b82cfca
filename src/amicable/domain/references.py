"""Payment references: the Belgian structured communication (OGM/VCS) and the RF reference.

**OGM/VCS** (Dutch *Overschrijving met Gestructureerde Mededeling*, French *Virement à
Communication Structurée*), defined by Febelfin for Belgian credit transfers: 12 digits, a
10-digit base followed by two check digits equal to the base modulo 97 (``97`` when the remainder
is 0). It is printed ``+++ddd/dddd/ddddd+++``, or ``***ddd/dddd/ddddd***`` on older and
French-language forms, and travels in bank files as the bare 12 digits (CODA record 2.1
positions 66-77, camt.053 ``RmtInf/Strd/CdtrRefInf/Ref``).

**RF creditor reference** (ISO 11649): ``RF``, two ISO 7064 MOD 97-10 check digits, then 1 to 21
letters or digits.

The check-digit arithmetic is python-stdnum's (``stdnum.be.ogm_vcs``, ``stdnum.iso11649``,
``stdnum.iso7064.mod_97_10``). This module adds what stdnum leaves to its callers: the asterisk
form, a check of where the ``+``/``*`` and ``/`` sit (stdnum strips them anywhere), generation
from a base, classification of a reference by its content, and the search for OGMs typed into a
free-text communication.

>>> ogm_from_base(108068171)
'+++010/8068/17183+++'
>>> ogm_normalize('***010/8068/17183***')
'010806817183'
>>> rf_from_base('539007547034')
'RF18539007547034'
>>> classify_reference('010806817183')
StructuredReference(kind='ogm', value='010806817183')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum import iso11649
from stdnum.be import ogm_vcs
from stdnum.iso7064 import mod_97_10

__all__ = [
    "MAX_OGM_BASE",
    "MAX_RF_BASE_LENGTH",
    "StructuredReference",
    "classify_reference",
    "find_ogms",
    "ogm_digits_from_base",
    "ogm_format",
    "ogm_from_base",
    "ogm_is_valid",
    "ogm_normalize",
    "rf_from_base",
    "rf_is_valid",
    "rf_normalize",
]

MAX_OGM_BASE = 9_999_999_999
MAX_RF_BASE_LENGTH = 21

# The accepted written forms of one OGM: optional matching decorations (three "+" or three "*",
# the same on both sides), then the 3/4/5 digit groups separated by a slash, by spaces, or by
# nothing. A "+" or "/" anywhere else is a layout error that a payer's bank would reject too.
_WRITTEN_OGM = re.compile(
    r"(?:(?P<opening>\+{3}|\*{3})\s*)?"
    r"(\d{3})(?:\s*/\s*|\s*)(\d{4})(?:\s*/\s*|\s*)(\d{5})"
    r"(?:\s*(?P<closing>\+{3}|\*{3}))?",
    re.ASCII,
)
# The tolerant pattern of docs/formats.md, section 1.5 for OGMs typed into free text. Candidates are
# kept only when the check digits agree.
_OGM_IN_TEXT = re.compile(
    r"(?<!\d)[+*]{0,3}\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*[+*]{0,3}(?!\d)", re.ASCII
)


@dataclass(frozen=True, slots=True)
class StructuredReference:
    """A payment reference recognised by its content.

    ``kind`` is ``"ogm"`` (``value``: the 12 digits) or ``"rf"`` (``value``: the compact,
    upper-case ISO 11649 reference).
    """

    kind: Literal["ogm", "rf"]
    value: str


def _has_ogm_check_digits(digits: str) -> bool:
    """Febelfin's rule on 12 clean digits: the last two are the first ten modulo 97 (0 -> 97).

    The same rule as ``stdnum.be.ogm_vcs.is_valid``, on digits already cleaned here, because a
    bank file checks it once per movement (stdnum cleans its input again on every call).
    """
    return digits != "000000000000" and int(digits[10:]) == (int(digits[:10]) % 97 or 97)


def _ogm_digits(text: str) -> str | None:
    """The 12 digits of a correctly laid out OGM (check digits not verified), else None."""
    match = _WRITTEN_OGM.fullmatch(text.strip())
    if match is None or match["opening"] != match["closing"]:
        return None
    return match[2] + match[3] + match[4]


def ogm_from_base(base: int) -> str:
    """The printed OGM (Febelfin structured communication) for a 10-digit base.

    The check digits are the base modulo 97, or 97 when the remainder is 0. A base of 0 is
    formally valid (``+++000/0000/00097+++``) but never issued (docs/formats.md, section 1.2).

    >>> ogm_from_base(1)
    '+++000/0000/00101+++'
    >>> ogm_from_base(97)
    '+++000/0000/09797+++'
    >>> ogm_from_base(0)
    Traceback (most recent call last):
        ...
    ValueError: An OGM base is a whole number from 1 to 9999999999, not 0.
    """
    return _printed(ogm_digits_from_base(base))


def ogm_digits_from_base(base: int) -> str:
    """The 12 bare digits of the OGM for a 10-digit base (the form banks carry), as
    :func:`ogm_from_base` prints them.

    >>> ogm_digits_from_base(97)
    '000000009797'
    """
    if isinstance(base, bool) or not isinstance(base, int):
        raise TypeError(f"An OGM base is an int, not {type(base).__name__}.")
    if not 1 <= base <= MAX_OGM_BASE:
        raise ValueError(f"An OGM base is a whole number from 1 to {MAX_OGM_BASE}, not {base}.")
    digits = f"{base:010d}"
    return digits + ogm_vcs.calc_check_digits(digits)


def _printed(digits: str) -> str:
    return f"+++{ogm_vcs.format(digits)}+++"


def ogm_is_valid(text: str) -> bool:
    """Whether ``text`` is one valid OGM (Febelfin structured communication).

    Accepted: ``+++ddd/dddd/ddddd+++``, ``***ddd/dddd/ddddd***``, and the same digits spaced,
    slashed or bare. Refused: decorations that are not three identical signs on both sides,
    slashes or spaces inside a digit group, the all-zero number, and wrong check digits.

    >>> ogm_is_valid('+++010/8068/17183+++'), ogm_is_valid('***090/9337/55493***')
    (True, True)
    >>> ogm_is_valid('++700/8000/90602+++'), ogm_is_valid('+++010/8068/17180+++')
    (False, False)
    """
    digits = _ogm_digits(text)
    return digits is not None and _has_ogm_check_digits(digits)


def ogm_normalize(text: str) -> str:
    """The 12 bare digits of a valid OGM, the form banks carry in files.

    >>> ogm_normalize('+++090/9337/55493+++')
    '090933755493'
    >>> ogm_normalize('+++090/9337/55490+++')
    Traceback (most recent call last):
        ...
    ValueError: '+++090/9337/55490+++' is not a valid structured communication (OGM/VCS).
    """
    digits = _ogm_digits(text)
    if digits is None or not _has_ogm_check_digits(digits):
        raise ValueError(f"{text!r} is not a valid structured communication (OGM/VCS).")
    return digits


def ogm_format(text: str) -> str:
    """A valid OGM in its printed form ``+++ddd/dddd/ddddd+++``.

    >>> ogm_format('010806817183')
    '+++010/8068/17183+++'
    """
    return _printed(ogm_normalize(text))


def rf_from_base(base: str) -> str:
    """The ISO 11649 creditor reference for ``base`` (1 to 21 letters or digits), compact.

    The check digits are ISO 7064 MOD 97-10 of ``base + "RF"``; spaces are ignored and letters
    upper-cased.

    >>> rf_from_base('1234 5678 9')
    'RF18123456789'
    >>> rf_from_base('010806817183')
    'RF61010806817183'
    """
    compact = "".join(base.split()).upper()
    if not (1 <= len(compact) <= MAX_RF_BASE_LENGTH and compact.isascii() and compact.isalnum()):
        raise ValueError(
            f"An RF reference base has 1 to {MAX_RF_BASE_LENGTH} letters or digits, not {base!r}."
        )
    return f"RF{mod_97_10.calc_check_digits(compact + 'RF')}{compact}"


def rf_is_valid(text: str) -> bool:
    """Whether ``text`` is a valid ISO 11649 creditor reference (spaces allowed, any case).

    >>> rf_is_valid('RF18 5390 0754 7034'), rf_is_valid('RF17 5390 0754 7034')
    (True, False)
    """
    compact = "".join(text.split())
    return (
        compact[:2].upper() == "RF"
        and compact.isascii()
        and compact.isalnum()
        and bool(iso11649.is_valid(compact))
    )


def rf_normalize(text: str) -> str:
    """A valid ISO 11649 reference in compact upper-case form.

    >>> rf_normalize('rf18 5390 0754 7034')
    'RF18539007547034'
    """
    if not rf_is_valid(text):
        raise ValueError(f"{text!r} is not a valid ISO 11649 creditor reference (RF).")
    return str(iso11649.compact(text))


def classify_reference(text: str | None) -> StructuredReference | None:
    """What a reference is, judged by its content, never by the tag it arrived under.

    Banks label references loosely (a camt.053 ``Issr`` of ``BBA`` with 16 digits, a CODA type
    101 with wrong check digits), so the rule of docs/formats.md, section 2.2 applies: a valid OGM
    is an OGM, a valid ``RF`` reference is an RF reference, anything else is not a structured
    reference.

    >>> classify_reference('RF18 5390 0754 7034')
    StructuredReference(kind='rf', value='RF18539007547034')
    >>> classify_reference('4654654654654654') is None
    True
    """
    if not text:
        return None
    # Bank files carry the bare 12 digits: skip the layout parse for them.
    digits = text if len(text) == 12 and text.isdigit() and text.isascii() else _ogm_digits(text)
    if digits is not None and _has_ogm_check_digits(digits):
        return StructuredReference(kind="ogm", value=digits)
    if rf_is_valid(text):
        return StructuredReference(kind="rf", value=rf_normalize(text))
    return None


def find_ogms(text: str) -> list[str]:
    """Valid OGMs typed into free text (docs/formats.md, section 1.5): 12 digits each, in order,
    once each.

    One random 12-digit string in 97 passes the check by chance, so a hit only counts as a match
    when it equals an OGM that was issued and is still open: that is the caller's test.

    >>> find_ogms('Facture 12, +++010/8068/17183+++ et 090 9337 55493, 010806817183')
    ['010806817183', '090933755493']
    >>> find_ogms('IBAN BE68 5390 0754 7034, ref F 130602535549')
    []
    """
    found: list[str] = []
    for match in _OGM_IN_TEXT.finditer(text):
        digits = match[1] + match[2] + match[3]
        if digits not in found and _has_ogm_check_digits(digits):
            found.append(digits)
    return found
