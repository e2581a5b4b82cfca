"""The back office in Chromium, end to end: a proof uploaded in the portal is reviewed by an
agent who signs in with a password and an authenticator, and a dispute is resolved."""

from __future__ import annotations

import base64
import contextlib
import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page
from playwright.sync_api import Error as PlaywrightError

from amicable.backoffice.roles import Role
from amicable.disputes.models import DisputeReason
from amicable.disputes.opening import open_dispute
from amicable.domain.lifecycle import FileState
from amicable.files.ledger import charge_indemnity, file_balance
from amicable.files.models import (
    EntryKind,
    Event,
    File,
    LedgerEntry,
    ReviewStatus,
    WorkItem,
    WorkItemKind,
    WorkItemStatus,
)
from amicable.files.services import issue_access_code
from tests.factories import make_creditor, make_file, shown_to_debtor
from tests.staff import PASSWORD, make_staff

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# itself are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser
# axe-core, kept with the portal's browser tests (tests/portal/axe, with its licence).
AXE = Path(__file__).resolve().parents[1] / "portal" / "axe" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))
  }));
}"""
BLOCKING_IMPACTS = {"serious", "critical"}
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Real time here, not the frozen day of the other tests: the browser and the live server
    share the clock, and the TOTP codes need it."""


def check_page(page: Page) -> None:
    """No serious or critical axe violation, and nothing wider than the window."""
    # Evaluated through the browser's debugging protocol, which the page's strict
    # Content-Security-Policy does not govern; a <script> tag added to the page would be
    # refused, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{page.url}: {blocking}"
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def code_from_secret(secret: str) -> str:
    """What an authenticator app shows for the secret typed from the set-up page."""
    compact = secret.replace(" ", "")
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    return f"{totp(key):06d}"


