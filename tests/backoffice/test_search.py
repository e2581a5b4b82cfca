"""Finding a file by what a caller or a bank statement gives."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.domain.references import ogm_format
from amicable.files.models import File
from amicable.files.numbers import instalment_structured_communication
from amicable.payments.models import DebtorAccount
from tests.factories import claim_input, make_creditor, make_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(db: None) -> tuple[File, File]:
    creditor = make_creditor()
    wanted = make_file(
        creditor=creditor,
        today=date(2025, 6, 1),
        name="Jean-Pierre Van den Bossche",
        email="JP.vandenbossche@example.be",
        claims=[claim_input(creditor_reference="INV-2025-0042")],
    )
    other = make_file(creditor=creditor, today=date(2025, 6, 1), name="Anne Martin")
    return wanted, other


def found(client: Client, query: str) -> list[tuple[str, str]]:
    response = client.get("/backoffice/search/", {"q": query})
    assert response.status_code == 200
    return [(hit.file.reference, hit.matched_on) for hit in response.context["hits"]]


def test_a_file_number_opens_the_file(agent: tuple[Client, User], files: tuple[File, File]) -> None:
    client, _ = agent
    wanted, _ = files
    for typed in [
        wanted.reference,
        wanted.reference.lower(),
        f"AM {wanted.reference[2:6]} {wanted.reference[6:]}",
    ]:
        response = client.get("/backoffice/search/", {"q": typed})
        assert response.status_code == 302
        assert response["Location"] == f"/backoffice/files/{wanted.reference}/"


@pytest.mark.parametrize(
    "form",
    ["printed", "stars", "spaced", "bare", "instalment"],
)
def test_a_structured_communication_in_any_printed_form_opens_the_file(
    agent: tuple[Client, User], files: tuple[File, File], form: str
) -> None:
    client, _ = agent
    wanted, _ = files
    digits = wanted.structured_communication
    typed = {
        "printed": ogm_format(digits),
        "stars": ogm_format(digits).replace("+", "*"),
        "spaced": f"{digits[:3]} {digits[3:7]} {digits[7:]}",
        "bare": digits,
        "instalment": ogm_format(instalment_structured_communication(wanted.number, 3)),
    }[form]
    response = client.get("/backoffice/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/files/{wanted.reference}/"


@pytest.mark.parametrize(
    ("query", "matched_on"),
    [
        ("van den bossche", "debtor name"),
        ("jp.VANDENBOSSCHE@example.be", "e-mail"),
        ("INV-2025-0042", "invoice reference"),
    ],
    ids=["name", "e-mail", "invoice"],
)
def test_other_keys_list_the_files_found(
    agent: tuple[Client, User], files: tuple[File, File], query: str, matched_on: str
) -> None:
    client, _ = agent
    wanted, _ = files
    assert found(client, query) == [(wanted.reference, matched_on)]


def test_the_creditors_file_reference_finds_the_file(
    agent: tuple[Client, User], files: tuple[File, File]
) -> None:
    client, _ = agent
    wanted, _ = files
    assert found(client, wanted.creditor_reference) == [(wanted.reference, "creditor reference")]


@pytest.mark.parametrize("query", ["", "Nobody", "+++000/0000/00097+++", "x@nowhere.example"])
def test_nothing_found_says_so(
    agent: tuple[Client, User], files: tuple[File, File], query: str
) -> None:
    client, _ = agent
    assert found(client, query) == []


@pytest.mark.parametrize(
    "typed",
    ["BE68539007547034", "be68 5390 0754 7034", "BE68 5390 0754 7034"],
    ids=["compact", "lower_case_spaced", "printed"],
)
def test_an_iban_finds_the_files_of_the_debtor_who_paid_from_it(
    agent: tuple[Client, User], files: tuple[File, File], typed: str
) -> None:
    client, _ = agent
    wanted, other = files
    DebtorAccount.objects.create(
        debtor=wanted.debtor, iban="BE68539007547034", first_seen_on=date(2025, 6, 2)
    )
    DebtorAccount.objects.create(
        debtor=other.debtor, iban="BE71096123456769", first_seen_on=date(2025, 6, 2)
    )
    assert found(client, typed) == [(wanted.reference, "IBAN")]


def test_an_invalid_iban_is_not_looked_up_as_one(
    agent: tuple[Client, User], files: tuple[File, File]
) -> None:
    client, _ = agent
    wanted, _ = files
    DebtorAccount.objects.create(
        debtor=wanted.debtor, iban="BE68539007547034", first_seen_on=date(2025, 6, 2)
    )
    assert found(client, "BE68539007547035") == []
