"""The development server, as `make run` starts it, logs each event once, as text or as JSON.

Each test starts `amicable runserver` (DEBUG on, as in `make run`), asks for a page that does
not exist and for the API without a token, stops the server and reads what it wrote.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

AMICABLE = Path(sys.executable).parent / "amicable"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def _server_log(tmp_path: Path, log_format: str) -> list[str]:
    """The lines the server wrote to standard error while answering two requests."""
    port = _free_port()
    env = {
        **os.environ,
        "DEBUG": "true",
        "LOG_FORMAT": log_format,
        "AMICABLE_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    errors = tmp_path / "stderr.log"
    with errors.open("w") as stderr:
        server = subprocess.Popen(
            [str(AMICABLE), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=_interruptible,
        )
        try:
            _wait_for(port)
            assert _get(f"http://127.0.0.1:{port}/no-such-page") == 404
            assert _get(f"http://127.0.0.1:{port}/api/v1/files") == 401
            # The server logs a request after answering it: wait for the last line.
            _wait_until(lambda: "/api/v1/files HTTP/1.1" in errors.read_text())
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=20)
    return errors.read_text().splitlines()


def _interruptible() -> None:
    """Ctrl-C stops the server, as in a terminal, however the suite itself was started: a
    shell starting it in the background ignores SIGINT, and a child inherits that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(port: int) -> None:
    def listening() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    _wait_until(listening)


# Generous: the development server starts Django and checks the project before it listens,
# which takes well over 30 s on a machine busy with a parallel test run.
WAIT_SECONDS = 120


def _wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the development server did not get there in {WAIT_SECONDS} s")
        time.sleep(0.1)


def test_each_request_is_logged_once_as_text(tmp_path: Path) -> None:
    text_log = _server_log(tmp_path, "text")

    not_found = [line for line in text_log if "Not Found: /no-such-page" in line]
    unauthorized = [line for line in text_log if "Unauthorized: /api/v1/files" in line]
    access = [line for line in text_log if '"GET /no-such-page HTTP/1.1" 404' in line]

    assert (len(not_found), len(unauthorized), len(access)) == (1, 1, 1), text_log
    assert " WARNING django.request: Not Found: /no-such-page" in not_found[0]


def test_json_lines_parse_one_record_per_event(tmp_path: Path) -> None:
    lines = _server_log(tmp_path, "json")

    records = [json.loads(line) for line in lines]
    events = [(r["logger"], r["message"]) for r in records]
    assert events.count(("django.request", "Not Found: /no-such-page")) == 1
    assert events.count(("django.request", "Unauthorized: /api/v1/files")) == 1
    (not_found,) = [r for r in records if r["message"] == "Not Found: /no-such-page"]
    assert (not_found["level"], not_found["method"], not_found["path"], not_found["status"]) == (
        "WARNING",
        "GET",
        "/no-such-page",
        404,
    )
    access = [r for r in records if r["logger"] == "django.server"]
    assert [(r["status"], '"GET /no-such-page HTTP/1.1"' in r["message"]) for r in access] == [
        (404, True),
        (401, False),
    ]


def test_an_unknown_log_format_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "LOG_FORMAT": "xml", "AMICABLE_VAR_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [str(AMICABLE), "check"], env=env, capture_output=True, text=True, check=False
    )

    assert result.returncode != 0
    assert "LOG_FORMAT must be one of text, json, not 'xml'." in result.stderr
