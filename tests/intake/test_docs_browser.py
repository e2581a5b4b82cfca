"""The API's documentation page in Chromium: everything from this server, no inline code.

Any request to another host fails the test (and is aborted, as it would be offline). The page
is served with a strict Content-Security-Policy (no inline script or style), and every
violation the browser reports fails the test too.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import Browser, Route

# Playwright's sync API runs an event loop in this thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

STRICT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
# Runs before the page's own scripts: keeps what the browser reports as CSP violations.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
OPERATIONS = [
    ("POST", "/api/v1/files"),
    ("GET", "/api/v1/files"),
    ("POST", "/api/v1/files/batch"),
    ("GET", "/api/v1/files/{reference}"),
    ("POST", "/api/v1/files/{reference}/withdraw"),
    ("POST", "/api/v1/files/{reference}/claims"),
    ("POST", "/api/v1/files/{reference}/documents"),
    ("POST", "/api/v1/files/{reference}/payments"),
]


def test_the_docs_page_works_offline_under_a_strict_policy(
    browser: Browser, live_server: Any
) -> None:
    origin = live_server.url
    docs = f"{origin}/api/v1/docs"
    elsewhere: list[str] = []
    errors: list[str] = []

    def refuse(route: Route) -> None:
        elsewhere.append(route.request.url)
        route.abort()

    def add_policy(route: Route) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": STRICT_POLICY}
        route.fulfill(response=response, headers=headers)

    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route(lambda url: not url.startswith(f"{origin}/"), refuse)
    page.route(docs, add_policy)

    response = page.goto(docs)

    assert response is not None
    assert response.status == 200
    page.wait_for_selector(".opblock-summary", timeout=15_000)
    shown = [
        (
            block.locator(".opblock-summary-method").inner_text(),
            block.locator(".opblock-summary-path").get_attribute("data-path"),
        )
        for block in page.locator(".opblock").all()
    ]
    assert sorted(shown) == sorted(OPERATIONS)
    assert page.get_by_text("Hand over a file: one debtor and their claims").is_visible()
    assert page.locator(".info .title").inner_text().startswith("amicable creditor API")
    assert elsewhere == []
    assert errors == []
    assert page.evaluate("window.cspViolations") == []
    page.close()
