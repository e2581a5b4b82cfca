"""Belgian structured communication (OGM/VCS) and ISO 11649 RF creditor references.

OGM/VCS (Febelfin): 12 digits, a 10-digit base and two check digits equal to the base modulo
97 (97 when the remainder is 0), printed ``+++ddd/dddd/ddddd+++`` (or with asterisks).
RF (ISO 11649): ``RF`` + two ISO 7064 mod 97-10 check digits + up to 21 alphanumerics.

>>> ogm_from_base(108068171)
'+++010/8068/17183+++'
>>> ogm_normalize('***010/8068/17183***')
'010806817183'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

MAX_BASE = 9_999_999_999
# The printed forms: +++ddd/dddd/ddddd+++ or ***ddd/dddd/ddddd***, slashes and spaces optional.
_DECORATED = re.compile(
    r"^(\+{3}|\*{3})?\s*(\d{3})\s*/?\s*(\d{4})\s*/?\s*(\d{5})\s*(\+{3}|\*{3})?$"
)
_IN_TEXT = re.compile(r"(?<!\d)(\d{3})[\s/.-]?(\d{4})[\s/.-]?(\d{5})(?!\d)")


def _check_digits(base: int) -> str:
    check = base % 97
    return f"{check or 97:02d}"


def ogm_from_base(base: int) -> str:
    """The printed OGM for a 10-digit base (never base 0: formats.md 1.2)."""
    if not 1 <= base <= MAX_BASE:
        raise ValueError(f"An OGM base must be between 1 and {MAX_BASE}, not {base}.")
    digits = f"{base:010d}{_check_digits(base)}"
    return ogm_format(digits)


def _digits(text: str) -> str | None:
    match = _DECORATED.match(text.strip())
    if match is None:
        return None
    opening, a, b, c, closing = match.groups()
    if (opening or closing) and opening != closing:
        return None
    return a + b + c


def ogm_is_valid(text: str) -> bool:
    digits = _digits(text)
    if digits is None or digits == "0" * 12:
        return False
    return _check_digits(int(digits[:10])) == digits[10:]


def ogm_normalize(text: str) -> str:
    """The 12 bare digits of a valid OGM; ValueError otherwise."""
    if not ogm_is_valid(text):
        raise ValueError(f"{text!r} is not a valid structured communication.")
    digits = _digits(text)
    assert digits is not None
    return digits


def ogm_format(text: str) -> str:
    digits = _digits(text)
    if digits is None:
        raise ValueError(f"{text!r} is not a structured communication.")
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def rf_from_base(base: str) -> str:
    """An ISO 11649 creditor reference for an alphanumeric base of up to 21 characters."""
    compact = base.replace(" ", "").upper()
    if not compact.isalnum() or not 1 <= len(compact) <= 21:
        raise ValueError("An RF base has 1 to 21 letters or digits.")
    check = mod_97_10.calc_check_digits(compact + "RF")
    return f"RF{check}{compact}"


def rf_is_valid(text: str) -> bool:
    return bool(iso11649.is_valid(text))


def rf_normalize(text: str) -> str:
    if not rf_is_valid(text):
        raise ValueError(f"{text!r} is not a valid RF creditor reference.")
    return str(iso11649.compact(text))


@dataclass(frozen=True, slots=True)
class StructuredReference:
    kind: Literal["ogm", "rf"]
    value: str


def classify_reference(text: str | None) -> StructuredReference | None:
    """What a reference is, by its content (not by the tag it came in)."""
    if not text:
        return None
    if ogm_is_valid(text):
        return StructuredReference("ogm", ogm_normalize(text))
    if rf_is_valid(text):
        return StructuredReference("rf", rf_normalize(text))
    return None


def find_ogms(text: str) -> list[str]:
    """Valid OGMs written in free text (formats.md 1.5), normalized, in order, once each."""
    found: list[str] = []
    for match in _IN_TEXT.finditer(text):
        digits = "".join(match.groups())
        valid = digits != "0" * 12 and _check_digits(int(digits[:10])) == digits[10:]
        if valid and digits not in found:
            found.append(digits)
    return found
