"""EPC QR payload and code (EPC069-12 version 002; docs/formats.md, section 4)."""

from __future__ import annotations

from decimal import Decimal

import pypdfium2
import pytest
import segno
import typst
import zxingcpp

from amicable.domain.epc import MAX_PAYLOAD_BYTES, EpcError, epc_payload, epc_qr_svg
from amicable.domain.errors import DomainError

D = Decimal

# docs/formats.md, section 4.2, with the amount written with its two decimals.
EXAMPLE = "BCD\n002\n1\nSCT\nGKCCBEBB\nIncasso NV\nBE71096123456769\nEUR123.40\n\n010806817183"


def payload(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "beneficiary": "Incasso NV",
        "iban": "BE71096123456769",
        "amount": D("123.40"),
        "reference": "+++010/8068/17183+++",
        "bic": "GKCCBEBB",
    }
    arguments.update(overrides)
    return epc_payload(**arguments)  # type: ignore[arg-type]


def refusal(**overrides: object) -> EpcError:
    with pytest.raises(EpcError) as error:
        payload(**overrides)
    return error.value


def test_formats_example_line_by_line() -> None:
    lines = payload().split("\n")
    assert lines == [
        "BCD",  # 1 service tag
        "002",  # 2 version
        "1",  # 3 character set: UTF-8
        "SCT",  # 4 SEPA credit transfer
        "GKCCBEBB",  # 5 BIC
        "Incasso NV",  # 6 beneficiary
        "BE71096123456769",  # 7 IBAN
        "EUR123.40",  # 8 amount
        "",  # 9 purpose
        # 10 structured reference: the OGM's 12 digits (docs/formats.md, section 4.3)
        "010806817183",
    ]
    assert payload() == EXAMPLE
    assert not payload().endswith("\n")


@pytest.mark.parametrize(
    "reference",
    [
        pytest.param("+++010/8068/17183+++", id="plus_form"),
        pytest.param("***010/8068/17183***", id="asterisk_form"),
        pytest.param("010/8068/17183", id="slashes_only"),
        pytest.param("010806817183", id="bare_digits"),
        pytest.param(" +++ 010 / 8068 / 17183 +++ ", id="with_spaces"),
    ],
)
def test_ogm_in_any_accepted_form_travels_as_12_digits(reference: str) -> None:
    assert payload(reference=reference).split("\n")[9] == "010806817183"


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        pytest.param("RF18539007547034", "RF18539007547034", id="compact"),
        pytest.param("rf18 5390 0754 7034", "RF18539007547034", id="printed_lower_case"),
        pytest.param("RF18 1234 5678 9", "RF18123456789", id="short_reference"),
    ],
)
def test_rf_reference_is_checked_and_compacted(reference: str, expected: str) -> None:
    lines = payload(reference=reference).split("\n")
    assert lines[9] == expected
    assert len(lines) == 10  # no unstructured line: EPC allows line 10 or 11, not both


OGM_REFUSED = "is not a valid structured communication (+++ddd/dddd/ddddd+++, check digits mod 97)"


@pytest.mark.parametrize(
    ("reference", "detail"),
    [
        pytest.param("+++010/8068/17180+++", OGM_REFUSED, id="checksum"),
        pytest.param("+++70/0800/10029+++", OGM_REFUSED, id="eleven_digits"),
        pytest.param("000000000000", OGM_REFUSED, id="all_zero"),
        pytest.param("12345678901A", OGM_REFUSED, id="letter"),
        pytest.param("+++010/8068/17183***", OGM_REFUSED, id="mixed_delimiters"),
        pytest.param("+++010/8068/17183", OGM_REFUSED, id="unclosed"),
        pytest.param("RF19539007547034", "not a valid RF creditor reference", id="rf_checksum"),
        pytest.param("Invoice 2025-17", OGM_REFUSED, id="free_text"),
        pytest.param("", OGM_REFUSED, id="empty"),
    ],
)
def test_invalid_reference_is_refused(reference: str, detail: str) -> None:
    error = refusal(reference=reference)
    assert error.field == "reference"
    assert detail in str(error)
    assert str(error).startswith("EPC QR code, reference: ")


def test_error_is_a_domain_error_and_a_value_error() -> None:
    error = refusal(iban="BE71096123456768")
    assert isinstance(error, DomainError)
    assert isinstance(error, ValueError)


def test_iban_is_compacted_and_upper_cased() -> None:
    assert payload(iban="be71 0961 2345 6769").split("\n")[6] == "BE71096123456769"


