"""The letters read as a native writer would write them, in each language.

Every kind is rendered in every language and read back from the PDF: French typography (a
no-break space before : ; ? !, one colon per sentence), one currency format, the Code named in
the letter's language, and the phrasings that were calques or errors before.
"""

from __future__ import annotations

import io
import re
from functools import cache

import pypdf
import pytest

from amicable.domain.mentions import LetterKind
from amicable.letters.content import LANGUAGES, Language
from amicable.letters.rendering import render_letter
from amicable.letters.samples import sample_letter_data
from tests.letters.reading import normalise


@cache
def _raw(kind: LetterKind, language: Language) -> str:
    """The letter's text as extracted, no-break spaces kept."""
    pdf = render_letter(sample_letter_data(kind, language))
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    # Only the letter's body: the header and footer repeat on each page.
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def _text(kind: LetterKind, language: Language) -> str:
    return normalise(_raw(kind, language)).replace("’", "'")


FRENCH = [pytest.param(kind, id=kind.value) for kind in LetterKind]


@pytest.mark.parametrize("kind", FRENCH)
def test_french_letters_put_a_no_break_space_before_double_punctuation(kind: LetterKind) -> None:
    raw = _raw(kind, "fr")
    # A plain space (or none) before : ; ? ! is wrong in French; a URL's "://" is not prose.
    assert re.findall(r"\w [:;?!]", raw) == []
    assert re.findall(r"[^\W\d][:;?!](?!//)", raw) == []


@pytest.mark.parametrize("kind", FRENCH)
def test_french_letters_have_one_colon_per_sentence(kind: LetterKind) -> None:
    # The body, after the salutation: the header's lines ("Objet : ...") end with no period.
    text = _text(kind, "fr").split("Madame, Monsieur,", 1)[1]
    sentences = re.split(r"(?<=[.!?])\s+|•", text)
    assert [s for s in sentences if s.count(":") > 1 and "://" not in s] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda kind: kind.value)
def test_one_currency_format_and_the_codes_own_name(kind: LetterKind, language: Language) -> None:
    text = _text(kind, language)
    assert "EUR" not in text
    wrong_codes = {"fr": ("CEL", "WGB"), "nl": ("CEL", "WGB"), "de": ("CEL", "WGB"), "en": ("WGB",)}
    assert [code for code in wrong_codes[language] if re.search(rf"\b{code}\b", text)] == []


@pytest.mark.parametrize(
    ("kind", "expected", "wrong"),
    [
        pytest.param(
            LetterKind.FORMAL_NOTICE,
            "ons om een afbetalingsplan vragen;",
            "ons een afbetalingsplan vragen",
            id="om-te-vragen",
        ),
        pytest.param(
            LetterKind.MEDIATOR_CLAIM_DECLARATION,
            "van Jan Peeters, met als adres Kerkstraat 8, 9000 Gent",
            "wonende te Kerkstraat",
            id="te-with-a-street",
        ),
        pytest.param(
            LetterKind.STATEMENT_OF_ACCOUNT,
            "Verschuldigde bedragen en ontvangen betalingen",
            "Bewegingen in het dossier",
            id="statement-title",
        ),
        pytest.param(
            LetterKind.FORMAL_NOTICE,
            "Op uw verzoek bezorgen wij u onverwijld",
            "Op eenvoudig verzoek",
            id="on-request",
        ),
    ],
)
def test_dutch_wording(kind: LetterKind, expected: str, wrong: str) -> None:
    text = _text(kind, "nl")
    assert expected in text
    assert wrong not in text


@pytest.mark.parametrize(
    ("kind", "opening"),
    [
        (LetterKind.FIRST_REMINDER, "Guten Tag Lukas Schmitz, nach unseren Unterlagen"),
        (LetterKind.FORMAL_NOTICE, "Guten Tag Lukas Schmitz, wir schreiben Ihnen"),
        (LetterKind.FOLLOW_UP_REMINDER, "Guten Tag Lukas Schmitz, trotz unseres letzten"),
        (LetterKind.PAYMENT_PLAN_CONFIRMATION, "Guten Tag Lukas Schmitz, wir bestätigen"),
        (LetterKind.PROOF_DECISION, "Guten Tag Lukas Schmitz, wir haben den Zahlungsnachweis"),
        (LetterKind.DISPUTE_ACKNOWLEDGEMENT, "Guten Tag Lukas Schmitz, wir haben am"),
        (LetterKind.DISPUTE_OUTCOME, "Guten Tag Lukas Schmitz, wir haben den Widerspruch"),
        (LetterKind.STATEMENT_OF_ACCOUNT, "Guten Tag Lukas Schmitz, anbei erhalten Sie"),
        (LetterKind.MEDIATOR_CLAIM_DECLARATION, "Guten Tag Anne Lambert, als Unternehmen"),
    ],
    ids=lambda value: value.value if isinstance(value, LetterKind) else "",
)
def test_german_letters_greet_the_reader_by_name_and_go_on_in_lower_case(
    kind: LetterKind, opening: str
) -> None:
    text = _text(kind, "de")
    assert opening in text
    assert "Sehr geehrte Damen und Herren" not in text


@pytest.mark.parametrize("kind", list(LetterKind), ids=lambda kind: kind.value)
def test_german_letters_avoid_the_calques(kind: LetterKind) -> None:
    text = _text(kind, "de")
    calques = ["Eigenschaft:", "Bewegungen der Akte", "einfache Anfrage", "Kontoauszug zum"]
    assert [calque for calque in calques if calque in text] == []


def test_the_german_statement_is_a_forderungsaufstellung() -> None:
    text = _text(LetterKind.STATEMENT_OF_ACCOUNT, "de")
    assert "Betreff: Forderungsaufstellung zum 26. Mai 2025" in text
    assert "Geschuldete Beträge und eingegangene Zahlungen" in text


def test_english_letters_greet_the_reader_by_name() -> None:
    text = _text(LetterKind.FORMAL_NOTICE, "en")
    assert "Dear Emma Wilson," in text
    assert "Dear Sir or Madam" not in text
    assert "Yours sincerely," in text


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_statement_names_each_line_once(language: Language) -> None:
    text = _text(LetterKind.STATEMENT_OF_ACCOUNT, language)
    names = {
        "fr": ("Indemnité forfaitaire", "Paiement reçu"),
        "nl": ("Forfaitaire schadevergoeding", "Betaling ontvangen"),
        "de": ("Pauschale Entschädigung", "Zahlung eingegangen"),
        "en": ("Lump-sum indemnity", "Payment received"),
    }[language]
    for name in names:
        assert not re.search(rf"{name}\W+{name}", text, re.IGNORECASE), name
