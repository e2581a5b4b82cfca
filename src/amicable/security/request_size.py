"""How large a request body may be: the page's own mark (the answer, 413, is the middleware's
in ``amicable.config.request_size``).

A body is refused from its declared length, before anything reads it: at most
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (12 MB), unless the view accepts more with
``@accepts_files_up_to(...)`` (the upload pages whose forms take larger files). Django applies
that setting to a body, or to a form's fields but not to its files (an upload could be of any
size), and answers a request over it with a 400 (a 500 through the API under DEBUG); here every
page answers 413:

- the creditor API in its error shape (``amicable.intake.api.body_too_large``);
- any other page with a short page in the visitor's language, in the portal's or the back
  office's look, that says nothing was received and how to send a smaller file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])

LIMIT_ATTRIBUTE = "max_request_body"
# Room for a form's other fields and the multipart framing around its files.
FORM_ROOM = 1024 * 1024


def accepts_files_up_to(max_bytes: int) -> Callable[[View], View]:
    """Let an upload page receive files of up to ``max_bytes`` in all (its form checks each).

    The mark is an attribute of the function, so ``functools.wraps`` carries it through the
    other decorators whatever their order.
    """

    def mark(view: View) -> View:
        setattr(view, LIMIT_ATTRIBUTE, max_bytes + FORM_ROOM)
        return view

    return mark


def declared_length(request: HttpRequest) -> int:
    """The body length the client announced (0 when absent or unreadable, as Django reads it)."""
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0


def accepted_length(view: Callable[..., Any], default: int | None) -> int | None:
    """The largest body ``view`` accepts: its mark, else ``default``."""
    limit: int | None = getattr(view, LIMIT_ATTRIBUTE, default)
    return limit
