"""Sessions kept in the database, as Django keeps them, with their row read by a prepared read
(``files.prepared``): every signed-in request reads it, and the ORM's work of building that
query cost more than the database's answer."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.utils import timezone

from amicable.files.prepared import PreparedRead

__all__ = ["SessionStore"]

_SESSION = PreparedRead(
    "a session",
    lambda session_key, now: Session.objects.filter(session_key=session_key, expire_date__gt=now),
    session_key=str,
    now=datetime,
)


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        found = _SESSION(session_key=self.session_key, now=timezone.now())
        if not found:
            # As Django's own store: an unknown or expired key is dropped (a new one is made).
            self._session_key = None
            return None
        return found[0]
