"""Journey 5 through the portal: payment difficulties, debt mediation, collective settlement."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client

from amicable.disputes.models import Declaration
from amicable.domain.lifecycle import FileState
from amicable.files.models import Document, File
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import fake_pdf_upload, pdf_upload

pytestmark = pytest.mark.usefixtures("_today")


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


MEDIATOR = {
    "mediator_name": "Sophie Lambert",
    "mediator_organisation": "CPAS de Liège",
    "mediator_email": "mediation@cpas.example",
    "mediator_phone": "",
}


@pytest.mark.parametrize(
    ("language", "heading", "words"),
    [("fr", "Je ne peux pas payer", "CPAS"), ("nl", "Ik kan niet betalen", "OCMW")],
    ids=["fr", "nl"],
)
def test_difficulties_page_explains_plans_and_free_mediation(
    client: Client, cast: Cast, language: str, heading: str, words: str
) -> None:
    sign_in(client, cast)
    client.cookies["django_language"] = language
    html = client.get(f"/files/{cast.file.reference}/difficulties/").content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert words in html
    assert f'href="/files/{cast.file.reference}/plan/"' in html
    for reference in (cast.file.reference, cast.second_file.reference):
        assert f"<strong>{reference}</strong>" in html
    assert cast.stranger_file.reference not in html


def test_debt_mediation_declared_in_the_portal(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    url = f"/files/{cast.file.reference}/difficulties/mediation/"
    response = client.post(url, MEDIATOR)
    assert response.status_code == 302
    for file in (cast.file, cast.second_file):
        assert File.objects.get(pk=file.pk).state == FileState.DEBT_MEDIATION
    assert File.objects.get(pk=cast.stranger_file.pk).state == FileState.FORMAL_NOTICE
    html = client.get(response["Location"]).content.decode()
    assert "Votre médiation de dettes est enregistrée." in html
    assert "Donnez ces numéros de dossier à votre médiateur" in html
    assert "Sophie Lambert" in html


def test_debt_mediation_needs_a_contact(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.file.reference}/difficulties/mediation/",
        {**MEDIATOR, "mediator_email": ""},
    )
    assert response.status_code == 400
    assert "Indiquez au moins l’adresse e-mail ou le numéro de téléphone" in (
        response.content.decode()
    )
    assert not Declaration.objects.exists()


def test_collective_settlement_declared_with_the_court_decision(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.file.reference}/difficulties/settlement/",
        {
            **MEDIATOR,
            "admissibility_date": "2025-04-15",
            "court_reference": "25/123/B",
            "court_decision": pdf_upload("ordonnance.pdf"),
        },
    )
    assert response.status_code == 302
    file = File.objects.get(pk=cast.file.pk)
    assert (file.state, file.interest_stops_on) == (
        FileState.COLLECTIVE_SETTLEMENT,
        date(2025, 4, 15),
    )
    html = client.get(response["Location"]).content.decode()
    assert "les intérêts ont cessé de courir le 15/04/2025" in html
    assert "ordonnance.pdf" in html
    assert "Reçu, en cours de vérification par un agent" in html
    # The plan form is no longer offered: the court's plan applies.
    plan = client.get(f"/files/{cast.file.reference}/plan/").content.decode()
    assert 'name="instalment_count"' not in plan


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"admissibility_date": "2025-05-03", "court_decision": pdf_upload},
            "La date de la décision ne peut pas être dans le futur.",
        ),
        (
            {"admissibility_date": "2025-04-15", "court_decision": fake_pdf_upload},
            "Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
        ),
        ({"admissibility_date": "2025-04-15"}, "Ce champ est obligatoire."),
    ],
    ids=["future_case", "fake_case", "no_decision_case"],
)
def test_refused_settlement_changes_nothing(
    client: Client, cast: Cast, data: dict[str, object], message: str
) -> None:
    sign_in(client, cast)
    post = {**MEDIATOR, **{k: v() if callable(v) else v for k, v in data.items()}}
    response = client.post(f"/files/{cast.file.reference}/difficulties/settlement/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert File.objects.get(pk=cast.file.pk).state == FileState.FORMAL_NOTICE
    assert not Document.objects.exists()


def test_declarations_on_another_debtors_file_are_refused(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    base = f"/files/{cast.stranger_file.reference}/difficulties/"
    assert client.get(base).status_code == 404
    assert client.post(f"{base}mediation/", MEDIATOR).status_code == 404
    response = client.post(
        f"{base}settlement/",
        {**MEDIATOR, "admissibility_date": "2025-04-15", "court_decision": pdf_upload()},
    )
    assert response.status_code == 404
    assert File.objects.get(pk=cast.stranger_file.pk).state == FileState.FORMAL_NOTICE
    assert not Declaration.objects.exists()