@pytest.mark.parametrize(
    "iban",
    [
        pytest.param("BE71096123456768", id="checksum"),
        pytest.param("BE7109612345676", id="too_short"),
        pytest.param("SA0380000000608010167519", id="outside_sepa"),
        pytest.param("", id="empty"),
    ],
)
def test_invalid_iban_is_refused(iban: str) -> None:
    assert refusal(iban=iban).field == "iban"


@pytest.mark.parametrize(
    ("bic", "expected"),
    [
        pytest.param(None, "", id="none_optional_in_v002"),
        pytest.param("", "", id="empty_optional_in_v002"),
        pytest.param("gkccbebb", "GKCCBEBB", id="lower_case"),
        pytest.param("GKCCBEBBXXX", "GKCCBEBBXXX", id="eleven"),
    ],
)
def test_bic_line(bic: str | None, expected: str) -> None:
    assert payload(bic=bic).split("\n")[4] == expected


@pytest.mark.parametrize(
    "bic",
    [
        pytest.param("GKCCBEB", id="seven"),
        pytest.param("GKCCXXBB", id="unknown_country"),
    ],
)
def test_invalid_bic_is_refused(bic: str) -> None:
    assert refusal(bic=bic).field == "bic"


@pytest.mark.parametrize(
    ("amount", "line"),
    [
        pytest.param(D("0.01"), "EUR0.01", id="minimum"),
        pytest.param(D("12"), "EUR12.00", id="whole"),
        pytest.param(D("123.4"), "EUR123.40", id="one_decimal"),
        pytest.param(D("1E+2"), "EUR100.00", id="exponent"),
        pytest.param(D("1.500"), "EUR1.50", id="trailing_zeros"),
        pytest.param(D("999999999.99"), "EUR999999999.99", id="maximum"),
    ],
)
def test_amount_has_two_decimals(amount: Decimal, line: str) -> None:
    assert payload(amount=amount).split("\n")[7] == line


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param(D("0.00"), id="zero"),
        pytest.param(D("-5.00"), id="negative"),
        pytest.param(D("1000000000.00"), id="too_large"),
        pytest.param(D("1.005"), id="three_decimals"),
    ],
)
def test_invalid_amount_is_refused(amount: Decimal) -> None:
    assert refusal(amount=amount).field == "amount"


def test_float_amount_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        payload(amount=123.4)


@pytest.mark.parametrize(
    ("beneficiary", "expected"),
    [
        pytest.param("  Incasso NV ", "Incasso NV", id="trimmed"),
        pytest.param("Crédit d’Encaissement SRL", "Crédit d’Encaissement SRL", id="utf8"),
        pytest.param("N" * 70, "N" * 70, id="seventy_characters"),
    ],
)
def test_beneficiary_line(beneficiary: str, expected: str) -> None:
    lines = payload(beneficiary=beneficiary).split("\n")
    assert lines[5] == expected
    assert lines[2] == "1"  # UTF-8 always, whatever the characters


@pytest.mark.parametrize(
    "beneficiary",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("N" * 71, id="seventy_one_characters"),
        pytest.param("Incasso\nNV", id="line_break"),
        pytest.param("Incasso\tNV", id="tab"),
    ],
)
def test_invalid_beneficiary_is_refused(beneficiary: str) -> None:
    assert refusal(beneficiary=beneficiary).field == "beneficiary"


def test_information_goes_to_line_12_with_line_11_empty() -> None:
    lines = payload(information="Dossier 2025/0042").split("\n")
    assert lines[9:] == ["010806817183", "", "Dossier 2025/0042"]


@pytest.mark.parametrize(
    "information",
    [
        pytest.param("I" * 71, id="seventy_one_characters"),
        pytest.param("two\nlines", id="line_break"),
    ],
)
def test_invalid_information_is_refused(information: str) -> None:
    assert refusal(information=information).field == "information"


def test_blank_information_leaves_no_trailing_lines() -> None:
    assert payload(information="   ") == EXAMPLE


def test_payload_over_331_bytes_is_refused() -> None:
    # 70 euro signs are 70 characters but 210 bytes in UTF-8.
    error = refusal(beneficiary="€" * 70, information="€" * 70)
    assert error.field == "payload"
    assert "at most 331" in str(error)


def test_payload_of_exactly_331_bytes_fits_and_one_more_does_not() -> None:
    text = payload(beneficiary="€" * 70, information="I" * 55)
    assert len(text.encode()) == MAX_PAYLOAD_BYTES == 331
    assert refusal(beneficiary="€" * 70, information="I" * 56).field == "payload"


