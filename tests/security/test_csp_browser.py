"""No page breaks its own Content-Security-Policy, in Chromium.

The policy (settings, django-csp) allows scripts, styles and images from our origin only and no
inline code. A template that still held a <style> block, a style="..." attribute or an inline
script would have part of it refused by the browser, which says so in the console: this test
goes through the portal, the back office and the administration, and fails on any such report.
"""

from __future__ import annotations

import os
import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, ConsoleMessage, Page, Response

from amicable.backoffice.roles import Role
from amicable.demo.loader import load_demo
from amicable.files.models import File
from tests.backoffice.test_browser import code_from_secret
from tests.portal.test_security import PAGES as FILE_PAGES
from tests.staff import PASSWORD, make_proof, make_staff

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# itself are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser

POLICY = re.compile(r"content.security.policy", re.IGNORECASE)


class Watch:
    """Everything the browser refused under the policy, and every script error, per page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.reports: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.reports.append(f"{page.url}: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if POLICY.search(message.text):
            self.reports.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str) -> None:
        response = self.page.goto(url)
        self.check(response)

    def check(self, response: Response | None = None) -> None:
        self.page.wait_for_load_state("load")
        if response is not None:
            assert response.status == 200, f"{self.page.url}: {response.status}"
            policy = response.headers.get("content-security-policy", "")
            assert "default-src 'self'" in policy, f"{self.page.url}: {policy!r}"
        # The console reaches us a moment after the page: ask the page something first.
        self.page.evaluate("1")
        assert self.reports == []


def test_no_page_of_the_portal_reports_a_policy_violation(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    demo = load_demo(today=timezone.localdate(), debtors=12)
    login = demo.logins[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr")
    watch = Watch(context.new_page())
    page = watch.page

    for path in ("/", "/sign-in/", "/check/", "/check/report/", "/rights/", "/faq/"):
        watch.visit(f"{base}{path}")
    # A form answered with errors, and the language switch (a form posting to us).
    page.goto(f"{base}/check/")
    page.locator("main form button[type=submit]").click()
    watch.check()
    page.goto(f"{base}/sign-in/")
    page.select_option("#language-select", "nl")
    page.locator("form.language button").click()
    watch.check()
    page.fill("#id_reference", login.reference)
    page.fill("#id_code", "AAAA-AAAA")
    page.locator("main form button[type=submit]").click()
    watch.check()
    page.fill("#id_reference", login.reference)
    page.fill("#id_code", login.access_code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base}/files/")
    watch.check()

    for path in FILE_PAGES:
        if not path.endswith(".pdf"):
            watch.visit(f"{base}/files/{login.reference}/{path}")
    # The copy buttons of the payment page are scripted from a static file, and work.
    page.goto(f"{base}/files/{login.reference}/pay/")
    assert page.locator("button.copy[data-copy]").first.is_visible()
    watch.check()
    context.close()


def test_no_page_of_the_back_office_or_the_administration_reports_a_policy_violation(
    browser: Browser, live_server: object, transactional_db: None
) -> None:
    base = str(live_server)
    load_demo(today=timezone.localdate(), debtors=12)
    staff = make_staff(Role.ADMINISTRATOR, with_device=False)
    User.objects.filter(pk=staff.pk).update(is_staff=True, is_superuser=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en")
    watch = Watch(context.new_page())
    page = watch.page

    # First sign-in: the password, then the authenticator set up from the QR code page.
    watch.visit(f"{base}/backoffice/sign-in/")
    page.fill("#id_username", staff.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r".*/backoffice/sign-in/set-up/.*"))
    watch.check()
    page.fill("#id_token", code_from_secret(page.locator("#totp-secret").inner_text()))
    page.get_by_role("button", name="Confirm and sign in").click()
    page.wait_for_url(f"{base}/backoffice/")
    watch.check()

    file = File.objects.order_by("pk").first()
    assert file is not None
    item = make_proof(file, due_on=timezone.localdate())
    reference = file.reference
    pages = [
        "/backoffice/",
        f"/backoffice/queues/{item.kind}/",
        f"/backoffice/items/{item.pk}/",
        f"/backoffice/files/{reference}/",
        f"/backoffice/search/?q={reference}",
        "/backoffice/dashboard/",
        "/backoffice/audit/",
        "/backoffice/audit/refused-contacts/",
        "/backoffice/statements/",
        "/backoffice/intake/upload",
        "/admin/",
        "/admin/files/file/",
        f"/admin/files/file/{file.pk}/change/",
        "/admin/auth/user/add/",
    ]
    for path in pages:
        watch.visit(f"{base}{path}")
    context.close()
