"""The portal in Chromium at phone and desktop widths: sign in, then journeys 1 and 2."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from amicable.files.services import issue_access_code
from tests.factories import make_creditor, make_file

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# itself are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.mark.parametrize("width", [360, 1280], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    ("language", "owe_heading", "pay_heading", "sign_in_label"),
    [
        ("fr", "Votre dossier", "Comment payer", "Se connecter"),
        ("nl", "Uw dossier", "Hoe betalen", "Aanmelden"),
    ],
    ids=["fr", "nl"],
)
def test_sign_in_and_reach_balance_and_payment(
    browser: Browser,
    live_server: object,
    transactional_db: None,
    width: int,
    language: str,
    owe_heading: str,
    pay_heading: str,
    sign_in_label: str,
) -> None:
    file = make_file(creditor=make_creditor(), language=language)
    code = issue_access_code(file=file, actor="test")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=language)
    page = context.new_page()
    base = str(live_server)
    page.goto(f"{base}/sign-in/")
    page.select_option("#language-select", language)
    page.locator("form.language button").click()
    page.wait_for_load_state()
    page.fill("#id_reference", file.reference.lower())
    page.fill("#id_code", code)
    page.get_by_role("button", name=sign_in_label, exact=True).click()
    page.wait_for_url(f"{base}/files/")
    assert file.reference in page.locator("main").inner_text()
    page.goto(f"{base}/files/{file.reference}/")
    assert page.locator("h1").inner_text() == f"{owe_heading} {file.reference}"
    assert page.locator("html").get_attribute("lang") == language
    # Nothing overflows sideways on a 360-px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{base}/files/{file.reference}/pay/")
    assert page.locator("h1").inner_text() == pay_heading
    assert page.locator("figure.qr svg").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()
