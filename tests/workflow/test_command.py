"""``amicable run-daily``: options, progress on standard error, a summary, the dry run."""

from __future__ import annotations

import doctest
import io
import os
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from django.core import checks
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from time_machine import TimeMachineFixture

from amicable.domain.lifecycle import FileState
from amicable.workflow import planning, progress
from amicable.workflow.models import DailyRun, LetterRequest
from amicable.workflow.progress import Progress
from tests.workflow.conftest import pending_file, snapshot, state_of


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("run_daily", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_command_runs_in_batches_and_reports_progress_on_stderr() -> None:
    files = [pending_file() for _ in range(5)]

    out, err = command("--date", "2025-03-03", "--batch-size", "2")

    # Queued, not yet sent: no period runs (docs/legal.md, section 1).
    assert [state_of(file) for file in files] == [FileState.FIRST_REMINDER_PENDING] * 5
    assert LetterRequest.objects.filter(kind="first_reminder").count() == 5
    lines = err.splitlines()
    assert lines[0].startswith("daily run 2025-03-03: 2/5 files (40.0 %), ")
    assert lines[0].endswith(tuple(f"ETA {s}s" for s in range(60)))
    assert lines[-1].startswith("daily run 2025-03-03: 5/5 files (100.0 %), ")
    assert " files/s, done in " in lines[-1]
    run = DailyRun.objects.get()
    assert out.splitlines()[0] == (
        f"Daily run #{run.pk} for 2025-03-03: 5 of 5 files in {run_seconds(out)}s (3 batches)."
    )
    assert "  queued_first_reminder: 5" in out.splitlines()
    assert (run.status, run.files_total, run.files_done, run.batch_size) == ("finished", 5, 5, 2)
    assert run.last_file_id == max(file.pk for file in files)
    assert run.counts["queued_first_reminder"] == 5


def run_seconds(out: str) -> str:
    return out.splitlines()[0].split(" files in ")[1].split("s (")[0]


@pytest.mark.django_db
def test_command_checks_the_models_and_leaves_the_web_checks_to_the_deployment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A broken web setting (URLs, templates, security) stops ``amicable check``, not the
    night's run; a broken model stops both."""
    registry = checks.registry.CheckRegistry()
    monkeypatch.setattr(checks.registry, "registry", registry)
    monkeypatch.setattr(checks, "run_checks", registry.run_checks)

    def broken(tag: str) -> None:
        def check(**kwargs: object) -> list[checks.CheckMessage]:
            return [checks.Error(f"broken {tag}", id=f"test.{tag}")]

        registry.register(check, tag)

    broken(checks.Tags.urls)
    broken(checks.Tags.security)
    with pytest.raises(SystemCheckError, match="broken urls"):
        call_command("check", stdout=io.StringIO(), stderr=io.StringIO())
    out = io.StringIO()
    call_command("run_daily", "--date", "2025-03-03", skip_checks=False, stdout=out)
    assert out.getvalue().startswith("Daily run #")

    broken(checks.Tags.models)
    with pytest.raises(SystemCheckError, match="broken models"):
        call_command("run_daily", "--date", "2025-03-04", skip_checks=False, stdout=out)


@pytest.mark.django_db
def test_dry_run_prints_each_action_and_writes_nothing() -> None:
    file = pending_file()
    before = snapshot()

    out, _ = command("--date", "2025-03-03", "--dry-run")

    assert snapshot() == before
    assert not LetterRequest.objects.exists()
    assert not DailyRun.objects.exists()
    assert out.splitlines()[:2] == [
        f"{file.reference}: queue first_reminder (electronic) due 2025-03-03",
        f"Dry run (nothing written) for 2025-03-03: 1 of 1 files in {run_seconds_dry(out)}s "
        "(1 batches).",
    ]


def run_seconds_dry(out: str) -> str:
    return out.splitlines()[1].split(" files in ")[1].split("s (")[0]


@pytest.mark.django_db
def test_quiet_command_prints_nothing() -> None:
    pending_file()
    out, err = command("--date", "2025-03-03", "--verbosity", "0")
    assert (out, err) == ("", "")
    assert DailyRun.objects.get().files_done == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ("--date", "03/03/2025"), "--date must be a date as YYYY-MM-DD", id="bad_date_case"
        ),
        pytest.param(("--batch-size", "0"), "--batch-size must be 1 or more", id="batch_case"),
    ],
)
def test_command_refuses_bad_options(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        command(*args)


@pytest.mark.django_db
def test_default_date_is_today_in_belgium(time_machine: TimeMachineFixture) -> None:
    # 23:30 UTC on 3 March is already 4 March in Brussels.
    time_machine.move_to(datetime(2025, 3, 3, 23, 30, tzinfo=UTC))
    pending_file()
    command()
    assert DailyRun.objects.get().run_date == date(2025, 3, 4)


def test_progress_lines_are_throttled_and_give_rate_and_eta() -> None:
    now = [100.0]
    stream = io.StringIO()
    meter = Progress(
        total=4000,
        label="daily run 2025-06-30",
        stream=stream,
        every_seconds=2.0,
        clock=lambda: now[0],
    )
    for _ in range(4):
        now[0] += 1.0
        meter.advance(1000)
    meter.finish()
    assert stream.getvalue().splitlines() == [
        "daily run 2025-06-30: 1000/4000 files (25.0 %), 1000 files/s, ETA 3s",
        "daily run 2025-06-30: 3000/4000 files (75.0 %), 1000 files/s, ETA 1s",
        "daily run 2025-06-30: 4000/4000 files (100.0 %), 1000 files/s, done in 4s",
    ]


@pytest.mark.parametrize("module", [planning, progress], ids=lambda m: m.__name__)
def test_doctests(module: object) -> None:
    failures, tests = doctest.testmod(module)  # type: ignore[arg-type]
    assert (failures, tests > 0) == (0, True)


def test_the_daily_run_starts_without_the_web_api_framework() -> None:
    """A command's process sets Django up and imports the run without django-ninja (and the
    test client it brings): the API's documentation takes only its static files from it
    (config/settings.py), and importing the whole framework cost each command 0.12 CPU s."""
    script = (
        "import sys, django; django.setup(); import amicable.workflow.services; "
        "print(sorted(m for m in ('ninja', 'pydantic', 'django.test') if m in sys.modules))"
    )
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "amicable.config.settings"}
    loaded = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.strip() == "[]"
