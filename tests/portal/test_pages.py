"""Journeys 1, 2, 6 and 7 through the test client, in French and Dutch."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import LazySettings
from django.test import Client

from amicable.files.models import WorkItem, WorkItemKind
from amicable.phishing.models import FraudCampaign, PhishingReport
from tests.portal.conftest import Cast, sign_in

AGENCY_IBAN = "BE71096123456769"


def _heading(html: str) -> str:
    assert html.count("<h1>") == 1
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Votre dossier"), ("nl", "Uw dossier")],
    ids=["fr", "nl"],
)
def test_breakdown_page_in_each_language(
    client: Client, cast: Cast, language: str, expected: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/").content.decode()
    assert _heading(html) == f"{expected} {cast.file.reference}"
    assert f'<html lang="{language}">' in html


def test_breakdown_shows_amounts_dates_and_legal_basis(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    html = client.get(f"/files/{cast.file.reference}/").content.decode()
    # Principal 200.00: the cap of art. XIX.4 on 200.00 is 30 + 10 % of 50 = 35.00.
    assert "200,00\u00a0€" in html
    assert "la loi permet au maximum 35,00\u00a0€" in html
    assert "art. XIX.4" in html
    # Paper reminder sent Monday 03/03/2025: grace from 06/03/2025 to 19/03/2025.
    assert "du 06/03/2025 au 19/03/2025" in html
    assert "15/01/2025" in html
    assert "14/02/2025" in html
    assert "Électricité, facture de régularisation" in html
    assert "8\u00a0% par an" in html


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fr", "Comment payer"), ("nl", "Hoe betalen")],
    ids=["fr", "nl"],
)
def test_payment_page(client: Client, cast: Cast, language: str, expected: str) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/pay/").content.decode()
    assert _heading(html) == expected
    digits = cast.file.structured_communication
    assert f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++" in html
    assert "BE71 0961 2345 6769" in html
    assert "GKCCBEBB" in html
    assert '<svg role="img"' in html
    assert 'data-copy="pay-iban" hidden' in html


@pytest.mark.parametrize(
    ("path", "language", "expected"),
    [
        ("/check/", "fr", "Ce message vient-il vraiment de nous\u00a0?"),
        ("/check/", "nl", "Komt dit bericht echt van ons?"),
        ("/check/report/", "fr", "Signaler un message suspect"),
        ("/check/report/", "nl", "Een verdacht bericht melden"),
        ("/rights/", "fr", "Vos droits"),
        ("/rights/", "nl", "Uw rechten"),
        ("/faq/", "fr", "Questions fréquentes"),
        ("/faq/", "nl", "Veelgestelde vragen"),
        ("/sign-in/", "fr", "Accéder à votre dossier"),
        ("/sign-in/", "nl", "Aanmelden op uw dossier"),
        ("/", "fr", "Votre dossier en ligne"),
        ("/", "nl", "Uw dossier online"),
    ],
    ids=lambda v: str(v),
)
def test_public_pages_in_each_language(
    client: Client, db: None, path: str, language: str, expected: str
) -> None:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    assert _heading(response.content.decode()) == expected


def _check(client: Client, cast: Cast, **overrides: str) -> str:
    data = {
        "reference": cast.file.reference,
        "iban": "BE71 0961 2345 6769",
        "structured_communication": cast.file.structured_communication,
    }
    data.update(overrides)
    return client.post("/check/", data).content.decode()


def test_authenticity_genuine(client: Client, cast: Cast) -> None:
    html = _check(client, cast)
    assert "Authentique" in html
    assert cast.file.debtor.name not in html


def test_authenticity_not_genuine_when_communication_is_of_another_file(
    client: Client, cast: Cast
) -> None:
    html = _check(client, cast, structured_communication=cast.second_file.structured_communication)
    assert "Pas authentique" in html


def test_authenticity_wrong_iban(client: Client, cast: Cast) -> None:
    html = _check(client, cast, iban="BE68539007547034")
    assert "ce numéro de compte n’est pas le nôtre" in html


def test_authenticity_is_rate_limited(client: Client, cast: Cast) -> None:
    for _ in range(10):
        _check(client, cast)
    assert "Trop de vérifications" in _check(client, cast)


def test_fraud_campaigns_listed_when_active(client: Client, db: None) -> None:
    FraudCampaign.objects.create(
        seen_on=dt.date(2025, 5, 2), pretended_to_be="SMS « dernier rappel »", channel="SMS"
    )
    FraudCampaign.objects.create(
        seen_on=dt.date(2024, 1, 2), pretended_to_be="Old one", channel="e-mail", is_active=False
    )
    html = client.get("/check/").content.decode()
    assert "02/05/2025" in html
    assert "SMS « dernier rappel »" in html
    assert "Old one" not in html


def test_phishing_report_creates_a_work_item(client: Client, db: None) -> None:
    response = client.post(
        "/check/report/",
        {
            "channel": "text",
            "received_on": "04/06/2025",
            "sender": "+32 470 00 00 00",
            "content": "Payez ici : http://example.invalid",
            "reporter_email": "",
        },
    )
    assert response.status_code == 200
    report = PhishingReport.objects.get()
    assert report.received_on == dt.date(2025, 6, 4)
    item = WorkItem.objects.get()
    assert item.kind == WorkItemKind.PHISHING_REPORT
    assert item.data == {"phishing_report_id": report.pk}
    assert (item.due_on - item.created_at.date()).days >= 2


def test_phishing_report_without_message_is_refused(client: Client, db: None) -> None:
    response = client.post("/check/report/", {"channel": "text", "content": ""})
    assert 'aria-describedby="id_content_help id_content_error"' in response.content.decode()
    assert WorkItem.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [("fr", "médiation", 2), ("nl", "afbetaling", 2), ("fr", "zzzz", 0)],
    ids=["fr", "nl", "none"],
)
def test_faq_search(client: Client, db: None, language: str, query: str, expected: int) -> None:
    client.cookies["django_language"] = language
    html = client.get("/faq/", {"q": query}).content.decode()
    assert html.count('<section class="faq">') == expected


def test_rights_name_the_supervisory_authority(client: Client, db: None) -> None:
    html = client.get("/rights/").content.decode()
    assert "Boulevard du Roi Albert II 16, 1000 Bruxelles" in html
    assert 'href="https://pointdecontact.belgique.be"' in html


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_the_debtors_home_page_has_no_staff_section(
    client: Client, db: None, language: str
) -> None:
    """Staff have their own entrance at /backoffice/ (its sign-in page says how an account is
    made); the debtor's home page speaks only to debtors."""
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()
    assert "/backoffice/" not in html
    assert "create-staff-user" not in html
    assert "create-api-token" not in html
    staff_page = client.get("/backoffice/sign-in/").content.decode()
    assert "create-staff-user" in staff_page


@pytest.mark.parametrize("language", ["fr", "nl", "de", "en"])
def test_a_development_installation_shows_where_staff_and_creditors_come_in(
    client: Client, db: None, language: str, settings: LazySettings
) -> None:
    """After `make run` (DEBUG on) the home page is the evaluator's first screen: it names the
    back office, the administration and the API docs, and how to sign in to each."""
    settings.DEBUG = True
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()
    for address in ('href="/backoffice/"', 'href="/admin/"', 'href="/api/v1/docs"'):
        assert address in html
    assert "admin" in html.split('id="entrances-heading"')[1]
    assert "make run" in html
