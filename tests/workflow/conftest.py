"""Helpers for the daily run tests: run a day, produce the letters due, read a file back.

Dates follow the legal.md examples: an e-mail first reminder sent on Monday 3 March 2025 has its
last day of grace on Monday 17 March (first chargeable day 18 March).
"""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from amicable.domain.lifecycle import FileState
from amicable.files.models import Event, File
from amicable.workflow.models import LetterRequest, LetterStatus
from amicable.workflow.services import RunResult, record_letters_produced, run_daily


def run(day: date, **options: Any) -> RunResult:
    """The daily run of ``day``, its progress lines kept out of the test output."""
    options.setdefault("progress_stream", io.StringIO())
    return run_daily(run_date=day, **options)


def produce(kind: str, *, on: date) -> int:
    """The letters batch sends every pending letter of ``kind`` on ``on``."""
    ids = list(
        LetterRequest.objects.filter(kind=kind, status=LetterStatus.PENDING).values_list(
            "pk", flat=True
        )
    )
    return record_letters_produced(request_ids=ids, produced_on=on, actor="letters")


def state_of(file: File) -> FileState:
    file.refresh_from_db()
    return file.file_state


def kinds(file: File, *, actor: str = "daily-run") -> list[str]:
    """The kinds of the file's timeline events by ``actor``, in order."""
    return list(
        Event.objects.filter(file=file, actor=actor).order_by("id").values_list("kind", flat=True)
    )
