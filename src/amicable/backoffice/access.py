"""Who may do what in the back office, decided here and nowhere else.

Every back-office view passes one gate (:func:`staff_view`): signed in, second factor verified,
permission held. Staff pages are for personal accounts only: the password alone never opens
them, the TOTP second factor must have been verified in the same session (django-otp), and each
view names the permission its role must hold (``amicable.backoffice.roles``). A missing
permission is a 403, never a silent redirect, so a refused access is visible in the logs.

Within a page, what a staff member may do beyond seeing it (work on the file, give an item to a
colleague) is asked of :func:`may`, and who may receive work of :func:`staff_who_may`; the
rule for taking and giving work items is :func:`assignment_rule`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Protocol, TypeVar, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amicable.backoffice.roles import APP_LABEL, Perm, permission_label
from amicable.files.actions import ActionRefused

__all__ = [
    "STAFF_LANGUAGE",
    "StaffView",
    "actor_name",
    "assignment_rule",
    "is_verified",
    "may",
    "staff_language",
    "staff_user",
    "staff_view",
    "staff_who_may",
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


def may(user: User, perm: Perm) -> bool:
    """Whether ``user``'s roles (or own grants) hold ``perm``."""
    return user.has_perm(permission_label(perm))


def staff_who_may(perm: Perm) -> list[User]:
    """The active staff members who hold ``perm``, by user name (the colleagues an item can be
    given to, for ``work_files``)."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(
                groups__permissions__codename=perm.value,
                groups__permissions__content_type__app_label=APP_LABEL,
            )
            | Q(
                user_permissions__codename=perm.value,
                user_permissions__content_type__app_label=APP_LABEL,
            )
        )
        .distinct()
        .order_by("username")
    )


def assignment_rule(*, acting_user: User, owner: User | None) -> bool:
    """Whether ``acting_user`` may give a work item to ``owner`` (``None``: back to the queue);
    returns whether the item must still be free.

    An agent may only take an unassigned item for themselves; reassigning, or assigning to
    someone else, needs the supervisor's ``assign_work`` permission. Only a colleague who works
    on files receives an item. Raises ``ActionRefused`` otherwise.
    """
    if owner is not None and not may(owner, Perm.WORK_FILES):
        raise ActionRefused(_("%(name)s cannot work on files.") % {"name": owner.username})
    if may(acting_user, Perm.ASSIGN_WORK):
        return False
    if owner != acting_user:
        raise ActionRefused(_("Only a supervisor assigns work to a colleague."))
    return True


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
            if not isinstance(user, User) or not may(user, perm):
                raise PermissionDenied(f"The {perm.value} permission is needed.")
            with translation.override(staff_language(request)):
                return view(request, *args, **kwargs)

        cast(StaffView, guarded).required_permission = perm
        return cast(V, guarded)

    return decorator
