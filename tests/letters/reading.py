"""Reading rendered letters back: text, text at a place on the page, and QR codes.

The letters are checked the way a person and a banking app read them: the text is extracted
from the PDF (pypdf), the envelope window is read by position (PDFium's text boxes), and the
QR codes are decoded from the rasterised page (PDFium, then zxing-cpp).
"""

from __future__ import annotations

import io
import re

import pypdf
import pypdfium2 as pdfium
import zxingcpp

MM = 72 / 25.4  # PDF points per millimetre


def normalise(text: str) -> str:
    """One space for any run of whitespace (no-break spaces included); a line broken after a
    hyphen is joined again."""
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"-[ \t]*\r?\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def pdf_text(pdf: bytes) -> str:
    """The text of every page, normalised."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return normalise(" ".join(page.extract_text() for page in reader.pages))


def page_count(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


def text_in_area(pdf: bytes, *, left: float, right: float, top: float, bottom: float) -> str:
    """The text of the first page inside a rectangle given in millimetres from the top-left
    corner of the sheet, normalised."""
    page = pdfium.PdfDocument(pdf)[0]
    height = page.get_size()[1]
    text = page.get_textpage().get_text_bounded(
        left=left * MM, right=right * MM, top=height - top * MM, bottom=height - bottom * MM
    )
    return normalise(text)


def qr_payloads(pdf: bytes) -> list[str]:
    """The text of every QR code printed in the letter, page by page."""
    document = pdfium.PdfDocument(pdf)
    payloads: list[str] = []
    for index in range(len(document)):
        bitmap = document[index].render(scale=2, grayscale=True)
        pixels = memoryview(bitmap.buffer).cast("B", (bitmap.height, bitmap.stride))
        payloads += [
            barcode.text
            for barcode in zxingcpp.read_barcodes(pixels)
            if barcode.format == zxingcpp.BarcodeFormat.QRCode
        ]
    return payloads
