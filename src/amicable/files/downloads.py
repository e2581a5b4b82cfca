"""How a stored document goes back to a browser: never as active content of our origin.

A document may come from outside (a debtor's upload, a creditor's file): a PDF can carry
scripts, and anything shown inline from the application's origin runs with the rights of the
person looking at it. So every document is served

- as a download (``Content-Disposition: attachment``), except an image shown to staff;
- under ``Content-Security-Policy: sandbox``: were a browser to render it all the same, it
  would do so in an opaque origin, with no script, no form and no cookie of ours;
- with ``X-Content-Type-Options: nosniff`` and its type as sniffed at upload (a type we do not
  know goes out as ``application/octet-stream``), never cached by a shared cache.
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from amicable.files.models import Document
from amicable.files.uploads import SIGNATURES

__all__ = ["SANDBOX_POLICY", "serve_document"]

#: Nothing runs, nothing loads but the image itself (for an image shown inline).
SANDBOX_POLICY = "sandbox; default-src 'none'; img-src 'self'"
#: The types the upload checks sniff from the content.
KNOWN_TYPES = frozenset(content_type for _, content_type, _ in SIGNATURES)
#: What may be shown in the browser, sandboxed: images, which run nothing.
INLINE_TYPES = frozenset({"image/png", "image/jpeg"})


def serve_document(document: Document, *, images_inline: bool = False) -> FileResponse:
    """``document`` as a download (or, with ``images_inline``, an image shown in a sandbox).

    A document whose content was erased at the end of its retention period is not found.
    """
    if document.is_erased:
        raise Http404
    inline = images_inline and document.content_type in INLINE_TYPES
    response = FileResponse(
        document.content.open("rb"),
        as_attachment=not inline,
        filename=document.original_name,
        content_type=(
            document.content_type
            if document.content_type in KNOWN_TYPES
            else "application/octet-stream"
        ),
    )
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
