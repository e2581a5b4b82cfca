"""The back office in the staff member's language: chosen with the switcher, else the browser's,
else English; what the debtor is told stays in the debtor's language."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.files.models import Event, WorkItem, WorkItemKind
from tests.factories import make_file
from tests.staff import PASSWORD, TODAY, StaffClient, make_proof, make_staff

pytestmark = pytest.mark.django_db


def _h1(response: HttpResponse) -> str:
    html = response.content.decode()
    return html.split("<h1>", 1)[1].split("</h1>", 1)[0]


def _lang(response: HttpResponse) -> str:
    return response.content.decode().split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize(
    ("cookie", "accept_language", "language", "heading"),
    [
        ("", "", "en", "Work queues"),
        ("fr", "", "fr", "Files de travail"),
        ("nl", "fr-BE,fr;q=0.9", "nl", "Werkwachtrijen"),
        ("", "de-BE,de;q=0.9,en;q=0.5", "de", "Arbeitskörbe"),
        ("", "fr-BE", "fr", "Files de travail"),
        # A browser that asks for none of our languages: English, not the debtors' French.
        ("", "ja,zh;q=0.8", "en", "Work queues"),
        ("xx", "", "en", "Work queues"),
    ],
    ids=[
        "default_case",
        "chosen_fr_case",
        "choice_beats_browser_case",
        "browser_de_case",
        "browser_region_case",
        "browser_foreign_case",
        "bad_cookie_case",
    ],
)
def test_the_back_office_speaks_the_staff_members_language(
    agent: tuple[Client, User], cookie: str, accept_language: str, language: str, heading: str
) -> None:
    client, _user = agent
    if cookie:
        client.cookies["django_language"] = cookie
    headers = {"accept-language": accept_language} if accept_language else {}
    response = client.get("/backoffice/", headers=headers)
    assert response.status_code == 200
    assert (_lang(response), _h1(response)) == (language, heading)


def test_the_language_switcher_is_on_every_page_and_keeps_the_choice(
    agent: tuple[Client, User],
) -> None:
    client, _user = agent
    html = client.get("/backoffice/search/").content.decode()
    assert '<form class="language" action="/i18n/setlang/" method="post">' in html
    assert '<input type="hidden" name="next" value="/backoffice/search/">' in html
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/backoffice/search/"})
    assert (response.status_code, response["Location"]) == (302, "/backoffice/search/")
    assert _h1(client.get("/backoffice/search/")) == "Dossiers zoeken"
    assert _h1(client.get("/backoffice/")) == "Werkwachtrijen"


def test_the_sign_in_steps_follow_the_language_too(db: None) -> None:
    make_staff(Role.AGENT, username="marie")
    client = Client()
    client.cookies["django_language"] = "fr"
    page = client.get("/backoffice/sign-in/")
    assert _h1(page) == "Connexion du personnel"
    assert '<form class="language"' in page.content.decode()
    refused = client.post("/backoffice/sign-in/", {"username": "marie", "password": "wrong"})
    assert "Le nom d’utilisateur ou le mot de passe est incorrect." in refused.content.decode()
    client.post("/backoffice/sign-in/", {"username": "marie", "password": PASSWORD})
    verify = client.post("/backoffice/sign-in/verify/", {"token": "12"})
    assert "Tapez les 6 chiffres qu’affiche votre application d’authentification." in (
        verify.content.decode()
    )


def test_messages_labels_and_amounts_in_german(agent: tuple[Client, User]) -> None:
    client, _user = agent
    client.cookies["django_language"] = "de"
    file = make_file(today=date(2025, 6, 1), language="fr")
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert '<h2 id="h-balance">Saldo</h2>' in html
    assert '<th scope="row">Hauptforderung</th><td class="num">200,00\u00a0€</td>' in html
    assert "<h3>Eine Notiz hinzufügen</h3>" in html
    work = WorkItem.objects.create(
        kind=WorkItemKind.DOCUMENT_REQUEST, file=file, title="Invoice asked", due_on=TODAY
    )
    response = client.post(f"/backoffice/items/{work.pk}/close/", {"outcome": "Sent."})
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Aufgabe abgeschlossen."]


def test_what_the_debtor_is_told_stays_in_the_debtors_language(
    agent: tuple[Client, User],
) -> None:
    client, _user = agent
    client.cookies["django_language"] = "de"
    file = make_file(today=date(2025, 6, 1), language="nl")
    work = make_proof(file)
    assert work.document is not None
    url = f"/backoffice/files/{file.reference}/documents/{work.document.pk}/review/"
    assert client.post(url, {"decision": "accept"}).status_code == 302
    event = Event.objects.get(file=file, kind="proof_accepted")
    assert event.message.startswith("We hebben uw betalingsbewijs “extrait.png” aanvaard.")


def test_queue_names_and_statuses_are_translated(agent: tuple[Client, User]) -> None:
    client, _user = agent
    client.cookies["django_language"] = "fr"
    work = make_proof(make_file(today=date(2025, 6, 1), language="nl"))
    overview = client.get("/backoffice/").content.decode()
    assert '<th scope="col" class="num">Ouvertes</th>' in overview
    assert ">Preuve de paiement à examiner</a>" in overview
    page = client.get(f"/backoffice/items/{work.pk}/").content.decode()
    assert "<dt>Statut</dt><dd>Ouverte</dd>" in page


@pytest.mark.parametrize(
    ("path", "language", "heading"),
    [
        ("/backoffice/statements/", "fr", "Extraits bancaires"),
        ("/backoffice/statements/", "de", "Kontoauszüge"),
        ("/backoffice/intake/upload", "nl", "Dossiers importeren uit een rekenblad"),
        ("/backoffice/intake/upload", "en", "Import files from a sheet"),
    ],
    ids=["statements_fr", "statements_de", "intake_nl", "intake_en"],
)
def test_the_statement_and_import_pages_follow_the_language_and_offer_the_switcher(
    staff_client: StaffClient, path: str, language: str, heading: str
) -> None:
    client, _user = staff_client(Role.SUPERVISOR)
    client.cookies["django_language"] = language
    response = client.get(path)
    assert (response.status_code, _lang(response), _h1(response)) == (200, language, heading)
    assert '<form class="language" action="/i18n/setlang/" method="post">' in (
        response.content.decode()
    )


def test_the_statement_upload_form_and_its_errors_are_in_dutch(
    staff_client: StaffClient,
) -> None:
    client, _user = staff_client(Role.SUPERVISOR)
    client.cookies["django_language"] = "nl"
    response = client.post("/backoffice/statements/", {"format": "", "statement": ""})
    assert "Dit veld is verplicht." in response.content.decode()
    assert "CODA- of camt.053-bestand" in response.content.decode()
