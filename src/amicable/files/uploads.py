"""Checks on every uploaded document: size, type sniffed from the content, sha256, virus scan.

The name and the declared content type of an upload are never trusted: the first bytes decide.
A virus scan runs when ClamAV is configured (CLAMAV_SOCKET, the clamd UNIX socket).
"""

from __future__ import annotations

import hashlib
import posixpath
import socket
import struct
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
)


class UploadRejected(Exception):
    """An upload that is refused, with a message for the person who sent it."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True, slots=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    size: int
    scanned: bool


def upload_name(name: str) -> str:
    """The name an upload was sent under, for display only: its last part, without control
    characters, at most 200 characters.

    >>> upload_name("../../etc/pass\\x00wd.pdf")
    'passwd.pdf'
    >>> upload_name("C:\\\\Users\\\\ann\\\\extrait.png")
    'extrait.png'
    """
    base = posixpath.basename(name.replace("\\", "/"))
    kept = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    return kept.strip()[:200] or "document"


def sniff_content_type(head: bytes) -> tuple[str, str] | None:
    for signature, content_type, extension in SIGNATURES:
        if head.startswith(signature):
            return content_type, extension
    return None


def check_upload(upload: UploadedFile[bytes] | bytes) -> CheckedUpload:
    """Read, check and fingerprint an upload; raise UploadRejected with the reason."""
    if isinstance(upload, bytes):
        content = upload
    else:
        if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
            raise UploadRejected(str(_("The file is larger than 10 MB.")), code="too_large")
        content = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise UploadRejected(str(_("The file is larger than 10 MB.")), code="too_large")
    if not content:
        raise UploadRejected(str(_("The file is empty.")), code="empty")
    sniffed = sniff_content_type(content[:16])
    if sniffed is None:
        raise UploadRejected(
            str(_("Only PDF, JPEG and PNG files are accepted.")), code="unsupported_type"
        )
    scanned = _virus_scan(content)
    return CheckedUpload(
        content=content,
        content_type=sniffed[0],
        extension=sniffed[1],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        scanned=scanned,
    )


def _virus_scan(content: bytes) -> bool:
    """Scan with clamd (INSTREAM) when CLAMAV_SOCKET is set; True when a scan ran clean."""
    path = getattr(settings, "CLAMAV_SOCKET", "")
    if not path:
        return False
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(path)
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(content), 65536):
            chunk = content[start : start + 65536]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        answer = sock.recv(4096).decode(errors="replace")
    if "FOUND" in answer:
        raise UploadRejected(str(_("The file contains a virus and was refused.")), code="virus")
    return True
