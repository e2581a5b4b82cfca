"""Field rules of creditor intake: what a single value must look like before it is accepted.

The API (``amicable.intake.api``) and the CSV/XLSX import (``amicable.intake.importer``) read
values through these types, so both refuse the same data with the same reason. Each type is a
pydantic ``Annotated`` type whose validator raises ``PydanticCustomError`` with a sentence a
person can act on, and whose JSON schema (for the OpenAPI document) says what is accepted.

Rules that need several fields or today's date (a due date not in the future, the first reminder
and its channel together, the damages clause as the law reads it) live in
``amicable.intake.rules``.

Policies where the statute is silent:

- Text: surrounding spaces are trimmed and the text is normalised to NFC; control characters
  (NUL included: PostgreSQL refuses it in text), unpaired surrogates, private-use and unassigned
  code points, and bidirectional overrides (which can make a name read differently on screen)
  are refused, never silently removed: the creditor must know what we stored.
- Amounts: euros, strictly positive, at most two decimals, at most ``MAX_AMOUNT``; given as a
  JSON string (``"120.50"``) or a JSON number, which the API parser reads as a ``Decimal`` from
  its text (never through a float).
- Dates: ISO 8601 calendar dates (``YYYY-MM-DD``) from ``MIN_DATE``; nothing else is guessed.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Final, Literal

import schwifty
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from pydantic import AfterValidator, BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError
from stdnum.be import vat as be_vat
from stdnum.exceptions import ValidationError as StdnumValidationError

from amicable.domain.money import CENT

# Policy: a consumer claim above this is a typing error, not a debt (and every sum of a file's
# claims stays far inside the ledger's 14 digits).
MAX_AMOUNT: Final = Decimal("99999999.99")
# Policy: an older date is a typing error (and no published interest rate reaches it).
MIN_DATE: Final = date(2000, 1, 1)
MAX_DATE: Final = date(2099, 12, 31)
MAX_PERCENT: Final = Decimal("100")

LanguageCode = Literal["fr", "nl", "de", "en"]
ReminderChannel = Literal["paper", "electronic"]
ReciprocityIn = Literal["reciprocal", "not_reciprocal", "not_declared"]

_BIDI_CONTROLS: Final = frozenset(
    chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)
)
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cs", "Co", "Cn"})
_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL_TEXT: Final = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_PHONE: Final = re.compile(r"[0-9+()./ -]+")
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_BELGIAN_POSTAL_CODE: Final = re.compile(r"[1-9]\d{3}")
# Idempotency keys travel in an HTTP header: visible ASCII only.
_KEY: Final = re.compile(r"[\x21-\x7e]+")


def _error(code: str, message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError(code, message, context or None)


# --- text -------------------------------------------------------------------------------------


def clean_text(value: str) -> str:
    """``value`` trimmed and NFC-normalised; a character we would not store is refused.

    >>> clean_text("  Rue Haute 12 ")
    'Rue Haute 12'
    >>> clean_text("A\\x00B")
    Traceback (most recent call last):
    ...
    pydantic_core._pydantic_core.PydanticCustomError: The character U+0000 is not allowed \
