"""URL map: portal at /, back office at /backoffice/, creditor API at /api/v1/."""

from __future__ import annotations

from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from amicable.config import views
from amicable.intake.api import urls_with_trailing_slashes as intake_api_urls

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers that ask for /favicon.ico before reading a page's <link rel="icon">.
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # admin.site is amicable.config.admin_site.StaffAdminSite: TOTP-verified staff only.
    path("admin/", admin.site.urls),
    # /api/v1/files/ answers as /api/v1/files (and so on for every path of the API).
    path("api/v1/", intake_api_urls()),
    path("backoffice/", include("amicable.backoffice.urls")),
    path("", include("amicable.portal.urls")),
]
