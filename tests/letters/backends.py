"""E-mail backends for the tests: Django's backend interface, answering as a real server would.

:class:`RefusingBackend` answers every message as a server that refuses the recipient for good
(SMTP 550, RFC 5321 section 4.2.1); :class:`UnreachableBackend` as a server nobody can reach.
Both raise from ``send_messages``, exactly where Django's SMTP backend raises.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class RefusingBackend(BaseEmailBackend):
    """Every recipient refused: ``550 5.1.1 mailbox unavailable``."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        refused = {
            address: (550, b"5.1.1 mailbox unavailable")
            for message in email_messages
            for address in message.recipients()
        }
        raise smtplib.SMTPRecipientsRefused(refused)


class UnreachableBackend(BaseEmailBackend):
    """The server cannot be reached (a transient failure: the e-mail is tried again)."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError(111, "Connection refused")
