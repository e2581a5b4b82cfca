"""Bank statement readers: CODA 2.x and ISO 20022 camt.053, to one :class:`BankMovement` type.

Framework-free (no Django): the readers take bytes and return values, so that they can be
tested, benchmarked and reused without a database. :func:`parse_statement` detects the format.
"""

from __future__ import annotations

import codecs

from amicable.statements.camt import parse_camt053
from amicable.statements.coda import parse_coda
from amicable.statements.model import (
    BankMovement,
    Format,
    ParseResult,
    Statement,
    StatementError,
    Warning,
)

__all__ = [
    "FORMATS",
    "BankMovement",
    "Format",
    "ParseResult",
    "Statement",
    "StatementError",
    "Warning",
    "detect_format",
    "parse_statement",
]

FORMATS: tuple[Format, ...] = ("coda", "camt053")


def detect_format(data: bytes) -> Format:
    """``"camt053"`` for an XML document, ``"coda"`` for a file opening with a CODA header.

    >>> detect_format(b'<?xml version="1.0"?><Document/>')
    'camt053'
    >>> detect_format(b"0000001012520005" + b" " * 112)
    'coda'
    """
    head = data[:1024]
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom) :].decode(codec, errors="ignore").encode("utf-8")
            break
    head = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"<"):
        return "camt053"
    if head.startswith(b"00000"):
        return "coda"
    if not head:
        raise StatementError("file", "the file is empty")
    raise StatementError(
        "line 1", "unknown format: neither a CODA file (header record 0) nor a camt.053 document"
    )


def parse_statement(data: bytes, *, format: str | None = None) -> ParseResult:
    """Read a bank statement file: CODA or camt.053, detected when ``format`` is None.

    Raises :class:`StatementError` (with the line or element at fault) for a file that cannot
    be read; integrity problems that do not prevent reading are in ``ParseResult.warnings``.
    """
    chosen = detect_format(data) if format is None else format
    if chosen == "coda":
        return parse_coda(data)
    if chosen == "camt053":
        return parse_camt053(data)
    raise ValueError(f"Unknown statement format {format!r}; expected one of {FORMATS}.")
