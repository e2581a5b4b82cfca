"""Structured communications (Febelfin OGM/VCS) and ISO 11649 RF references."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.be import ogm_vcs

from amicable.domain.references import (
    MAX_OGM_BASE,
    StructuredReference,
    classify_reference,
    find_ogms,
    ogm_format,
    ogm_from_base,
    ogm_is_valid,
    ogm_normalize,
    rf_from_base,
    rf_is_valid,
    rf_normalize,
)

# docs/formats.md, section 1.3: every valid example found in public code and documents.
VALID_OGMS = [
    pytest.param("+++010/8068/17183+++", "010806817183", id="stdnum_docstring"),
    pytest.param("+++090/9337/55493+++", "090933755493", id="ruudvdd_ogm"),
    pytest.param("+++123/1234/12328+++", "123123412328", id="npm_belgian_vcs_ogm"),
    pytest.param("+++000/8000/90655+++", "000800090655", id="npm_generate"),
    pytest.param("+++020/1709/63575+++", "020170963575", id="rust_bank"),
    pytest.param("+++020/3430/57642+++", "020343057642", id="odoo_sanitize"),
    pytest.param("+++240/2838/42818+++", "240283842818", id="oca_coda"),
    pytest.param("+++269/0211/57996+++", "269021157996", id="febelfin_coda_0053"),
    pytest.param("+++702/6005/21948+++", "702600521948", id="febelfin_coda_0055"),
    pytest.param("+++100/0008/34941+++", "100000834941", id="coda_standard_101"),
    pytest.param("+++100/0008/35749+++", "100000835749", id="coda_standard_102"),
    pytest.param("+++192/0050/50005+++", "192005050005", id="ogm_sh_1"),
    pytest.param("+++564/1000/00017+++", "564100000017", id="ogm_sh_2"),
    pytest.param("+++327/2100/00067+++", "327210000067", id="ogm_sh_3"),
    pytest.param("+++000/0000/00097+++", "000000000097", id="base_zero_edge"),
]

# docs/formats.md, section 1.4, plus the layout errors stdnum lets through.
INVALID_OGMS = [
    pytest.param("+++010/8068/17180+++", id="wrong_check"),
    pytest.param("++++700/8000/90607+++", id="four_plus_and_wrong_check"),
    pytest.param("+++70/0800/10029+++", id="eleven_digits"),
    pytest.param("000003505158", id="php_coda_sample_wrong_check"),
    pytest.param("4654654654654654", id="sixteen_digits"),
    pytest.param("000000000000", id="all_zero"),
    pytest.param("12345678901A", id="non_digit"),
    pytest.param("++700/8000/90602+++", id="two_plus_opening"),
    pytest.param("+++700/8000/90602", id="opening_without_closing"),
    pytest.param("+++090/9337/55493***", id="mixed_decorations"),
    pytest.param("0909/337/55493", id="slash_inside_group"),
    pytest.param("09 09337 55493", id="space_inside_group"),
    pytest.param("", id="empty"),
    pytest.param("+++٠١٠/٨٠٦٨/١٧١٨٣+++", id="arabic_indic_digits"),
]


@pytest.mark.parametrize(("text", "digits"), VALID_OGMS)
def test_valid_examples_are_valid_and_normalize(text: str, digits: str) -> None:
    assert ogm_is_valid(text) is True
    assert ogm_normalize(text) == digits
    assert ogm_format(digits) == text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("***090/9337/55493***", id="asterisks"),
        pytest.param("090 9337 55493", id="spaced"),
        pytest.param("090/9337/55493", id="slashed"),
        pytest.param("090933755493", id="bare"),
        pytest.param("+++ 090 / 9337 / 55493 +++", id="spaces_around_separators"),
        pytest.param("  +++090933755493+++\n", id="decorated_bare_with_whitespace"),
    ],
)
def test_written_forms_are_accepted(text: str) -> None:
    assert ogm_is_valid(text) is True
    assert ogm_normalize(text) == "090933755493"
    assert ogm_format(text) == "+++090/9337/55493+++"


@pytest.mark.parametrize("text", INVALID_OGMS)
def test_invalid_examples_are_refused(text: str) -> None:
    assert ogm_is_valid(text) is False
    with pytest.raises(ValueError, match="not a valid structured communication"):
        ogm_normalize(text)
    with pytest.raises(ValueError, match="not a valid structured communication"):
        ogm_format(text)


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        pytest.param(108068171, "+++010/8068/17183+++", id="stdnum_example"),
        pytest.param(1, "+++000/0000/00101+++", id="smallest"),
        pytest.param(97, "+++000/0000/09797+++", id="multiple_of_97"),
        pytest.param(MAX_OGM_BASE, "+++999/9999/99948+++", id="largest"),
    ],
)
def test_ogm_from_base(base: int, expected: str) -> None:
    assert ogm_from_base(base) == expected


@pytest.mark.parametrize("base", [0, -1, MAX_OGM_BASE + 1], ids=["zero", "negative", "too_big"])
def test_ogm_from_base_refuses_out_of_range(base: int) -> None:
    with pytest.raises(ValueError, match="from 1 to 9999999999"):
        ogm_from_base(base)


@pytest.mark.parametrize("base", [1.0, "1", True], ids=["float", "str", "bool"])
def test_ogm_from_base_refuses_non_integers(base: object) -> None:
    with pytest.raises(TypeError, match="An OGM base is an int"):
        ogm_from_base(base)  # type: ignore[arg-type]


@given(st.integers(min_value=1, max_value=MAX_OGM_BASE))
def test_ogm_round_trip(base: int) -> None:
    printed = ogm_from_base(base)
    assert ogm_is_valid(printed)
    assert ogm_normalize(printed).startswith(f"{base:010d}")
    assert ogm_format(ogm_normalize(printed)) == printed
    assert find_ogms(f"payment {printed} thanks") == [ogm_normalize(printed)]


@given(st.integers(min_value=1, max_value=MAX_OGM_BASE), st.integers(min_value=1, max_value=96))
def test_any_other_check_digits_are_refused(base: int, shift: int) -> None:
    digits = ogm_normalize(ogm_from_base(base))
    wrong = (int(digits[10:]) + shift) % 100
    assert ogm_is_valid(f"{digits[:10]}{wrong:02d}") is False


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        pytest.param("539007547034", "RF18539007547034", id="epc_example"),
        pytest.param("1234 5678 9", "RF18123456789", id="odoo_spaced"),
        pytest.param("000000000539007547034", "RF18000000000539007547034", id="leading_zeros"),
        pytest.param("010806817183", "RF61010806817183", id="ogm_wrapped"),
        pytest.param("inv2025x", "RF80INV2025X", id="letters_upper_cased"),
    ],
)
def test_rf_from_base(base: str, expected: str) -> None:
    assert rf_from_base(base) == expected
    assert rf_is_valid(expected) is True


@pytest.mark.parametrize(
    "base",
    ["", "1234567890123456789012", "INV-2025", "facturé"],
    ids=["empty", "twenty_two", "dash", "accent"],
)
def test_rf_from_base_refuses_bad_bases(base: str) -> None:
    with pytest.raises(ValueError, match="1 to 21 letters or digits"):
        rf_from_base(base)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("RF18539007547034", "RF18539007547034", id="compact"),
        pytest.param("RF18 5390 0754 7034", "RF18539007547034", id="grouped"),
        pytest.param("rf18 1234 5678 9", "RF18123456789", id="lower_case"),
    ],
)
def test_rf_normalize(text: str, expected: str) -> None:
    assert rf_is_valid(text) is True
    assert rf_normalize(text) == expected


@pytest.mark.parametrize(
    "text",
    ["RF17539007547034", "RF18", "XX18539007547034", "RF18 5390 é754", "010806817183"],
    ids=["wrong_check", "no_reference", "not_rf", "accent", "an_ogm"],
)
def test_rf_invalid(text: str) -> None:
    assert rf_is_valid(text) is False
    with pytest.raises(ValueError, match="not a valid ISO 11649"):
        rf_normalize(text)


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=21))
def test_rf_round_trip(base: str) -> None:
    reference = rf_from_base(base)
    assert reference.endswith(base)
    assert rf_is_valid(reference)
    assert rf_normalize(" ".join(reference[i : i + 4] for i in range(0, 25, 4))) == reference
    assert classify_reference(reference) == StructuredReference(kind="rf", value=reference)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("010806817183", StructuredReference("ogm", "010806817183"), id="ogm_bare"),
        pytest.param(
            "***090/9337/55493***", StructuredReference("ogm", "090933755493"), id="ogm_asterisks"
        ),
        pytest.param("RF18 5390 0754 7034", StructuredReference("rf", "RF18539007547034"), id="rf"),
        pytest.param("4654654654654654", None, id="bba_tag_sixteen_digits"),
        pytest.param("000003505158", None, id="ogm_wrong_check"),
        pytest.param("INV 2150135", None, id="free_text"),
        pytest.param("", None, id="empty"),
        pytest.param(None, None, id="none"),
    ],
)
def test_classify_reference_by_content(
    text: str | None, expected: StructuredReference | None
) -> None:
    assert classify_reference(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("+++010/8068/17183+++", ["010806817183"], id="plus"),
        pytest.param("***090/9337/55493***", ["090933755493"], id="asterisks"),
        pytest.param("010806817183", ["010806817183"], id="bare"),
        pytest.param("010 8068 17183", ["010806817183"], id="spaced"),
        pytest.param("BE68 5390 0754 7034", [], id="iban_not_found"),
        pytest.param("F 130602535549", [], id="candidate_failing_mod97"),
        pytest.param(
            "inv 1: 020/3430/57642, inv 2: +++240/2838/42818+++, again 020343057642",
            ["020343057642", "240283842818"],
            id="two_in_order_without_duplicates",
        ),
        pytest.param("0108068171831", [], id="thirteen_digits"),
        pytest.param("", [], id="empty"),
    ],
)
def test_find_ogms(text: str, expected: list[str]) -> None:
    assert find_ogms(text) == expected


@given(
    st.integers(min_value=0, max_value=MAX_OGM_BASE),
    st.one_of(st.none(), st.integers(min_value=0, max_value=99)),
)
def test_the_check_agrees_with_stdnum(base: int, check: int | None) -> None:
    digits = f"{base:010d}{(base % 97 or 97) if check is None else check:02d}"

    assert ogm_is_valid(digits) is ogm_vcs.is_valid(digits)
    assert (classify_reference(digits) is not None) is ogm_vcs.is_valid(digits)
