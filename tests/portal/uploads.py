"""Small real files for upload tests: a one-page PDF, a PNG, an oversized PDF, a fake PDF."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png_bytes() -> bytes:
    """A valid 1x1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def pdf_upload(name: str = "extrait.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


def oversized_pdf_upload() -> SimpleUploadedFile:
    """A PDF one byte over 10 MB."""
    content = MINIMAL_PDF + b"%" * (10 * 1024 * 1024 + 1 - len(MINIMAL_PDF))
    return SimpleUploadedFile("grand.pdf", content, content_type="application/pdf")


def fake_pdf_upload() -> SimpleUploadedFile:
    """A file named .pdf, declared as a PDF, that is a Windows executable."""
    return SimpleUploadedFile("preuve.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
