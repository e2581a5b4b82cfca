"""Getting in and out of the portal: a file number and its access code, under a lock-out."""

from __future__ import annotations

import math
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amicable.portal import authentication
from amicable.portal.forms import SignInForm
from amicable.portal.selectors import SESSION_DEBTOR, SESSION_FILE, signed_in_debtor_id
from amicable.security.client import client_address

__all__ = ["require_sign_in", "sign_in", "sign_out"]

SESSION_LANGUAGE = "portal_language"


def _minutes_until(moment: datetime) -> int:
    seconds: float = (moment - timezone.now()).total_seconds()
    return max(1, math.ceil(seconds / 60))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = authentication.sign_in(
            reference=form.cleaned_data["reference"],
            code=form.cleaned_data["code"],
            client_ip=client_address(request),
            now=timezone.now(),
        )
        if result.outcome is authentication.SignInOutcome.SIGNED_IN and result.file is not None:
            # A new session key on sign-in, so a key planted before cannot be reused.
            request.session.cycle_key()
            request.session[SESSION_DEBTOR] = result.file.debtor_id
            request.session[SESSION_FILE] = result.file.pk
            language = result.file.debtor.language
            request.session[SESSION_LANGUAGE] = language
            translation.activate(language)
            response = redirect("portal:files")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
        if result.outcome is authentication.SignInOutcome.LOCKED and result.retry_at is not None:
            error = _(
                "Too many unsuccessful attempts. For your security, sign-in is blocked: "
                "try again in %(minutes)d minutes, or call us."
            ) % {"minutes": _minutes_until(result.retry_at)}
        else:
            error = _(
                "The file number or the access code is not correct. Check both on our letter."
            )
    status = 200 if not error else 400
    return render(request, "portal/sign_in.html", {"form": form, "error": error}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    request.session.flush()
    return redirect("portal:sign_in")


def require_sign_in(request: HttpRequest) -> HttpResponseRedirect | None:
    if signed_in_debtor_id(request) is None:
        return redirect(f"{reverse('portal:sign_in')}?expired=1")
    return None
