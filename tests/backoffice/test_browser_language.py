"""The back office in Chromium in the staff member's language: a French browser gets French
pages, accessible and within the window, and the switcher turns them into Dutch."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser

from amicable.backoffice.roles import Role
from tests.backoffice.test_browser import check_page, code_from_secret
from tests.factories import make_creditor, make_file
from tests.staff import PASSWORD, make_proof, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _today() -> None:
    """Real time, as in test_browser: the TOTP codes need the clock the browser shares."""


def test_a_french_speaking_agent_works_in_french_then_switches_to_dutch(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    file = make_file(
        creditor=make_creditor(), today=timezone.localdate() - timedelta(days=20), language="de"
    )
    make_proof(file, due_on=timezone.localdate())
    agent = make_staff(Role.AGENT, with_device=False)

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    page.goto(f"{base}/backoffice/")
    assert page.locator("h1").inner_text() == "Connexion du personnel"
    assert page.locator("html").get_attribute("lang") == "fr"
    check_page(page)
    page.fill("#id_username", agent.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(re.compile(r".*/backoffice/sign-in/set-up/.*"))
    assert page.locator("h1").inner_text() == "Configurer l’authentification à deux facteurs"
    check_page(page)
    page.fill("#id_token", code_from_secret(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Confirmer et se connecter").click()
    page.wait_for_url(f"{base}/backoffice/")
    assert page.locator("h1").inner_text() == "Files de travail"
    check_page(page)

    page.get_by_role("link", name="Preuve de paiement à examiner").click()
    page.wait_for_url(f"{base}/backoffice/queues/proof_review/")
    check_page(page)
    page.goto(f"{base}/backoffice/files/{file.reference}/")
    assert page.locator("#h-balance").inner_text() == "Solde"
    assert "Examiner la preuve « extrait.png »" in page.locator("#actions").inner_text()
    check_page(page)

    page.select_option("#language-select", "nl")
    page.get_by_role("button", name="Changer").click()
    page.wait_for_url(f"{base}/backoffice/files/{file.reference}/")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#h-balance").inner_text() == "Saldo"
    assert page.get_by_role("link", name="Werkwachtrijen").count() == 1
    check_page(page)
    context.close()
