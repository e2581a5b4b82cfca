"""File numbers, human references and structured communications, allocated in blocks.

A file number ``n`` gives the reference ``AM`` + 8 digits and the structured communication
(OGM/VCS) with base ``n * 100``; the two last base digits number the instalments of a payment
plan (01 to 99), so every payment that names an instalment still names its file.
Blocks are taken with one atomic UPDATE ... RETURNING, so bulk intake needs one query per batch
and two workers never get the same number (PostgreSQL row lock; SQLite writes are serialized).
"""

from __future__ import annotations

import re

from django.db import connection, transaction

from amicable.domain.references import ogm_digits_from_base, ogm_normalize
from amicable.files.models import NumberSequence

FILE_SEQUENCE = "file"
FILE_NUMBER_PG_SEQUENCE = "amicable_file_number"
REFERENCE_PREFIX = "AM"
_REFERENCE = re.compile(rf"{REFERENCE_PREFIX}\d{{8}}")
MAX_INSTALMENTS_PER_REFERENCE = 99


def allocate_file_numbers(count: int) -> list[int]:
    """Reserve ``count`` file numbers (increasing; consecutive unless another batch interleaves).

    On PostgreSQL a database sequence hands them out without any lock held until commit, so
    several intake batches run in parallel; a rolled-back batch leaves a gap, which is harmless.
    Elsewhere (SQLite, one writer at a time) a counter row is advanced in one UPDATE.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                [FILE_NUMBER_PG_SEQUENCE, count],
            )
            return sorted(row[0] for row in cursor.fetchall())
    with transaction.atomic():
        NumberSequence.objects.get_or_create(name=FILE_SEQUENCE)
        table = connection.ops.quote_name(NumberSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET value = value + %s WHERE name = %s RETURNING value",  # noqa: S608
                [count, FILE_SEQUENCE],
            )
            (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


def file_reference(number: int) -> str:
    return f"{REFERENCE_PREFIX}{number:08d}"


def is_file_reference(text: str) -> bool:
    """Whether ``text`` has the form of a stored reference (``AM`` and 8 digits): anything else
    names no file, and is refused before any query."""
    return _REFERENCE.fullmatch(text) is not None


def normalize_file_reference(text: str) -> str:
    """What a person typed (spaces, dashes, lower case) as the stored reference form."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.isdigit():
        compact = REFERENCE_PREFIX + compact.zfill(8)
    return compact


def file_structured_communication(number: int) -> str:
    """The 12 digits of the file's own structured communication."""
    return ogm_digits_from_base(number * 100)


def instalment_structured_communication(number: int, instalment: int) -> str:
    if not 1 <= instalment <= MAX_INSTALMENTS_PER_REFERENCE:
        raise ValueError(f"instalment must be between 1 and {MAX_INSTALMENTS_PER_REFERENCE}")
    return ogm_digits_from_base(number * 100 + instalment)


def file_number_from_structured_communication(digits: str) -> tuple[int, int]:
    """(file number, instalment index or 0) named by one of our structured communications."""
    base = int(ogm_normalize(digits)[:10])
    return divmod(base, 100)
