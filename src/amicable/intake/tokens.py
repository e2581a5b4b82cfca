"""Issue, check and revoke creditor API tokens (bearer tokens, stored hashed)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from amicable.files.models import Creditor
from amicable.files.prepared import PreparedRead
from amicable.files.timeline import EventKind, record_event
from amicable.intake.models import ApiToken

TOKEN_PREFIX_LENGTH = 12


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once


def _hash(secret: str) -> str:
    pepper = settings.ACCESS_CODE_PEPPER or settings.SECRET_KEY
    return hmac.new(pepper.encode(), secret.encode(), hashlib.sha256).hexdigest()


def issue_token(*, creditor: Creditor, name: str, actor: str) -> IssuedToken:
    """A new token for ``creditor``; the secret is returned once and never stored."""
    secret = "amc_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        creditor=creditor,
        name=name,
        prefix=secret[:TOKEN_PREFIX_LENGTH],
        token_hash=_hash(secret),
        created_by=actor,
    )
    record_event(
        None,
        EventKind.API_TOKEN_ISSUED,
        actor=actor,
        data={"creditor": creditor.reference, "token": token.prefix},
    )
    return IssuedToken(token=token, secret=secret)


#: Read on every call of the API: prepared (``files.prepared``).
_ACTIVE_TOKEN = PreparedRead(
    "an active API token",
    lambda prefix: (
        ApiToken.objects.select_related("creditor")
        .filter(prefix=prefix, revoked_at=None)
        .order_by("pk")[:1]
    ),
    prefix=str,
)


def authenticate_token(secret: str) -> ApiToken | None:
    """The active token for this secret, or None (constant-time comparison of the hash)."""
    if len(secret) <= TOKEN_PREFIX_LENGTH:
        return None
    found = _ACTIVE_TOKEN(prefix=secret[:TOKEN_PREFIX_LENGTH])
    token = found[0] if found else None
    if token is None or not hmac.compare_digest(token.token_hash, _hash(secret)):
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        # Written at most once a minute: a busy integration must not write on every call.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def revoke_token(*, token: ApiToken, actor: str) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at=None).update(revoked_at=timezone.now())
    record_event(None, EventKind.API_TOKEN_REVOKED, actor=actor, data={"token": token.prefix})
