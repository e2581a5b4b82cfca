"""The staff upload page of the bulk import: staff only, CSRF on, the report shown."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from amicable.files.models import Creditor, File
from tests.intake.test_import import EXAMPLE, _csv, _line

URL = "/backoffice/intake/upload"


@pytest.fixture
def staff(db: None) -> Client:
    client = Client()
    client.force_login(User.objects.create_user("agent", password="x", is_staff=True))
    return client


def test_anonymous_visitors_are_sent_to_sign_in(creditor: Creditor) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_non_staff_user_is_sent_to_sign_in(creditor: Creditor) -> None:
    client = Client()
    client.force_login(User.objects.create_user("customer", password="x"))

    assert client.get(URL).status_code == 302


def test_staff_import_a_sheet_and_see_the_result(creditor: Creditor, staff: Client) -> None:
    client = staff
    page = client.get(URL)
    upload = SimpleUploadedFile("example.csv", EXAMPLE.read_bytes())

    response = client.post(URL, {"creditor": creditor.pk, "sheet": upload})

    assert page.status_code == 200
    assert response.status_code == 200
    assert File.objects.count() == 3
    assert File.objects.filter(events__actor="staff:agent").distinct().count() == 3
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
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.create_user("agent", password="x", is_staff=True))
    upload = SimpleUploadedFile("example.csv", EXAMPLE.read_bytes())

    response = client.post(URL, {"creditor": creditor.pk, "sheet": upload})

    assert response.status_code == 403
    assert File.objects.count() == 0
