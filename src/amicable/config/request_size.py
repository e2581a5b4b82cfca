"""The 413 answer to a request body larger than its page accepts, before anything reads it.

A body is refused from its declared length: at most ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (12 MB),
unless the view accepts more with ``amicable.security.request_size.accepts_files_up_to``.
Django applies that setting to a body, or to a form's fields but not to its files, and answers
a request over it with a 400 (a 500 through the API under DEBUG); here every page answers 413:

- the creditor API in its error shape (``amicable.intake.api.body_too_large``);
- any other page with a short page in the visitor's language, in the portal's or the back
  office's look, that says nothing was received and how to send a smaller file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amicable.intake import api
from amicable.security.request_size import accepted_length, declared_length


def body_too_large(request: HttpRequest) -> HttpResponse:
    """The 413 answer: the API's error shape for the API, a page for everything else."""
    match = request.resolver_match
    if match is not None and match.namespace == api.api.urls_namespace:
        return api.body_too_large(request)
    # Every staff page lives under /backoffice/ (config/urls.py).
    staff = request.path_info.startswith("/backoffice/")
    context = {"base_template": "backoffice/base.html" if staff else "portal/base.html"}
    return render(request, "request_too_large.html", context, status=413)


class RequestBodyLimitMiddleware:
    """Answers 413 to a body larger than its view accepts, before the body is read.

    It runs in ``process_view`` (the view is known there, and the language and the visitor are
    set) and must come before ``CsrfViewMiddleware``, whose check reads a form's body.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        limit = accepted_length(view, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
        if limit is not None and declared_length(request) > limit:
            return body_too_large(request)
        return None
