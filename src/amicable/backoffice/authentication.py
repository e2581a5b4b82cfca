"""Staff sign-in: a personal password, a lock-out against guessing, then a TOTP second factor.

Lock-out policy (the same as the portal's, docs/journeys.md, "Getting in"): ``MAX_FAILURES`` failed
passwords within ``WINDOW`` lock the user name, and separately the client address, until fewer
than ``MAX_FAILURES`` remain in the window. Attempts made while locked are refused without
checking the password and without being counted, so an attacker can neither test passwords
during the lock nor extend it for ever. Each attempt is counted before its password is checked,
in one locked step with the decision (:mod:`amicable.security.throttle`): passwords sent in
parallel get no more checks than that.

The second factor is a TOTP authenticator (RFC 6238, django-otp's ``TOTPDevice``). A staff
member without one sets it up at the first sign-in, from the QR code or the secret; the device
counts only once a code from it has been verified. Wrong codes slow further tries down
(django-otp's throttling doubles the wait after each failure).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import quote, urlencode

import segno
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.models import SignInFailure, SignInScope
from amicable.backoffice.roles import Role, ensure_roles
from amicable.files.timeline import EventKind, record_event
from amicable.security.throttle import claim_attempt, release

__all__ = [
    "MAX_FAILURES",
    "WINDOW",
    "PasswordCheck",
    "PasswordOutcome",
    "check_password",
    "confirm_totp_device",
    "create_staff_user",
    "has_totp_device",
    "otpauth_uri",
    "qr_code_svg",
    "reset_authenticator",
    "totp_device_for_setup",
    "totp_secret",
    "verify_totp",
]

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
ISSUER = "amicable"
DEVICE_NAME = "authenticator"


class PasswordOutcome(StrEnum):
    ACCEPTED = "accepted"
    REFUSED = "refused"
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class PasswordCheck:
    outcome: PasswordOutcome
    user: User | None = None
    retry_at: datetime | None = None


def _keys(username: str, client_ip: str) -> list[tuple[SignInScope, str]]:
    return [
        (SignInScope.USERNAME, username.strip().lower()[:150]),
        (SignInScope.ADDRESS, client_ip[:150]),
    ]


def check_password(*, username: str, password: str, client_ip: str, now: datetime) -> PasswordCheck:
    """The first step of a staff sign-in: the personal password, under the lock-out policy."""
    claim = claim_attempt(
        SignInFailure, _keys(username, client_ip), limit=MAX_FAILURES, window=WINDOW, now=now
    )
    if claim.refused:
        record_event(
            None,
            EventKind.STAFF_SIGN_IN_LOCKED,
            actor=f"staff:{username[:80]}",
            data={"client_ip": client_ip},
        )
        return PasswordCheck(outcome=PasswordOutcome.LOCKED, retry_at=claim.retry_at)
    user = authenticate(None, username=username, password=password)
    if not isinstance(user, User) or not user.is_active:
        record_event(
            None,
            EventKind.STAFF_SIGN_IN_FAILED,
            actor=f"staff:{username[:80]}",
            data={"client_ip": client_ip},
        )
        return PasswordCheck(outcome=PasswordOutcome.REFUSED)
    release(claim)
    return PasswordCheck(outcome=PasswordOutcome.ACCEPTED, user=user)


def has_totp_device(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def totp_device_for_setup(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret the first time it is asked for)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def otpauth_uri(device: TOTPDevice) -> str:
    """The ``otpauth://totp/...`` URI of the key-URI format that authenticator apps read."""
    username = device.user.get_username()
    label = quote(f"{ISSUER}:{username}")
    params = urlencode(
        {
            "secret": base64.b32encode(device.bin_key).decode("ascii").rstrip("="),
            "issuer": ISSUER,
            "algorithm": "SHA1",
            "digits": device.digits,
            "period": device.step,
        }
    )
    return f"otpauth://totp/{label}?{params}"


def qr_code_svg(uri: str) -> str:
    """An inline SVG QR code of ``uri``, labelled for screen readers."""
    out = io.BytesIO()
    segno.make_qr(uri, error="m").save(
        out, kind="svg", scale=4, border=2, xmldecl=False, svgns=True, nl=False
    )
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code of the authenticator key" ', 1)


@transaction.atomic
def confirm_totp_device(*, device: TOTPDevice, token: str, actor: str) -> bool:
    """Confirm a new authenticator with a first code from it; False if the code is wrong."""
    if not verify_token(device.user, device.persistent_id, token.strip()):
        return False
    device.refresh_from_db()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator per person: an older one stops working when a new one is confirmed.
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    record_event(None, EventKind.STAFF_TWO_FACTOR_SET_UP, actor=actor)
    return True


def verify_totp(*, user: User, token: str) -> TOTPDevice | None:
    """The confirmed authenticator that accepts ``token``, or None."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id"):
        verified = verify_token(user, device.persistent_id, token.strip())
        if verified is not None:
            return TOTPDevice.objects.get(pk=verified.pk)
    return None


@transaction.atomic
def create_staff_user(
    *, username: str, role: Role, password: str, email: str = "", actor: str
) -> tuple[User, bool]:
    """A personal staff account with exactly one role; an existing account changes role.

    The password must pass the configured validators (``ValidationError`` otherwise). The
    authenticator is set up by the person at the first sign-in, never here.
    """
    ensure_roles()
    user = User.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = User(username=username, email=email)
    elif email:
        user.email = email
    if password or created:
        validate_password(password, user)
        user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])
    record_event(
        None,
        EventKind.STAFF_ACCOUNT_CREATED if created else EventKind.STAFF_ACCOUNT_CHANGED,
        actor=actor,
        data={"username": username, "role": role.value},
    )
    return user, created


@transaction.atomic
def reset_authenticator(*, user: User, actor: str) -> int:
    """Remove a staff member's authenticators (a lost phone): they set up a new one at the
    next sign-in, after their password."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    record_event(
        None, EventKind.STAFF_TWO_FACTOR_RESET, actor=actor, data={"username": user.get_username()}
    )
    return int(deleted)
