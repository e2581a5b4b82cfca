"""The one gate of every back-office view: signed in, second factor verified, permission held.

Staff pages are for personal accounts only: the password alone never opens them, the TOTP
second factor must have been verified in the same session (django-otp), and each view names
the permission its role must hold (``amicable.backoffice.roles``). A missing permission is a
403, never a silent redirect, so a refused access is visible in the logs.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation

from amicable.backoffice.roles import Perm, permission_label

__all__ = [
    "STAFF_LANGUAGE",
    "StaffView",
    "actor_name",
    "is_verified",
    "staff_language",
    "staff_user",
    "staff_view",
]

#: The language of the back-office pages for a staff member who chose none, with a browser that
#: asks for none of ours. A Belgian agency's staff work in French, Dutch or German: each picks
#: it with the language switcher on every page (the portal's cookie), or gets their browser's.
#: What the debtor reads is always written in the debtor's own language, whatever the agent's.
STAFF_LANGUAGE = "en"

View = Callable[..., HttpResponseBase]
V = TypeVar("V", bound=View)


class StaffView(Protocol):
    required_permission: Perm

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def is_verified(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the session's user passed the second factor (set by django-otp's middleware)."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(check) and check())


def staff_user(request: HttpRequest) -> User:
    """The signed-in staff member (only called behind :func:`staff_view`)."""
    assert isinstance(request.user, User)
    return request.user


def actor_name(user: User) -> str:
    """How a staff member appears on the timeline and in the ledger."""
    return f"staff:{user.get_username()}"


def staff_language(request: HttpRequest) -> str:
    """The language a staff member reads the back office in: the one chosen with the switcher,
    else the browser's, else English (not the portal's default, French, which is the debtors')."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    # Browsers list their languages by preference: the first one we have wins.
    asked = [
        part.split(";")[0].strip()
        for part in request.META.get("HTTP_ACCEPT_LANGUAGE", "").split(",")
    ]
    for code in [chosen, *asked]:
        if not code or code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return STAFF_LANGUAGE


def _redirect(name: str, request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse(name)}?{query}")


def staff_view(perm: Perm) -> Callable[[V], V]:
    """Guard a view: sign-in, then the second factor, then ``perm``; 403 when it is missing."""

    def decorator(view: V) -> V:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return _redirect("backoffice:login", request)
            if not is_verified(user):
                return _redirect("backoffice:verify", request)
            if not user.has_perm(permission_label(perm)):
                raise PermissionDenied(f"The {perm.value} permission is needed.")
            with translation.override(staff_language(request)):
                return view(request, *args, **kwargs)

        cast(StaffView, guarded).required_permission = perm
        return cast(V, guarded)

    return decorator
