"""The administration (/admin/) behind the back office's sign-in: personal password, then TOTP.

``StaffAdminSite`` is the project's ``admin.site`` (``amicable.config.apps.AdminConfig`` names it
as the default site), so every ``@admin.register`` in the apps' ``admin.py`` lands on it
unchanged; swapping the class of the site object at import time instead would depend on which
module is imported first.

It keeps the rule of django-otp's ``OTPAdminSite``: only an active staff account whose session
passed the second factor gets in. It does not take that class's login form (password and code
on one page), which would be a second way in: the admin's login address sends to the back
office's sign-in instead, which applies the lock-out after failed passwords and the first-time
authenticator set-up, and records each sign-in on the audit trail. One way in for staff, and
one way out.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.admin import AdminSite
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from amicable.backoffice.access import is_verified

__all__ = ["StaffAdminSite"]


class StaffAdminSite(AdminSite):
    """``admin.site``: staff accounts verified by the back office's two-step sign-in."""

    # "View site" leads back to the staff's own pages, not to the debtor portal.
    site_url = "/backoffice/"

    def has_permission(self, request: HttpRequest) -> bool:
        """An active staff account (the stock rule) whose session passed the second factor."""
        return super().has_permission(request) and is_verified(request.user)

    def _target(self, request: HttpRequest) -> str:
        """Where to go once signed in: an address of this site, else its index."""
        index = reverse("admin:index", current_app=self.name)
        candidate = request.GET.get(REDIRECT_FIELD_NAME, "")
        if candidate.startswith(index) and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return candidate
        return index

    @method_decorator(never_cache)
    def login(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """No login form here: the back office's sign-in (or its second step) instead."""
        target = self._target(request)
        if self.has_permission(request):
            return HttpResponseRedirect(target)
        if is_verified(request.user):
            # Fully signed in, but not a staff account of the administration: refused, visibly.
            raise PermissionDenied("The administration is open to staff accounts only.")
        step = "backoffice:verify" if request.user.is_authenticated else "backoffice:login"
        return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': target})}")

    # The stubs promise the logged-out page (a TemplateResponse); this answers with a redirect
    # to the sign-in, as Django's own LogoutView does when given a next page.
    def logout(  # type: ignore[override]
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """The back office's sign-out, so that it is on the audit trail like any other."""
        # Imported here: the back office's views pull in models, not ready when the site is made.
        from amicable.backoffice.views.sign_in import sign_out

        return sign_out(request)
