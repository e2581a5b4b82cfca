"""Every portal and back office page in Chromium, in French and Dutch, at 1280 and 360 pixels
wide: a screenshot of each into ``var/screenshots/`` (README.md, "Tests and CI"), so that anyone
can look at them after ``make test``; and on each page the checks a reader would make.

- Nothing wider than the window, at either width (a chart or a table clipped on a phone).
- No serious or critical axe-core violation (WCAG 2.1 AA) on the back office's pages, in French at
  360 pixels (the portal's pages have theirs in ``tests/portal``).
- No raw code of the application where a person reads in the back office: the states, components,
  event kinds, work item kinds and statuses are named in the staff member's words
  (``amicable.files.labels``, ``amicable.files.timeline.EVENT_LABELS``).
- French typography: no ordinary space before ``:``, ``;``, ``?`` or ``!`` in the back office's
  French text; amounts in one format (``1 234,56 €``), never ``EUR``.

One browser and one page for the whole run: each address is loaded once per language and shot at
both widths by resizing the window.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import Browser, Page
from playwright.sync_api import Error as PlaywrightError

from amicable.backoffice.roles import Role
from amicable.disputes.models import DisputeReason
from amicable.disputes.opening import open_dispute
from amicable.domain.imputation import Component
from amicable.domain.lifecycle import FileState
from amicable.files.ledger import charge_indemnity, post_payment
from amicable.files.models import EntrySource, File, WorkItem, WorkItemKind, WorkItemStatus
from amicable.files.services import issue_access_code
from amicable.files.timeline import EventKind
from amicable.files.uploads import check_upload
from tests.factories import make_creditor, make_file
from tests.staff import make_staff, sign_in

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[1] / "var" / "screenshots"
AXE = Path(__file__).resolve().parent / "portal" / "axe" / "axe.min.js"
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}));
}"""
WIDTHS = (1280, 360)
#: The elements that stick out of the window, to name them when a page is too wide.
WIDEST = """() => [...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 5).map(e => e.tagName + "." + e.className + "#" + e.id)"""
LANGUAGES = ("fr", "nl")
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

#: Codes a person must never read in the back office: every stored value with an underscore
#: (states, components, event kinds, work item kinds), and the one-word ones no page needs.
RAW_CODES = sorted(
    {c.value for c in FileState if "_" in c.value}
    | {c.value for c in Component if "_" in c.value}
    | {c.value for c in EventKind}
    | {c.value for c in WorkItemKind if "_" in c.value}
    | {"disputed", "never_signed", "dispute_id", "document_ids", "suspended_file"}
)


@pytest.fixture(autouse=True)
def _today() -> None:
    """Real time: the live server and the browser share the clock."""


@pytest.fixture(scope="module", autouse=True)
def _screenshots_folder() -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()


def _story() -> tuple[File, str, int, int]:
    """A file a debtor disputed with a document, after an indemnity and a part payment; and a
    second one simply in collection. Returns the disputed file, its access code, its dispute
    item and the document's id."""
    today = timezone.localdate()
    creditor = make_creditor(name="Énergie Wallonie SA")
    file = make_file(creditor=creditor, today=today - timedelta(days=60), language="fr")
    make_file(creditor=creditor, today=today - timedelta(days=40), language="nl")
    claim = file.claims.get()
    charge_indemnity(claim=claim, on=today - timedelta(days=20), actor="daily-run")
    post_payment(
        file=file,
        amount=Decimal("50.00"),
        value_date=today - timedelta(days=3),
        actor="command:statements",
        source=EntrySource.STATEMENT,
        source_reference="screenshot-1",
    )
    dispute = open_dispute(
        file=file,
        reason=DisputeReason.NEVER_SIGNED,
        explanation="Je n’ai jamais signé ce contrat. Voici la lettre de résiliation.",
        evidence=[(check_upload(MINIMAL_PDF), "resiliation.pdf")],
        today=today,
        actor="portal",
    )
    item = WorkItem.objects.get(kind=WorkItemKind.DISPUTE, file=file, status=WorkItemStatus.OPEN)
    code = issue_access_code(file=file, actor="test")
    file.refresh_from_db()
    return file, code, item.pk, dispute.evidence.get().pk


def _screenshot(page: Page, path: Path) -> None:
    """A full-page screenshot. Chromium, busy with the other tests' work, now and then answers
    "Unable to capture screenshot" for a page it has laid out: asked again, it takes it."""
    for attempt in range(3):
        try:
            page.screenshot(path=str(path), full_page=True)
            return
        except PlaywrightError as error:
            if "Unable to capture screenshot" not in str(error) or attempt == 2:
                raise
            page.wait_for_timeout(500)


