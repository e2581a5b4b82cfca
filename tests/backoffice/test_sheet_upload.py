"""The staff upload page of the bulk import: the back office's sign-in with its second factor,
the import permission (supervisors), CSRF on, the report shown."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.files.models import Creditor, File
from tests.factories import make_creditor
from tests.intake.test_import import EXAMPLE, _csv, _line
from tests.staff import make_staff, sign_in

URL = "/backoffice/intake/upload"


@pytest.fixture
def creditor(db: None) -> Creditor:
    return make_creditor(reference="energie-test")


@pytest.fixture
def staff(db: None) -> Client:
    """A supervisor, signed in with password and authenticator code."""
    return sign_in(Client(), make_staff(Role.SUPERVISOR, username="supervisor"))


def _upload(client: Client, creditor: Creditor) -> int:
    sheet = SimpleUploadedFile("example.csv", EXAMPLE.read_bytes())
    return client.post(URL, {"creditor": creditor.pk, "sheet": sheet}).status_code


def test_anonymous_visitors_are_sent_to_the_back_office_sign_in(creditor: Creditor) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"] == "/backoffice/sign-in/?next=%2Fbackoffice%2Fintake%2Fupload"


def test_a_password_alone_is_sent_to_the_second_factor(creditor: Creditor) -> None:
    client = Client()
    client.force_login(make_staff(Role.SUPERVISOR))

    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/backoffice/sign-in/verify/?next=")
    assert _upload(client, creditor) == 302
    assert File.objects.count() == 0


@pytest.mark.parametrize(
    "role", [Role.AGENT, Role.ACCOUNTANT, Role.COMPLIANCE_OFFICER, None], ids=str
)
def test_staff_without_the_import_permission_are_refused(
    creditor: Creditor, role: Role | None
) -> None:
    client = sign_in(Client(), make_staff(role))

    assert client.get(URL).status_code == 403
    assert _upload(client, creditor) == 403
    assert File.objects.count() == 0


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMINISTRATOR], ids=str)
def test_supervisors_and_administrators_open_the_page(creditor: Creditor, role: Role) -> None:
    client = sign_in(Client(), make_staff(role))

    assert client.get(URL).status_code == 200


def test_staff_import_a_sheet_and_see_the_result(creditor: Creditor, staff: Client) -> None:
    client = staff
    page = client.get(URL)
    upload = SimpleUploadedFile("example.csv", EXAMPLE.read_bytes())

    response = client.post(URL, {"creditor": creditor.pk, "sheet": upload})

    assert page.status_code == 200
    assert response.status_code == 200
    assert File.objects.count() == 3
    assert File.objects.filter(events__actor="staff:supervisor").distinct().count() == 3
    text = response.content.decode()
    assert "<dt>Files created</dt><dd>3</dd>" in text
    assert "<dt>Lines rejected</dt><dd>0</dd>" in text


def test_rejected_lines_are_listed_with_their_line_number(
    creditor: Creditor, staff: Client
) -> None:
    client = staff
    content = _csv(_line("FILE-1", "INV-1", postal_code="12"))

    response = client.post(
        URL, {"creditor": creditor.pk, "sheet": SimpleUploadedFile("s.csv", content)}
    )

    assert response.status_code == 422
    text = response.content.decode()
    assert "<td>2</td><td>debtor_postal_code</td>" in text
    assert File.objects.count() == 0


def test_an_unreadable_sheet_is_explained(creditor: Creditor, staff: Client) -> None:
    client = staff

    response = client.post(
        URL, {"creditor": creditor.pk, "sheet": SimpleUploadedFile("s.csv", b"a;b\n")}
    )

    assert response.status_code == 422
    assert "Unknown column(s): a, b." in response.content.decode()


def test_the_form_is_protected_against_cross_site_requests(creditor: Creditor) -> None:
    client = sign_in(Client(enforce_csrf_checks=True), make_staff(Role.SUPERVISOR))

    assert client.get(URL).status_code == 200  # let in: the refusal below is the CSRF check's
    assert _upload(client, creditor) == 403
    assert File.objects.count() == 0
