"""Sign-in with file number and access code, lock-out, expiry and object-level access."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from amicable.files.models import Event
from amicable.portal.authentication import MAX_FAILURES
from tests.portal.conftest import Cast, sign_in

GENERIC = "Le numéro de dossier ou le code d’accès n’est pas correct."


def _spaced(reference: str) -> str:
    digits = reference[2:]
    return f"am {digits[:4]} {digits[4:]}"


def test_sign_in_accepts_a_spaced_lower_case_number_and_shows_all_files(
    client: Client, cast: Cast
) -> None:
    before = client.cookies.get("sessionid")
    response = client.post(
        "/sign-in/", {"reference": _spaced(cast.file.reference), "code": cast.code.lower()}
    )
    assert response.status_code == 302
    assert response["Location"] == "/files/"
    assert client.cookies["django_language"].value == "fr"
    assert before is None or client.cookies["sessionid"].value != before.value
    page = client.get("/files/").content.decode()
    assert cast.file.reference in page
    assert cast.second_file.reference in page
    assert cast.stranger_file.reference not in page
    assert list(
        Event.objects.filter(file=cast.file, kind="portal_sign_in").values_list("actor", flat=True)
    ) == ["portal"]


def test_session_key_changes_on_sign_in(client: Client, cast: Cast) -> None:
    client.get("/sign-in/")
    client.post("/sign-in/", {"reference": "AM99999999", "code": "XXXX-XXXX"})
    old_key = client.session.session_key
    sign_in(client, cast)
    assert client.session.session_key != old_key


@pytest.mark.parametrize("case", ["wrong_code", "unknown_number"], ids=str)
def test_wrong_code_and_unknown_number_get_the_same_answer(
    client: Client, cast: Cast, case: str
) -> None:
    reference = cast.file.reference if case == "wrong_code" else "AM99999999"
    response = client.post("/sign-in/", {"reference": reference, "code": "ZZZZ-ZZZZ"})
    assert response.status_code == 400
    assert GENERIC in response.content.decode()
    assert "portal_debtor_id" not in client.session


@pytest.mark.parametrize("case", ["existing", "unknown"], ids=str)
def test_lock_out_after_failures_with_the_time_to_wait(
    client: Client, cast: Cast, case: str
) -> None:
    reference = cast.file.reference if case == "existing" else "AM99999999"
    for _ in range(MAX_FAILURES):
        client.post("/sign-in/", {"reference": reference, "code": "ZZZZ-ZZZZ"})
    # Even the right code is refused while locked.
    code = cast.code if case == "existing" else "ZZZZ-ZZZZ"
    response = client.post("/sign-in/", {"reference": reference, "code": code})
    assert response.status_code == 400
    assert "réessayez dans 15 minutes" in response.content.decode()
    assert "portal_debtor_id" not in client.session
    expected = 1 if case == "existing" else 0
    assert Event.objects.filter(file=cast.file, kind="portal_locked").count() == expected


def test_lock_out_ends_after_the_window(client: Client, cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(MAX_FAILURES):
            client.post("/sign-in/", {"reference": cast.file.reference, "code": "ZZZZ-ZZZZ"})
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        sign_in(client, cast)


def test_lock_out_per_client_address_across_file_numbers(client: Client, cast: Cast) -> None:
    for n in range(MAX_FAILURES):
        client.post("/sign-in/", {"reference": f"AM9999990{n}", "code": "ZZZZ-ZZZZ"})
    response = client.post("/sign-in/", {"reference": cast.file.reference, "code": cast.code})
    assert response.status_code == 400
    assert "réessayez dans 15 minutes" in response.content.decode()


def test_session_expires_after_30_minutes(client: Client, cast: Cast) -> None:
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        sign_in(client, cast)
        assert client.get(f"/files/{cast.file.reference}/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        response = client.get(f"/files/{cast.file.reference}/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"


@pytest.mark.parametrize("page", ["", "pay/"], ids=["detail", "pay"])
def test_another_debtors_file_is_not_found(client: Client, cast: Cast, page: str) -> None:
    sign_in(client, cast)
    assert client.get(f"/files/{cast.second_file.reference}/{page}").status_code == 200
    assert client.get(f"/files/{cast.stranger_file.reference}/{page}").status_code == 404


def test_pages_of_a_file_need_sign_in(client: Client, cast: Cast) -> None:
    response = client.get(f"/files/{cast.file.reference}/")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?expired=1"


def test_csrf_is_enforced_on_sign_in(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/sign-in/", {"reference": cast.file.reference, "code": cast.code})
    assert response.status_code == 403


def test_sign_out_ends_the_session(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    client.post("/sign-out/")
    assert client.get("/files/").status_code == 302
