"""The back office in the staff member's words (issue 14, point 2): the dispute's work item
shows the debtor's own words and documents, timelines and titles are labelled, "just now"
instead of "0 minutes ago", a favicon on every page, and the administration's model names
translated."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from amicable.backoffice.roles import Role
from amicable.backoffice.templatetags.backoffice_words import ago
from amicable.disputes.models import DisputeReason
from amicable.disputes.opening import open_dispute
from amicable.files.models import WorkItem, WorkItemKind
from amicable.files.uploads import check_upload
from tests.factories import make_creditor, make_file
from tests.staff import TODAY, make_staff, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def disputed() -> tuple[int, str]:
    file = make_file(creditor=make_creditor(), today=TODAY - timedelta(days=30), language="fr")
    open_dispute(
        file=file,
        reason=DisputeReason.NEVER_SIGNED,
        explanation="Je n’ai jamais signé ce contrat.",
        evidence=[(check_upload(PDF), "resiliation.pdf")],
        today=TODAY,
        actor="portal",
    )
    return WorkItem.objects.get(kind=WorkItemKind.DISPUTE, file=file).pk, file.reference


def test_the_dispute_item_shows_the_debtors_words_and_documents(
    agent: tuple[Client, User],
) -> None:
    """CEL art. XIX.7 §3: the agent checks the dispute from what the debtor said and sent."""
    client, _ = agent
    client.cookies["django_language"] = "fr"
    item_id, reference = disputed()
    html = client.get(f"/backoffice/items/{item_id}/").content.decode()
    assert "Je n’ai jamais signé ce contrat." in html
    assert "resiliation.pdf" in html
    assert f'href="/backoffice/files/{reference}/documents/' in html
    assert "Je n’ai jamais signé de contrat" in html  # the reason, in words
    for raw in ("Dispute id", "Document ids", "never_signed", "Suspended file", "True"):
        assert raw not in html
    assert "suspendu pendant l’examen de la contestation" in html


def test_the_file_page_names_states_events_and_components_in_french(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    client.cookies["django_language"] = "fr"
    _, reference = disputed()
    html = client.get(f"/backoffice/files/{reference}/").content.decode()
    assert '<span class="tag state" id="file-state">Contesté</span>' in html
    assert "<strong>Contestation reçue</strong>" in html
    assert "<strong>Changement d’étape</strong>" in html
    text = re.sub(r"<[^>]+>", " ", html)  # what a person reads, not the class names
    for raw in ("state_changed", "dispute_opened", "disputed", "formal_notice", "Reasoned"):
        assert raw not in text
    assert "Débiteur (portail)" in text


def test_just_now_is_never_zero_minutes_ago() -> None:
    from django.utils import translation

    with translation.override("fr"):
        assert ago(timezone.now() - timedelta(seconds=5)) == "à l’instant"
        assert "0\xa0minute" not in ago(timezone.now() - timedelta(seconds=30))
        assert "minute" in ago(timezone.now() - timedelta(minutes=3))


def test_a_favicon_on_the_portal_and_the_back_office(client: Client) -> None:
    home = client.get("/").content.decode()
    assert 'rel="icon" href="/static/portal/favicon.svg"' in home
    sign_in_page = client.get("/backoffice/sign-in/").content.decode()
    assert 'rel="icon" href="/static/backoffice/favicon.svg"' in sign_in_page
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (301, "/static/portal/favicon.svg")


def test_the_administration_names_its_models_in_the_staff_members_language() -> None:
    user = make_staff(Role.ADMINISTRATOR)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client = sign_in(Client(), user)
    client.cookies["django_language"] = "fr"
    html = client.get("/admin/").content.decode()
    for name in ("Dossiers", "Taux d’intérêt", "Contestations", "Extraits bancaires"):
        assert name in html
    assert "Interest rates" not in html
