"""Personal access codes for the debtor portal: issued once for a letter, stored only hashed.

The code has 40 bits of entropy (8 characters from a 32-letter alphabet without look-alikes).
It is hashed with HMAC-SHA256 keyed by a server secret (a pepper that is not in the database)
and salted by the file reference, so a leaked database alone does not allow an offline search,
and checking a code costs microseconds (bulk intake issues thousands per second). Online
guessing is stopped by the sign-in lock-out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_access_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_access_code(text: str) -> str:
    return "".join(ch for ch in text.upper() if ch.isalnum())


def hash_access_code(*, reference: str, code: str) -> str:
    pepper = getattr(settings, "ACCESS_CODE_PEPPER", "") or settings.SECRET_KEY
    message = f"{reference}:{normalize_access_code(code)}".encode()
    return hmac.new(pepper.encode(), message, hashlib.sha256).hexdigest()


def access_code_matches(*, reference: str, code: str, stored_hash: str) -> bool:
    if not stored_hash:
        return False
    return hmac.compare_digest(hash_access_code(reference=reference, code=code), stored_hash)
