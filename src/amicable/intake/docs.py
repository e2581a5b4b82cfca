"""The API's documentation page (Swagger UI), served whole from this application.

django-ninja ships Swagger UI as static files (in ``STATICFILES_DIRS``, config/settings.py), so
the page works without Internet access. The page has no inline script or style: the settings travel
in data attributes, read by ``intake/api-docs.js``, so that a strict Content-Security-Policy
(``script-src 'self'``) allows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI


class OfflineSwagger(DocsBase):
    template = "intake/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, self.template, context)