(control characters, unpaired surrogates and direction overrides are refused).
    """
    text = value.strip()
    # The fast path: printable text needs no look at each character.
    if not text.isprintable():
        for char in text:
            if unicodedata.category(char) in _REFUSED_CATEGORIES or char in _BIDI_CONTROLS:
                raise refused_character(char)
    return unicodedata.normalize("NFC", text)


def refused_character(char: str) -> PydanticCustomError:
    """The error for a character no text may hold (``clean_text``, and ``nul_locations``)."""
    return _error(
        "text_character",
        "The character {char} is not allowed (control characters, unpaired surrogates and "
        "direction overrides are refused).",
        char=f"U+{ord(char):04X}",
    )


Location = tuple[str | int, ...]


def nul_locations(value: object, at: Location = ()) -> list[Location]:
    """Where a NUL character is, in a parsed JSON value or form: any string, any key, any depth.

    PostgreSQL refuses NUL in text, so the API refuses it where a request enters, in strings
    that no text rule reads too (a key, a choice, a path parameter).

    >>> nul_locations({"debtor": {"name": "A\\x00B"}, "claims": [{"a\\x00": 1}], "ok": "x"})
    [('debtor', 'name'), ('claims', 0, 'a\\x00')]
    """
    if isinstance(value, str):
        return [at] if "\x00" in value else []
    found: list[Location] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and "\x00" in key:
                found.append((*at, key))
            else:
                found.extend(nul_locations(item, (*at, key)))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found.extend(nul_locations(item, (*at, index)))
    return found


def _text_validator(max_length: int, *, required: bool) -> Any:
    def validate(value: str) -> str:
        text = clean_text(value)
        if required and not text:
            raise _error("text_empty", "This field must not be empty.")
        if len(text) > max_length:
            raise _error(
                "text_too_long",
                "At most {max_length} characters are allowed, not {length}.",
                max_length=max_length,
                length=len(text),
            )
        return text

    return AfterValidator(validate)


def _text_schema(max_length: int, *, required: bool, **extra: Any) -> WithJsonSchema:
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length, **extra}
    if required:
        schema["minLength"] = 1
    return WithJsonSchema(schema)


Reference = Annotated[
    str,
    _text_validator(64, required=True),
    _text_schema(64, required=True, examples=["INV-2025-0042"]),
]
Name = Annotated[str, _text_validator(200, required=True), _text_schema(200, required=True)]
Address = Annotated[str, _text_validator(200, required=True), _text_schema(200, required=True)]
City = Annotated[str, _text_validator(100, required=True), _text_schema(100, required=True)]
Description = Annotated[str, _text_validator(300, required=True), _text_schema(300, required=True)]
Reason = Annotated[str, _text_validator(200, required=True), _text_schema(200, required=True)]
Note = Annotated[str, _text_validator(300, required=False), _text_schema(300, required=False)]


def _postal_code(value: str) -> str:
    text = clean_text(value).upper()
    if not text:
        raise _error("postal_code_empty", "A postal code is required.")
    if len(text) > 10:
        raise _error("postal_code_too_long", "A postal code has at most 10 characters.")
    return text


# Whether a Belgian postal code is well formed depends on the country: see rules.check_debtor.
PostalCode = Annotated[
    str,
    AfterValidator(_postal_code),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 10, "examples": ["1000"]}),
]


def is_belgian_postal_code(value: str) -> bool:
    """Belgian postal codes have four digits, from 1000 to 9999 (bpost).

    >>> [is_belgian_postal_code(code) for code in ("1000", "0999", "B-1000")]
    [True, False, False]
    """
    return _BELGIAN_POSTAL_CODE.fullmatch(value) is not None


def _country(value: str) -> str:
    text = clean_text(value).upper()
    if _COUNTRY.fullmatch(text) is None:
        raise _error("country", "Give the country as its two-letter ISO 3166 code, for example BE.")
    return text


Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema({"type": "string", "pattern": "^[A-Za-z]{2}$", "examples": ["BE"]}),
]


def _email(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    if len(text) > 254:
        raise _error("email_too_long", "An e-mail address has at most 254 characters.")
    try:
        validate_email(text)
    except DjangoValidationError:
        raise _error("email", "This is not a valid e-mail address.") from None
    return text


Email = Annotated[
    str,
    AfterValidator(_email),
    WithJsonSchema({"type": "string", "maxLength": 254, "examples": ["marie.dupont@example.be"]}),
]


def _phone(value: str) -> str:
    text = clean_text(value)
    if not text:
        return ""
    if len(text) > 40 or _PHONE.fullmatch(text) is None or sum(c.isdigit() for c in text) < 6:
        raise _error(
            "phone",
            "A phone number has digits and only the signs + ( ) . / - and spaces "
            "(at most 40 characters).",
        )
    return text


Phone = Annotated[
    str,
    AfterValidator(_phone),
    WithJsonSchema({"type": "string", "maxLength": 40, "examples": ["+32 470 12 34 56"]}),
]


def _idempotency_key(value: str) -> str:
    if not 1 <= len(value) <= 128 or _KEY.fullmatch(value) is None:
        raise _error(
            "idempotency_key",
            "An idempotency key has 1 to 128 visible ASCII characters (no spaces).",
        )
    return value


IdempotencyKey = Annotated[
    str,
    AfterValidator(_idempotency_key),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 128}),
]


# --- identifiers ------------------------------------------------------------------------------


def enterprise_number(value: str) -> str:
    """A Belgian enterprise number (KBO/BCE), as its 10 digits; refused if the check fails.

    The last two digits are 97 minus the first eight modulo 97 (python-stdnum ``be.vat``); the
    ``BE`` prefix, dots and spaces are accepted.

    >>> enterprise_number("BE 0403.170.701")
    '0403170701'
    """
    try:
        return str(be_vat.validate(clean_text(value)))
    except StdnumValidationError:
        raise _error(
            "enterprise_number",
            "This is not a valid Belgian enterprise number (10 digits, the last two a "
            "modulo 97 check, for example 0403.170.701).",
        ) from None


EnterpriseNumber = Annotated[
    str,
    AfterValidator(enterprise_number),
    WithJsonSchema({"type": "string", "examples": ["0403.170.701"]}),
]


def iban(value: str) -> str:
    """An IBAN in its compact form; refused if its country format or checksum is wrong.

    >>> iban("be71 0961 2345 6769")
    'BE71096123456769'
    """
    try:
        return str(schwifty.IBAN(clean_text(value)).compact)
    except ValueError:  # schwifty's errors derive from ValueError
        raise _error(
            "iban",
            "This is not a valid IBAN (check the country code, the length and the check digits).",
        ) from None


Iban = Annotated[
    str,
    AfterValidator(iban),
    WithJsonSchema({"type": "string", "examples": ["BE71 0961 2345 6769"]}),
]


# --- dates ------------------------------------------------------------------------------------


def _calendar_date(value: object, *, first: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        day = value
    elif isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            day = date.fromisoformat(value.strip())
        except ValueError:
            raise _error("date", "This date does not exist in the calendar.") from None
    else:
        raise _error("date_format", "Write dates as YYYY-MM-DD, for example 2025-02-14.")
    if not first <= day <= MAX_DATE:
        raise _error(
            "date_range",
            "The date must be between {first} and {last}.",
            first=first.isoformat(),
            last=MAX_DATE.isoformat(),
        )
    return day


def iso_date(value: object) -> date:
    """A calendar date written ``YYYY-MM-DD`` between ``MIN_DATE`` and ``MAX_DATE``.

    >>> iso_date("2025-02-14")
    datetime.date(2025, 2, 14)
    """
    return _calendar_date(value, first=MIN_DATE)


IsoDate = Annotated[
    date,
    BeforeValidator(iso_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2025-02-14"]}),
]

MIN_BIRTH_DATE: Final = date(1900, 1, 1)


def birth_date(value: object) -> date:
    """A birth date written ``YYYY-MM-DD``, from 1900 (that it is past is a rule)."""
    return _calendar_date(value, first=MIN_BIRTH_DATE)


BirthDate = Annotated[
    date,
    BeforeValidator(birth_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["1980-05-17"]}),
]


# --- amounts ----------------------------------------------------------------------------------


def parse_decimal(value: object, *, what: str = "number") -> Decimal:
    """A finite ``Decimal`` from a ``Decimal``, an ``int`` or a plain decimal string.

    Floats are refused: the API parser never makes one, and any other caller must not either.
    """
    if isinstance(value, bool | float):
        raise _error(
            "number_type",
            'Give the {what} as a decimal number or a string like "120.50".',
            what=what,
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 40 or _DECIMAL_TEXT.fullmatch(text) is None:
            raise _error(
                "number_format",
                "Write the {what} with digits and a decimal point, like 120.50 (no thousands "
                "separator, no currency sign).",
                what=what,
            )
        number = Decimal(text)
    else:
        raise _error(
            "number_type",
            'Give the {what} as a decimal number or a string like "120.50".',
            what=what,
        )
    if not number.is_finite():
        raise _error("number_finite", "The {what} must be a finite number.", what=what)
    return number


def _decimals(number: Decimal) -> int:
    """How many decimals ``number`` really has (trailing zeros are not decimals of value)."""
    if number == 0:
        return 0
    exponent = number.normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers only
    return max(0, -exponent)


def amount(value: object) -> Decimal:
    """A sum in euros: more than 0, at most two decimals, at most ``MAX_AMOUNT``.

    >>> amount("120.5"), amount(7), amount(Decimal("1.500"))
    (Decimal('120.50'), Decimal('7.00'), Decimal('1.50'))
    """
    number = parse_decimal(value, what="amount")
    if number <= 0:
        raise _error("amount_positive", "The amount must be more than 0.00.")
    return _money(number)


def amount_or_zero(value: object) -> Decimal:
    """A sum in euros that may be 0.00 (a requested indemnity of nothing)."""
    number = parse_decimal(value, what="amount")
    if number < 0:
        raise _error("amount_negative", "The amount must be 0.00 or more.")
    return _money(number)


def _money(number: Decimal) -> Decimal:
    if number > MAX_AMOUNT:
        raise _error(
            "amount_too_large", "The amount must be at most {maximum}.", maximum=str(MAX_AMOUNT)
        )
    if _decimals(number) > 2:
        raise _error("amount_cents", "An amount has at most two decimals (whole cents).")
    try:
        return number.quantize(CENT)
    except InvalidOperation:  # pragma: no cover - bounded above, so always exact
        raise _error("amount_cents", "An amount has at most two decimals.") from None


def _percentage(value: object, *, decimals: int, what: str) -> Decimal:
    number = parse_decimal(value, what=what)
    if not 0 <= number <= MAX_PERCENT:
        raise _error("percent_range", "The {what} must be between 0 and 100.", what=what)
    if _decimals(number) > decimals:
        raise _error(
            "percent_decimals",
            "The {what} has at most {decimals} decimals.",
            what=what,
            decimals=decimals,
        )
    return number.quantize(Decimal(1).scaleb(-decimals))


def indemnity_percent(value: object) -> Decimal:
    return _percentage(value, decimals=2, what="percentage")


def interest_rate(value: object) -> Decimal:
    return _percentage(value, decimals=3, what="interest rate")


def _number_schema(
    *, minimum: Decimal, maximum: Decimal, decimals: int, exclusive_minimum: bool, example: str
) -> WithJsonSchema:
    pattern = r"^\d{1,%d}(\.\d{1,%d})?$" % (len(str(int(maximum))), decimals)  # noqa: UP031
    number: dict[str, Any] = {"type": "number", "maximum": float(maximum)}
    number["exclusiveMinimum" if exclusive_minimum else "minimum"] = float(minimum)
    return WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": pattern}, number], "examples": [example]}
    )


Amount = Annotated[
    Decimal,
    BeforeValidator(amount),
    _number_schema(
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        decimals=2,
        exclusive_minimum=True,
        example="120.50",
    ),
]
AmountOrZero = Annotated[
    Decimal,
    BeforeValidator(amount_or_zero),
    _number_schema(
        minimum=Decimal(0),
        maximum=MAX_AMOUNT,
        decimals=2,
        exclusive_minimum=False,
        example="25.00",
    ),
]
Percent = Annotated[
    Decimal,
    BeforeValidator(indemnity_percent),
    _number_schema(
        minimum=Decimal(0),
        maximum=MAX_PERCENT,
        decimals=2,
        exclusive_minimum=False,
        example="10",
    ),
]
Rate = Annotated[
    Decimal,
    BeforeValidator(interest_rate),
    _number_schema(
        minimum=Decimal(0),
        maximum=MAX_PERCENT,
        decimals=3,
        exclusive_minimum=False,
        example="8",
    ),
]