# The QR code itself: decoded back with zxing-cpp.


def decode_matrix(qr: segno.QRCode) -> list[zxingcpp.Barcode]:
    """Decode a segno symbol from its module matrix, as a grayscale image (no PIL needed)."""
    rows = [bytes(0 if dark else 255 for dark in row) for row in qr.matrix_iter(scale=3, border=4)]
    image = memoryview(b"".join(rows)).cast("B", (len(rows), len(rows[0])))
    return list(zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def decode_svg(svg: str) -> list[zxingcpp.Barcode]:
    """Place the SVG on a page as a letter would (typst), rasterise it (pdfium), decode it."""
    source = (
        "#set page(width: 6cm, height: 6cm, margin: 0.5cm)\n"
        "#image(bytes(sys.inputs.svg), width: 5cm)"
    )
    pdf = typst.compile(source.encode(), format="pdf", sys_inputs={"svg": svg})
    page = pypdfium2.PdfDocument(pdf)[0]
    bitmap = page.render(scale=2, grayscale=True)
    assert bitmap.n_channels == 1
    view = zxingcpp.ImageView(
        memoryview(bitmap.buffer),
        bitmap.width,
        bitmap.height,
        zxingcpp.ImageFormat.Lum,
        bitmap.stride,
    )
    # QR codes only: zxing now and then reads a stray 1D barcode (ITF) in a symbol's modules.
    return list(zxingcpp.read_barcodes(view, formats=zxingcpp.BarcodeFormat.QRCode))


PAYLOADS = [
    pytest.param(EXAMPLE, id="formats_example"),
    pytest.param(payload(reference="RF18 5390 0754 7034", bic=None), id="rf_without_bic"),
    pytest.param(
        payload(
            beneficiary="Crédit d’Encaissement SRL", information="Dossier n° 2025/0042 — merci"
        ),
        id="utf8_with_information",
    ),
    pytest.param(payload(beneficiary="€" * 70, information="I" * 55), id="largest_331_bytes"),
]


@pytest.mark.parametrize("text", PAYLOADS)
def test_qr_decodes_back_to_the_payload(text: str) -> None:
    qr = segno.make_qr(text.encode(), error="m", boost_error=False)
    (barcode,) = decode_matrix(qr)
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.bytes == text.encode()
    assert barcode.ec_level == "M"
    assert isinstance(qr.version, int)
    assert qr.version <= 13  # EPC069-12: version 13 at most


def test_a_331_byte_payload_needs_exactly_version_13_at_level_m() -> None:
    text = payload(beneficiary="€" * 70, information="I" * 55)
    qr = segno.make_qr(text.encode(), error="m", boost_error=False)
    assert (qr.version, qr.error, qr.mode) == (13, "M", "byte")


@pytest.mark.parametrize("text", PAYLOADS)
def test_svg_decodes_back_to_the_payload(text: str) -> None:
    (barcode,) = decode_svg(epc_qr_svg(text))
    assert barcode.bytes.decode("utf-8") == text
    assert barcode.ec_level == "M"  # boost_error=False keeps the level EPC asks for


def test_svg_markup() -> None:
    svg = epc_qr_svg(EXAMPLE, scale=2)
    assert svg.startswith(
        '<svg role="img" aria-label="EPC QR code" xmlns="http://www.w3.org/2000/svg"'
    )
    assert "<title>EPC QR code</title>" in svg
    assert "<?xml" not in svg
    assert svg.endswith("</svg>")
    # The example of docs/formats.md, section 4.2, is a version 5 symbol (37 modules) plus a quiet
    # zone of 4 on each side: 45 modules of 2 pixels.
    assert 'width="90" height="90"' in svg


def test_svg_scale_changes_the_size() -> None:
    assert 'width="180" height="180"' in epc_qr_svg(EXAMPLE)  # default scale 4


@pytest.mark.parametrize("scale", [pytest.param(0, id="zero"), pytest.param(True, id="bool")])
def test_svg_scale_must_be_a_positive_integer(scale: int) -> None:
    with pytest.raises(ValueError, match="scale"):
        epc_qr_svg(EXAMPLE, scale=scale)


def test_svg_refuses_a_payload_over_331_bytes() -> None:
    with pytest.raises(EpcError) as error:
        epc_qr_svg("x" * 332)
    assert error.value.field == "payload"