def agent_signs_in(browser: Browser, base: str, username: str) -> tuple[BrowserContext, Page]:
    """First sign-in: password, then the authenticator set up from the secret on the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    page = context.new_page()
    page.goto(f"{base}/backoffice/")
    assert page.url.startswith(f"{base}/backoffice/sign-in/?next=")
    check_page(page)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/backoffice/sign-in/set-up/.*"))
    assert page.locator("figure.qr svg[role=img]").count() == 1
    check_page(page)
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#id_token", code_from_secret(secret))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(f"{base}/backoffice/")
    assert page.locator("h1").inner_text() == "Work queues"
    check_page(page)
    return context, page


def debtor_file() -> File:
    return make_file(
        creditor=make_creditor(), today=timezone.localdate() - timedelta(days=20), language="fr"
    )


def test_an_agent_reviews_a_proof_uploaded_in_the_portal(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    file = debtor_file()
    code = issue_access_code(file=file, actor="test")
    paid_on = timezone.localdate() - timedelta(days=2)

    # The debtor sends a proof of a payment made to the creditor, from the portal.
    debtor = browser.new_context(viewport={"width": 360, "height": 800}, locale="fr")
    portal = debtor.new_page()
    portal.goto(f"{base}/sign-in/")
    portal.fill("#id_reference", file.reference)
    portal.fill("#id_code", code)
    portal.get_by_role("button", name="Se connecter", exact=True).click()
    portal.wait_for_url(f"{base}/files/")
    portal.goto(f"{base}/files/{file.reference}/payments/")
    portal.check("input[name=paid_to][value=creditor]")
    portal.fill("input[name=paid_on]", paid_on.isoformat())
    portal.fill("input[name=amount]", "120,00")
    portal.set_input_files(
        "input[name=proof]",
        files=[{"name": "extrait.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}],
    )
    portal.locator("form[enctype] button[type=submit]").click()
    portal.wait_for_url(f"{base}/files/{file.reference}/payments/")
    proof_item = WorkItem.objects.get(kind=WorkItemKind.PROOF_REVIEW, file=file)
    assert proof_item.document is not None

    # The agent finds it in the queue, looks at it, and accepts it.
    agent = make_staff(Role.AGENT, with_device=False)
    context, page = agent_signs_in(browser, base, agent.username)
    page.get_by_role("link", name="Proof of payment to review").click()
    page.wait_for_url(f"{base}/backoffice/queues/proof_review/")
    check_page(page)
    row = page.locator(f"#item-{proof_item.pk}")
    assert file.reference in row.inner_text()
    row.get_by_role("button", name="Assign to me").click()
    page.wait_for_url(f"{base}/backoffice/queues/proof_review/")
    assert page.locator(f"#item-{proof_item.pk} .owner").inner_text() == agent.username
    page.locator(f"#item-{proof_item.pk}").get_by_role(
        "link", name=file.reference, exact=True
    ).click()
    page.wait_for_url(f"{base}/backoffice/files/{file.reference}/")
    check_page(page)

    document_url = f"{base}/backoffice/files/{file.reference}/documents/{proof_item.document.pk}/"
    shown = context.request.get(document_url)
    assert shown.status == 200
    assert shown.headers["content-type"] == "application/pdf"
    assert shown.headers["content-disposition"] == 'attachment; filename="extrait.pdf"'
    assert shown.headers["content-security-policy"].startswith("sandbox;")
    assert shown.body() == MINIMAL_PDF
    # Chromium downloads it: the debtor's PDF never opens on the back office's origin.
    viewer = context.new_page()
    # The navigation ends in a download, which Playwright reports as an error of goto.
    with viewer.expect_download() as downloading, contextlib.suppress(PlaywrightError):
        viewer.goto(document_url)
    download = downloading.value
    assert download.suggested_filename == "extrait.pdf"
    assert Path(download.path()).read_bytes() == MINIMAL_PDF
    viewer.close()

    form = page.locator(f"#review-{proof_item.document.pk}")
    # What the debtor declared is already filled in.
    assert form.locator("select[name=paid_to]").input_value() == "creditor"
    assert form.locator("input[name=amount]").input_value() == "120.00"
    assert form.locator("input[name=value_date]").input_value() == paid_on.isoformat()
    form.locator("input[name=decision][value=accept]").check()
    form.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"{base}/backoffice/files/{file.reference}/")
    assert "Decision recorded; the debtor is told." in page.locator(".messages").inner_text()

    proof_item.refresh_from_db()
    assert (proof_item.status, proof_item.owner) == (WorkItemStatus.DONE, agent)
    proof_item.document.refresh_from_db()
    assert proof_item.document.review_status == ReviewStatus.ACCEPTED
    payment = LedgerEntry.objects.get(file=file, kind=EntryKind.CREDITOR_PAYMENT)
    assert (payment.amount, payment.value_date) == (Decimal("-120.00"), paid_on)
    told = Event.objects.get(file=file, kind="proof_accepted")
    assert told.actor == f"staff:{agent.username}"
    assert shown_to_debtor(told) is True
    assert told.message.startswith(
        "Nous avons accepté votre preuve de paiement «\u00a0extrait.pdf\u00a0». Le paiement de "
        "120,00\xa0€"
    )
    # The debtor sees the payment on the portal.
    portal.reload()
    assert "120,00" in portal.locator("ul.transactions").inner_text()
    context.close()
    debtor.close()


def test_an_agent_resolves_a_dispute_in_the_debtors_favour(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    today = timezone.localdate()
    file = debtor_file()
    claim = file.claims.get()
    charge_indemnity(claim=claim, on=today - timedelta(days=1), actor="daily run")
    indemnity = file_balance(file, as_of=today).indemnity
    open_dispute(
        file=file,
        reason=DisputeReason.INVOICE_NOT_RECEIVED,
        explanation="Je n’ai jamais reçu la facture.",
        evidence=[],
        today=today,
        actor="portal",
    )
    file.refresh_from_db()
    assert file.state == FileState.DISPUTED
    item = WorkItem.objects.get(kind=WorkItemKind.DISPUTE, file=file)

    agent = make_staff(Role.AGENT, with_device=False)
    context, page = agent_signs_in(browser, base, agent.username)
    page.goto(f"{base}/backoffice/items/{item.pk}/")
    check_page(page)
    assert "This item closes when you decide on it from the file" in page.inner_text("main")
    page.get_by_role("link", name="Go to the file's actions").click()
    page.wait_for_url(re.compile(rf".*/backoffice/files/{file.reference}/#actions"))
    form = page.locator("#resolve-dispute")
    form.locator("input[name=outcome][value=reduce]").check()
    form.locator("textarea[name=explanation]").fill(
        "La facture ne vous a pas été envoyée : l’indemnité est retirée."
    )
    form.locator("select[name=claim]").select_option(str(claim.pk))
    form.locator("select[name=component]").select_option("indemnity")
    form.locator("input[name=amount]").fill(str(indemnity))
    form.get_by_role("button", name="Resolve the dispute").click()
    page.wait_for_url(f"{base}/backoffice/files/{file.reference}/")
    assert "Dispute resolved; the debtor is told." in page.locator(".messages").inner_text()
    assert page.locator("#file-state").inner_text() == "Formal notice to send"  # the stage in words
    # The decision is on the timeline, with the agent as its actor.
    timeline = page.locator("ol.timeline").inner_text()
    assert f"Dispute decided · {agent.username}" in timeline

    file.refresh_from_db()
    assert file.state == FileState.FORMAL_NOTICE
    assert file_balance(file, as_of=today).indemnity == Decimal("0.00")
    item.refresh_from_db()
    assert item.status == WorkItemStatus.DONE
    assert Event.objects.get(file=file, kind="dispute_resolved").message.startswith(
        "Nous avons vérifié votre dossier et vous donnons partiellement raison"
    )
    context.close()


def test_an_administrator_reads_the_dashboard_search_and_audit_pages(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    file = debtor_file()
    admin = make_staff(Role.ADMINISTRATOR, with_device=False)
    context, page = agent_signs_in(browser, base, admin.username)
    page.get_by_role("link", name="Dashboard").click()
    page.wait_for_url(f"{base}/backoffice/dashboard/")
    # Each chart is a table of its figures, with its bars hidden from screen readers.
    assert page.locator("figure.chart table.chart-data caption").count() >= 2
    check_page(page)
    page.fill("#quick-search", file.debtor.name)
    page.locator("form.quick-search button").click()
    page.wait_for_url(re.compile(r".*/backoffice/search/\?q=.*"))
    assert page.locator("table.results").inner_text().count(file.reference) == 1
    check_page(page)
    page.get_by_role("link", name=file.reference, exact=True).click()
    page.wait_for_url(f"{base}/backoffice/files/{file.reference}/")
    check_page(page)
    page.get_by_role("link", name="Audit trail").click()
    page.wait_for_url(f"{base}/backoffice/audit/")
    assert admin.username in page.locator("table.audit").inner_text()
    check_page(page)
    page.get_by_role("link", name="Refused contacts").click()
    page.wait_for_url(f"{base}/backoffice/audit/refused-contacts/")
    check_page(page)
    context.close()