def _shoot(page: Page, name: str, language: str, *, axe: bool) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        _screenshot(page, SCREENSHOTS / f"{name}-{language}-{width}.png")
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            wide = page.evaluate(WIDEST)
            raise AssertionError(f"{page.url} is {scroll_width} px wide at {width} px: {wide}")
        if axe and width == min(WIDTHS):
            page.evaluate(AXE.read_text(encoding="utf-8"))
            violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
            assert violations == [], f"{page.url}: {violations}"


def _readable_text(page: Page) -> str:
    """What a person reads: the text of the page and of its form controls' options."""
    return str(page.evaluate("document.body.innerText"))


def _no_raw_codes(page: Page) -> None:
    text = _readable_text(page)
    found = [code for code in RAW_CODES if re.search(rf"\b{re.escape(code)}\b", text)]
    assert found == [], f"{page.url} shows the codes {found}"


def _french_typography(page: Page) -> None:
    text = _readable_text(page)
    # An ordinary space before the high punctuation, outside what a person typed (none here).
    wrong = re.findall(r"\S+ [:;?!](?=\s|$)", text)
    assert wrong == [], f"{page.url}: {wrong}"
    assert not re.search(r"\d EUR\b|\bEUR \d", text), page.url


@pytest.fixture
def staff_cookie(transactional_db: None) -> dict[str, str]:
    """The session cookie of a fully signed-in administrator (password and authenticator),
    made with the test client instead of typing the codes again (tests/backoffice/
    test_browser.py signs in through the pages)."""
    user = make_staff(Role.ADMINISTRATOR)
    client = sign_in(Client(), user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
    }


def test_every_page_in_french_and_dutch_at_two_widths(
    browser: Browser, live_server: object, staff_cookie: dict[str, str]
) -> None:
    base = str(live_server)
    file, code, item_id, document_id = _story()
    reference = file.reference
    portal_pages = [
        ("portal-home", "/"),
        ("portal-sign-in", "/sign-in/"),
        ("portal-check", "/check/"),
        ("portal-rights", "/rights/"),
        ("portal-faq", "/faq/"),
    ]
    debtor_pages = [
        ("portal-files", "/files/"),
        ("portal-file", f"/files/{reference}/"),
        ("portal-pay", f"/files/{reference}/pay/"),
        ("portal-plan", f"/files/{reference}/plan/"),
        ("portal-payments", f"/files/{reference}/payments/"),
        ("portal-disagree", f"/files/{reference}/disagree/"),
        ("portal-difficulties", f"/files/{reference}/difficulties/"),
    ]
    staff_pages = [
        ("backoffice-queues", "/backoffice/"),
        ("backoffice-queue", "/backoffice/queues/dispute/"),
        ("backoffice-item", f"/backoffice/items/{item_id}/"),
        ("backoffice-file", f"/backoffice/files/{reference}/"),
        ("backoffice-search", f"/backoffice/search/?q={file.debtor.name.split()[0]}"),
        ("backoffice-dashboard", "/backoffice/dashboard/"),
        ("backoffice-audit", "/backoffice/audit/"),
        ("backoffice-refused-contacts", "/backoffice/audit/refused-contacts/"),
        ("backoffice-file-reads", "/backoffice/audit/file-reads/"),
        ("backoffice-statements", "/backoffice/statements/"),
        ("backoffice-import", "/backoffice/intake/upload"),
    ]
    for language in LANGUAGES:
        language_cookie = {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}
        # The debtor and the staff member each in their own browser context (own session).
        debtor = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        debtor.add_cookies([language_cookie])  # type: ignore[list-item]
        page = debtor.new_page()
        # The portal's pages are checked with axe-core by tests/portal/test_browser.py.
        for name, path in portal_pages:
            page.goto(f"{base}{path}")
            _shoot(page, name, language, axe=False)
        # The debtor signs in with the code of the letter.
        page.goto(f"{base}/sign-in/")
        page.fill("#id_reference", reference)
        page.fill("#id_code", code)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(f"{base}/files/")
        for name, path in debtor_pages:
            page.goto(f"{base}{path}")
            _shoot(page, name, language, axe=False)
        debtor.close()

        staff = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        staff.add_cookies([language_cookie, {**staff_cookie, "url": base}])  # type: ignore[list-item]
        page = staff.new_page()
        for name, path in staff_pages:
            response = page.goto(f"{base}{path}")
            assert response is not None, path
            assert response.status == 200, path
            assert page.locator("header.site nav").count() == 1, path  # the back office layout
            _no_raw_codes(page)
            if language == "fr":
                _french_typography(page)
            _shoot(page, name, language, axe=language == "fr")
        staff.close()
    assert document_id
    shots = sorted(p.name for p in SCREENSHOTS.glob("*.png"))
    expected = len(portal_pages + debtor_pages + staff_pages) * len(LANGUAGES) * len(WIDTHS)
    assert len(shots) == expected
