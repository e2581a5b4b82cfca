"""The letters' cast: a lawful agency, files at each stage, and a real SMTP server on loopback.

The agency's name and address show through the envelope window, so they must not reveal a debt
(the default "Amicable Recouvrement SRL" would: every letter would be refused for it).
"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import LazySettings

from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import File
from tests.factories import make_file

BRUSSELS = ZoneInfo("Europe/Brussels")

#: A lawful agency (the sample letters' one): nothing in its name or address shows a debt.
AGENCY = {
    "name": "Clairval SRL",
    "enterprise_number": "0712.345.630",
    "fps_economy_registration": "FPS-ECO 2024/0047",
    "address": "Rue de la Loi 155, 1040 Bruxelles",
    "phone": "+32 2 555 01 23",
    "email": "contact@clairval.example",
    "iban": "BE71096123456769",
    "bic": "GKCCBEBB",
}


@pytest.fixture(autouse=True)
def _lawful_agency(settings: LazySettings) -> None:
    settings.AMICABLE_AGENCY = AGENCY
    settings.DEFAULT_FROM_EMAIL = "Clairval SRL <courrier@clairval.example>"


def brussels(*args: int) -> datetime:
    """A moment in Belgian time."""
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def file_in(state: FileState, *, today: date = date(2025, 4, 1), **debtor: Any) -> File:
    """A file whose claims are chargeable (creditor's paper reminder of 3 March 2025), moved to
    ``state`` through the lifecycle."""
    file = make_file(today=today, **debtor)
    path = {
        FileState.FORMAL_NOTICE: [],
        FileState.IN_COLLECTION: [FileState.WAITING_PERIOD, FileState.IN_COLLECTION],
        FileState.SUSPENDED: [FileState.SUSPENDED],
        FileState.DISPUTED: [FileState.DISPUTED],
    }[state]
    for step in path:
        change_file_state(file=file, new_state=step, actor="test")
    file.refresh_from_db()
    return file


# --- a real SMTP server ---------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (the kernel's choice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Inbox:
    """What the SMTP server received, as parsed messages with their envelope recipients."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        content = envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
            self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    port: int
    inbox: Inbox


@pytest.fixture
def smtp_settings(settings: LazySettings) -> LazySettings:
    """Django's SMTP backend, plain SMTP on loopback, a short timeout."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return settings


@pytest.fixture
def smtp_server(smtp_settings: LazySettings) -> Iterator[SmtpServer]:
    """An aiosmtpd server on 127.0.0.1 and a free port; Django's settings point at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    smtp_settings.EMAIL_PORT = port
    try:
        yield SmtpServer(port=port, inbox=inbox)
    finally:
        controller.stop()
