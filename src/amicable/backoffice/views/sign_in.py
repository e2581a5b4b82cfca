"""The staff sign-in: a personal password under a lock-out, then a TOTP code (django-otp)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice import authentication
from amicable.backoffice.access import actor_name, is_verified, staff_language
from amicable.backoffice.forms import SignInForm, TokenForm
from amicable.files.timeline import EventKind, record_event
from amicable.security.client import client_address

__all__ = ["set_up_two_factor", "sign_in", "sign_out", "verify"]

# The user who gave the right password and still owes the second factor, and since when.
SESSION_PENDING_USER = "backoffice_pending_user"
SESSION_PENDING_SINCE = "backoffice_pending_since"
#: Time allowed between the password and the second factor.
PENDING_LIFETIME = timedelta(minutes=5)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    # The administration signs in here too (amicable.config.admin_site): back there after.
    ours = ("/backoffice/", reverse("admin:index"))
    if candidate.startswith(ours) and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("backoffice:overview")


def _with_next(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': _next_url(request)})}")


def _pending_user(request: HttpRequest) -> User | None:
    """Who is between the two steps of the sign-in: password given, second factor owed."""
    if request.user.is_authenticated and isinstance(request.user, User):
        return request.user if request.user.is_active else None
    user_id = request.session.get(SESSION_PENDING_USER)
    since = request.session.get(SESSION_PENDING_SINCE)
    if user_id is None or since is None:
        return None
    if timezone.now() - datetime.fromisoformat(since) > PENDING_LIFETIME:
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def _complete_sign_in(request: HttpRequest, user: User, device: TOTPDevice) -> HttpResponse:
    target = _next_url(request)
    if not request.user.is_authenticated:
        login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
    otp_login(request, device)
    request.session.pop(SESSION_PENDING_USER, None)
    request.session.pop(SESSION_PENDING_SINCE, None)
    record_event(
        None,
        EventKind.STAFF_SIGNED_IN,
        actor=actor_name(user),
        data={"client_ip": client_address(request)},
    )
    return HttpResponseRedirect(target)


def _minutes_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds() / 60))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Step 1: the personal password, under the lock-out policy."""
    with translation.override(staff_language(request)):
        form = SignInForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            result = authentication.check_password(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                client_ip=client_address(request),
                now=timezone.now(),
            )
            if result.user is not None:
                target = _next_url(request)
                # A fresh session: nothing planted before the sign-in survives it.
                request.session.flush()
                request.session[SESSION_PENDING_USER] = result.user.pk
                request.session[SESSION_PENDING_SINCE] = timezone.now().isoformat()
                step = (
                    "backoffice:verify"
                    if authentication.has_totp_device(result.user)
                    else "backoffice:setup"
                )
                return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': target})}")
            if result.retry_at is not None:
                error = _(
                    "Too many unsuccessful attempts: sign-in is blocked for %(minutes)d "
                    "minutes. Ask an administrator if you forgot your password."
                ) % {"minutes": _minutes_until(result.retry_at)}
            else:
                error = _("The user name or the password is not correct.")
        return render(
            request,
            "backoffice/sign_in.html",
            {"form": form, "error": error, "next": _next_url(request)},
            status=400 if error else 200,
        )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Step 2: a code from the staff member's authenticator (TOTP)."""
    with translation.override(staff_language(request)):
        user = _pending_user(request)
        if user is None:
            return _with_next("backoffice:login", request)
        if is_verified(request.user):
            return HttpResponseRedirect(_next_url(request))
        if not authentication.has_totp_device(user):
            return _with_next("backoffice:setup", request)
        form = TokenForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            device = authentication.verify_totp(user=user, token=form.cleaned_data["token"])
            if device is not None:
                return _complete_sign_in(request, user, device)
            record_event(
                None,
                EventKind.STAFF_TWO_FACTOR_FAILED,
                actor=actor_name(user),
                data={"client_ip": client_address(request)},
            )
            error = _(
                "This code is not correct or has expired. Wait for the next code and try again."
            )
        return render(
            request,
            "backoffice/verify.html",
            {"form": form, "error": error, "next": _next_url(request)},
            status=400 if error else 200,
        )


@require_http_methods(["GET", "POST"])
def set_up_two_factor(request: HttpRequest) -> HttpResponse:
    """First sign-in: register an authenticator app, confirmed by a first code from it."""
    with translation.override(staff_language(request)):
        user = _pending_user(request)
        if user is None:
            return _with_next("backoffice:login", request)
        if authentication.has_totp_device(user):
            # A lost authenticator is removed by an administrator, never replaced here.
            return _with_next("backoffice:verify", request)
        device = authentication.totp_device_for_setup(user)
        form = TokenForm(request.POST or None)
        error = ""
        if request.method == "POST" and form.is_valid():
            if authentication.confirm_totp_device(
                device=device, token=form.cleaned_data["token"], actor=actor_name(user)
            ):
                device.refresh_from_db()
                return _complete_sign_in(request, user, device)
            error = _("This code is not correct. Check the clock of your phone and try again.")
        uri = authentication.otpauth_uri(device)
        return render(
            request,
            "backoffice/setup.html",
            {
                "form": form,
                "error": error,
                "next": _next_url(request),
                "qr_svg": authentication.qr_code_svg(uri),
                "secret": authentication.totp_secret(device),
                "otpauth_uri": uri,
            },
            status=400 if error else 200,
        )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if isinstance(request.user, User):
        record_event(None, EventKind.STAFF_SIGNED_OUT, actor=actor_name(request.user))
    logout(request)
    return redirect("backoffice:login")
