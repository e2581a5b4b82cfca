"""Bad input to the API: every rule answers 422 with the field and the reason, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from amicable.files.models import Event, File
from tests.intake.conftest import claim_payload, file_payload, post

Case = tuple[dict[str, Any], str, str]

EMPTY = "This field must not be empty."
CONTROL = (
    "The character {} is not allowed (control characters, unpaired surrogates and direction "
    "overrides are refused)."
)
DATE_FORMAT = "Write dates as YYYY-MM-DD, for example 2025-02-14."
REMINDER_PAIR = (
    "The first reminder's date and channel (paper or electronic) go together: give both, or "
    "neither if no first reminder was sent (CEL art. XIX.2)."
)


def _debtor(**changes: Any) -> dict[str, Any]:
    debtor = dict(file_payload()["debtor"])
    debtor.update(changes)
    return {"debtor": debtor}


def _claim(**changes: Any) -> dict[str, Any]:
    return {"claims": [claim_payload(**changes)]}


CASES: list[Any] = [
    pytest.param(
        _debtor(postal_code="999"),
        "debtor.postal_code",
        "A Belgian postal code has four digits, from 1000 to 9999.",
        id="belgian_postal_code_3_digits",
    ),
    pytest.param(
        _debtor(postal_code="0999"),
        "debtor.postal_code",
        "A Belgian postal code has four digits, from 1000 to 9999.",
        id="belgian_postal_code_below_1000",
    ),
    pytest.param(
        _debtor(country="Belgium"),
        "debtor.country",
        "Give the country as its two-letter ISO 3166 code, for example BE.",
        id="country_not_iso",
    ),
    pytest.param(
        _debtor(language="es"),
        "debtor.language",
        "Input should be 'fr', 'nl', 'de' or 'en'",
        id="language",
    ),
    pytest.param(
        _debtor(email="marie@"),
        "debtor.email",
        "This is not a valid e-mail address.",
        id="email",
    ),
    pytest.param(
        _debtor(phone="call me"),
        "debtor.phone",
        "A phone number has digits and only the signs + ( ) . / - and spaces (at most 40 "
        "characters).",
        id="phone",
    ),
    pytest.param(
        _debtor(birth_date="2025-06-16"),
        "debtor.birth_date",
        "The birth date must be in the past.",
        id="birth_date_today",
    ),
    pytest.param(_debtor(name="   "), "debtor.name", EMPTY, id="name_blank"),
    pytest.param(
        _debtor(name="x" * 201),
        "debtor.name",
        "At most 200 characters are allowed, not 201.",
        id="name_too_long",
    ),
    pytest.param(
        _debtor(name="Marie\x00Dupont"), "debtor.name", CONTROL.format("U+0000"), id="name_nul"
    ),
    pytest.param(
        _debtor(name="Marie \u202eDupont"),
        "debtor.name",
        CONTROL.format("U+202E"),
        id="name_direction_override",
    ),
    pytest.param({"creditor_reference": ""}, "creditor_reference", EMPTY, id="reference_empty"),
    pytest.param(
        {"creditor_reference": "R" * 65},
        "creditor_reference",
        "At most 64 characters are allowed, not 65.",
        id="reference_too_long",
    ),
    pytest.param(
        {"claims": []},
        "claims",
        "List should have at least 1 item after validation, not 0",
        id="no_claim",
    ),
    pytest.param(
        {"claims": "INV-1"}, "claims", "Input should be a valid list", id="claims_not_a_list"
    ),
    pytest.param(
        _claim(principal="0"),
        "claims[0].principal",
        "The amount must be more than 0.00.",
        id="principal_zero",
    ),
    pytest.param(
        _claim(principal="-5.00"),
        "claims[0].principal",
        "The amount must be more than 0.00.",
        id="principal_negative",
    ),
    pytest.param(
        _claim(principal="12.345"),
        "claims[0].principal",
        "An amount has at most two decimals (whole cents).",
        id="principal_three_decimals",
    ),
    pytest.param(
        _claim(principal="1.234,56"),
        "claims[0].principal",
        "Write the amount with digits and a decimal point, like 120.50 (no thousands "
        "separator, no currency sign).",
        id="principal_thousands_separator",
    ),
    pytest.param(
        _claim(principal="100000000.00"),
        "claims[0].principal",
        "The amount must be at most 99999999.99.",
        id="principal_too_large",
    ),
    pytest.param(
        _claim(principal=True),
        "claims[0].principal",
        'Give the amount as a decimal number or a string like "120.50".',
        id="principal_boolean",
    ),
    pytest.param(
        _claim(due_date="2025-06-17", first_reminder_sent_on=None, first_reminder_channel=None),
        "claims[0].due_date",
        "The due date is in the future: only a late payment can be collected.",
        id="due_date_future",
    ),
    pytest.param(
        _claim(due_date="14/02/2025"), "claims[0].due_date", DATE_FORMAT, id="due_date_dmy"
    ),
    pytest.param(_claim(due_date=20250214), "claims[0].due_date", DATE_FORMAT, id="due_date_int"),
    pytest.param(
        _claim(due_date="2025-02-30"),
        "claims[0].due_date",
        "This date does not exist in the calendar.",
        id="due_date_not_in_calendar",
    ),
    pytest.param(
        _claim(invoice_date="1999-12-31"),
        "claims[0].invoice_date",
        "The date must be between 2000-01-01 and 2099-12-31.",
        id="invoice_date_too_old",
    ),
    pytest.param(
        _claim(invoice_date="2025-02-15"),
        "claims[0].invoice_date",
        "The invoice date must be on or before the due date.",
        id="invoice_after_due",
    ),
    pytest.param(
        _claim(contract_date="2025-07-01"),
        "claims[0].contract_date",
        "The contract date must not be in the future.",
        id="contract_date_future",
    ),
    pytest.param(
        _claim(first_reminder_channel=None),
        "claims[0].first_reminder_channel",
        REMINDER_PAIR,
        id="reminder_date_without_channel",
    ),
    pytest.param(
        _claim(first_reminder_sent_on=None),
        "claims[0].first_reminder_sent_on",
        REMINDER_PAIR,
        id="reminder_channel_without_date",
    ),
    pytest.param(
        _claim(first_reminder_channel="fax"),
        "claims[0].first_reminder_channel",
        "Input should be 'paper' or 'electronic'",
        id="reminder_channel_unknown",
    ),
    pytest.param(
        _claim(first_reminder_sent_on="2025-02-14"),
        "claims[0].first_reminder_sent_on",
        "The first reminder must be sent after the due date: it reminds the consumer of a late "
        "payment (CEL art. XIX.2).",
        id="reminder_on_due_date",
    ),
    pytest.param(
        _claim(first_reminder_sent_on="2025-06-20"),
        "claims[0].first_reminder_sent_on",
        "The first reminder date is in the future.",
        id="reminder_future",
    ),
    pytest.param(
        _claim(indemnity_fixed="40.00"),
        "claims[0].indemnity_fixed",
        "A damages clause is either a fixed amount or a percentage (with an optional minimum), "
        "not both: enter the clause as the general terms write it.",
        id="indemnity_fixed_and_percent",
    ),
    pytest.param(
        _claim(indemnity_percent=None),
        "claims[0].indemnity_minimum",
        "A minimum goes with a percentage; for a single amount use indemnity_fixed.",
        id="indemnity_minimum_without_percent",
    ),
    pytest.param(
        _claim(indemnity_percent="150"),
        "claims[0].indemnity_percent",
        "The percentage must be between 0 and 100.",
        id="indemnity_percent_above_100",
    ),
    pytest.param(
        _claim(interest_rate="8.1234"),
        "claims[0].interest_rate",
        "The interest rate has at most 3 decimals.",
        id="interest_rate_decimals",
    ),
    pytest.param(
        _claim(interest_clause=False),
        "claims[0].interest_rate",
        "An interest rate is given but interest_clause is false: no interest may be charged "
        "without a clause (CEL art. XIX.4). Set interest_clause if the contract provides late "
        "interest.",
        id="interest_rate_without_clause",
    ),
    pytest.param(
        _claim(description="Gas\nbill"),
        "claims[0].description",
        CONTROL.format("U+000A"),
        id="description_newline",
    ),
    pytest.param(
        _claim(principle="200.00"),
        "claims[0].principle",
        "Extra inputs are not permitted",
        id="misspelt_field",
    ),
]


@pytest.mark.parametrize(("changes", "field", "reason"), CASES)
def test_each_rule_is_refused_with_its_field(
    api: Client, changes: dict[str, Any], field: str, reason: str
) -> None:
    response = post(api, "/files", file_payload(**changes))

    assert response.status_code == 422
    assert response.json() == {"errors": [{"field": field, "reason": reason}]}
    assert File.objects.count() == 0
    assert Event.objects.filter(file__isnull=False).count() == 0


def test_several_errors_are_all_reported(api: Client) -> None:
    payload = file_payload(**_debtor(postal_code="12"), **_claim(principal="0", due_date="x"))

    response = post(api, "/files", payload)

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "claims[0].due_date",
        "claims[0].principal",
        "debtor.postal_code",
    ]
    # Shape errors come first, then the rules (postal code of a Belgian address) on the fields
    # whose shape is right.


def test_duplicate_claim_references_in_a_file_are_refused(api: Client) -> None:
    payload = file_payload(claims=[claim_payload(), claim_payload(principal="10.00")])

    response = post(api, "/files", payload)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "claims[1].creditor_reference",
            "reason": "The claim reference 'INV-1' is already used by claims[0] of this file.",
        }
    ]


def test_interest_before_any_published_rate_is_refused(api: Client) -> None:
    claim = claim_payload(
        invoice_date="2018-01-01",
        due_date="2018-01-31",
        first_reminder_sent_on="2018-02-05",
        first_reminder_channel="electronic",
        contract_date="2017-06-01",
        interest_rate=None,
        # Ten years (old Civil Code art. 2262bis): not time-barred, so the rate is what fails.
        category="general",
    )

    response = post(api, "/files", file_payload(claims=[claim]))

    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "claims[0].interest_clause"
    assert error["reason"].startswith("No civil legal interest rate is known for 2018-02-2")


@pytest.mark.parametrize(
    ("amount", "stored"),
    [
        pytest.param("120.5", "120.50", id="string"),
        pytest.param(120.5, "120.50", id="json_number"),
        pytest.param(7, "7.00", id="integer"),
        pytest.param("1.500", "1.50", id="trailing_zeros"),
    ],
)
def test_amounts_as_strings_or_numbers(api: Client, amount: Any, stored: str) -> None:
    response = post(api, "/files", file_payload(claims=[claim_payload(principal=amount)]))

    assert response.status_code == 201
    assert response.json()["claims"][0]["principal"] == stored


def test_a_foreign_postal_code_is_free(api: Client) -> None:
    payload = file_payload(**_debtor(postal_code="75001", country="fr", city="Paris"))

    response = post(api, "/files", payload)

    assert response.status_code == 201
    assert (response.json()["debtor"]["postal_code"], response.json()["debtor"]["country"]) == (
        "75001",
        "FR",
    )


def _raw(api: Client, body: bytes | str) -> Any:
    return api.post("/api/v1/files", body, content_type="application/json")


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"{", id="truncated"),
        pytest.param(b'{"principal": NaN}', id="nan"),
        pytest.param(b'{"principal": Infinity}', id="infinity"),
        pytest.param(b"\xff\xfe\x00garbage", id="not_utf8"),
        pytest.param(b'{"n": ' + b"9" * 5000 + b"}", id="integer_of_5000_digits"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="deeply_nested"),
    ],
)
def test_a_body_that_is_not_json_is_400(api: Client, body: bytes) -> None:
    response = _raw(api, body)

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "body",
                "reason": "The request body is not valid JSON (UTF-8, numbers without NaN or "
                "Infinity).",
            }
        ]
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param(b"", "body", id="empty"),
        pytest.param(b"[1, 2]", "body", id="array"),
        pytest.param(b'"text"', "body", id="string"),
        pytest.param(b'{"creditor_reference": "\\ud800"}', "creditor_reference", id="surrogate"),
        pytest.param(
            b'{"creditor_reference": "F", "debtor": [], "claims": [{"principal": 1e400}]}',
            "debtor",
            id="huge_exponent",
        ),
    ],
)
def test_json_of_the_wrong_shape_is_422(api: Client, body: bytes, field: str) -> None:
    response = _raw(api, body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_a_huge_number_is_refused_as_too_large(api: Client) -> None:
    body = file_payload()
    body["claims"][0]["principal"] = "PLACEHOLDER"
    text = json.dumps(body).replace('"PLACEHOLDER"', "1e400")

    response = _raw(api, text)

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "claims[0].principal", "reason": "The amount must be at most 99999999.99."}
    ]


def test_a_bad_idempotency_key_is_refused(api: Client) -> None:
    response = post(api, "/files", file_payload(), **{"Idempotency-Key": "two words"})

    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "reason": "An idempotency key has 1 to 128 visible ASCII characters (no spaces).",
        }
    ]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        pytest.param("/api/v1/files/%00", 422, id="nul_in_reference"),
        pytest.param("/api/v1/files/AM0000000%00", 422, id="nul_inside_reference"),
        pytest.param("/api/v1/files?creditor_reference=%00", 422, id="nul_in_filter"),
        pytest.param("/api/v1/files?cursor=%00", 422, id="nul_in_cursor"),
        pytest.param("/api/v1/files?updated_since=9999-12-31T23:59:59-14:00", 422, id="far_date"),
        pytest.param("/api/v1/files?limit=100000", 422, id="limit_too_large"),
        pytest.param("/api/v1/files?state=lost", 422, id="unknown_state"),
    ],
)
def test_odd_urls_are_4xx(api: Client, path: str, status: int) -> None:
    assert api.get(path).status_code == status
