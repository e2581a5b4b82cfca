"""A signed-in debtor, a second file of the same debtor and a stranger's file."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.conf import LazySettings
from django.test import Client

from amicable.files.models import File
from amicable.files.services import issue_access_code
from tests.factories import make_creditor, make_file


@dataclass(frozen=True, slots=True)
class Cast:
    file: File
    code: str
    second_file: File
    stranger_file: File


@pytest.fixture
def cast(db: None) -> Cast:
    creditor = make_creditor()
    file = make_file(creditor=creditor, customer_reference="ALICE", language="fr")
    second = make_file(creditor=creditor, customer_reference="ALICE", language="fr")
    stranger = make_file(creditor=creditor, customer_reference="BOB", language="nl")
    code = issue_access_code(file=file, actor="test")
    return Cast(file=file, code=code, second_file=second, stranger_file=stranger)


def sign_in(client: Client, cast: Cast) -> None:
    response = client.post("/sign-in/", {"reference": cast.file.reference, "code": cast.code})
    assert response.status_code == 302


#: An agency whose name may show through an envelope window (no word telling it is about a
#: debt), so that its letters pass every check of amicable.letters.
LETTER_AGENCY = {
    "name": "Clairval SRL",
    "enterprise_number": "0712.345.630",
    "fps_economy_registration": "FPS-ECO 2024/0047",
    "address": "Rue de la Loi 155, 1040 Bruxelles",
    "phone": "+32 2 555 01 23",
    "email": "contact@clairval.example",
    "iban": "BE71096123456769",
    "bic": "GKCCBEBB",
}


@pytest.fixture
def letter_agency(settings: LazySettings) -> dict[str, str]:
    settings.AMICABLE_AGENCY = LETTER_AGENCY
    return LETTER_AGENCY
