"""The portal in Chromium, in French and Dutch, on a 360-px phone and a 1280-px desktop.

Each run signs in (after a wrong code), then goes through journeys 1 to 5 as a debtor would:
the breakdown, the payment page, a payment plan, a refused and an accepted proof of payment, a
dispute that suspends the file, and a debt mediation or collective settlement declaration. The
database is checked after each action. On every page axe-core (tests/portal/axe) runs and no
violation of impact "serious" or "critical" is allowed, and nothing overflows sideways.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page

from amicable.disputes.models import Declaration, Dispute
from amicable.domain.lifecycle import FileState
from amicable.files.models import Document, File
from amicable.files.services import issue_access_code
from amicable.plans.models import PaymentPlan
from tests.factories import make_creditor, make_file
from tests.portal.uploads import MINIMAL_PDF

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# itself are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "axe" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True, slots=True)
class Words:
    """What the debtor reads and clicks, in one language."""

    owe_heading: str
    pay_heading: str
    sign_in: str
    wrong_code: str
    locked: str
    ask_plan: str
    plan_agreed: str
    send_proof: str
    fake_upload: str
    oversized_upload: str
    proof_received: str
    send_dispute: str
    dispute_registered: str
    suspended: str
    declare_mediation: str
    mediation_registered: str
    declare_settlement: str
    settlement_registered: str


WORDS = {
    "fr": Words(
        owe_heading="Votre dossier",
        pay_heading="Comment payer",
        sign_in="Se connecter",
        wrong_code="Le numéro de dossier ou le code d’accès n’est pas correct.",
        locked="Trop de tentatives infructueuses.",
        ask_plan="Demander ce plan de paiement",
        plan_agreed="Votre plan de paiement de 3 mensualités a été accepté",
        send_proof="Envoyer la preuve",
        fake_upload="Seuls les fichiers PDF, JPEG et PNG sont acceptés.",
        oversized_upload="Le fichier dépasse 10 Mo.",
        proof_received="Merci, nous avons bien reçu votre preuve.",
        send_dispute="Envoyer ma contestation",
        dispute_registered="Votre contestation est enregistrée.",
        suspended="Le recouvrement de ce dossier est suspendu",
        declare_mediation="Déclarer la médiation de dettes",
        mediation_registered="Votre médiation de dettes est enregistrée.",
        declare_settlement="Déclarer le règlement collectif de dettes",
        settlement_registered="Votre règlement collectif de dettes est enregistré.",
    ),
    "nl": Words(
        owe_heading="Uw dossier",
        pay_heading="Hoe betalen",
        sign_in="Aanmelden",
        wrong_code="Het dossiernummer of de toegangscode is niet juist.",
        locked="Te veel mislukte pogingen.",
        ask_plan="Dit afbetalingsplan aanvragen",
        plan_agreed="Uw afbetalingsplan van 3 afbetalingen werd aanvaard",
        send_proof="Het bewijs versturen",
        fake_upload="Alleen PDF-, JPEG- en PNG-bestanden worden aanvaard.",
        oversized_upload="Het bestand is groter dan 10 MB.",
        proof_received="Bedankt, we hebben uw bewijs ontvangen.",
        send_dispute="Mijn betwisting versturen",
        dispute_registered="Uw betwisting is geregistreerd.",
        suspended="De invordering van dit dossier is opgeschort",
        declare_mediation="De schuldbemiddeling melden",
        mediation_registered="Uw schuldbemiddeling is geregistreerd.",
        declare_settlement="De collectieve schuldenregeling melden",
        settlement_registered="Uw collectieve schuldenregeling is geregistreerd.",
    ),
}

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(" "))
  }));
}"""


def check_page(page: Page, width: int) -> None:
    """No serious or critical axe violation, and nothing wider than the screen."""
    # Evaluated through the browser's debugging protocol, which the page's strict
    # Content-Security-Policy does not govern; a <script> tag added to the page would be
    # refused, as it should.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(AXE_RUN)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    assert blocking == [], f"{page.url}: {blocking}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def upload(name: str, content: bytes) -> dict[str, Any]:
    return {"name": name, "mimeType": "application/pdf", "buffer": content}


def submit(page: Page, label: str) -> None:
    page.get_by_role("button", name=label, exact=True).click()
    page.wait_for_load_state()


def state(file: File) -> str:
    return File.objects.get(pk=file.pk).state


def sign_in(page: Page, base: str, *, language: str, reference: str, code: str) -> None:
    page.goto(f"{base}/sign-in/")
    page.select_option("#language-select", language)
    page.locator("form.language button").click()
    page.wait_for_load_state()
    page.fill("#id_reference", reference)
    page.fill("#id_code", code)
    submit(page, WORDS[language].sign_in)


SCREENS = [
    pytest.param("fr", 360, "mediation", id="fr-phone"),
    pytest.param("fr", 1280, "settlement", id="fr-desktop"),
    pytest.param("nl", 360, "settlement", id="nl-phone"),
    pytest.param("nl", 1280, "mediation", id="nl-desktop"),
]


@pytest.mark.parametrize(("language", "width", "declaration"), SCREENS)
def test_debtor_journeys(
    browser: Browser,
    live_server: object,
    transactional_db: None,
    language: str,
    width: int,
    declaration: str,
) -> None:
    words = WORDS[language]
    # A web shop: the parcel sent back is a reason its files are offered (disputes/reasons.py).
    creditor = make_creditor(sector="retail")
    file = make_file(creditor=creditor, customer_reference="D1", language=language)
    other = make_file(creditor=creditor, customer_reference="D1", language=language)
    code = issue_access_code(file=file, actor="test")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=language)
    page = context.new_page()
    base = str(live_server)

    # Public pages.
    for path in ("/sign-in/", "/check/", "/check/report/", "/rights/", "/faq/"):
        page.goto(f"{base}{path}")
        check_page(page, width)

    # A wrong code first, then the right one.
    sign_in(page, base, language=language, reference=file.reference, code="AAAA-AAAA")
    assert words.wrong_code in page.locator("#signin-error").inner_text()
    assert page.locator("#id_code").get_attribute("aria-invalid") == "true"
    check_page(page, width)
    sign_in(page, base, language=language, reference=file.reference.lower(), code=code)
    page.wait_for_url(f"{base}/files/")
    assert other.reference in page.locator("main").inner_text()
    check_page(page, width)

    # Journey 1 and 2: what I owe, how to pay.
    page.goto(f"{base}/files/{file.reference}/")
    assert page.locator("h1").inner_text() == f"{words.owe_heading} {file.reference}"
    assert page.locator("html").get_attribute("lang") == language
    check_page(page, width)
    page.goto(f"{base}/files/{file.reference}/pay/")
    assert page.locator("h1").inner_text() == words.pay_heading
    assert page.locator("figure.qr svg").count() == 1
    check_page(page, width)

    # Journey 2: a payment plan within the rules, agreed at once.
    page.goto(f"{base}/files/{file.reference}/plan/")
    check_page(page, width)
    page.fill("#id_instalment_count", "3")
    page.fill("#id_first_due_on", (timezone.localdate() + timedelta(days=10)).isoformat())
    submit(page, words.ask_plan)
    assert words.plan_agreed in page.locator("main").inner_text()
    assert page.locator("figure.qr svg").count() == 3
    check_page(page, width)
    assert PaymentPlan.objects.get(file=file).status == "active"
    assert state(file) == FileState.PAYMENT_PLAN

    # Journey 3: the warning before the upload, a refused upload, then a clear proof.
    page.goto(f"{base}/files/{file.reference}/payments/")
    check_page(page, width)
    page.check("#id_paid_to_0")
    page.fill("#id_paid_on", (timezone.localdate() - timedelta(days=7)).isoformat())
    page.fill("#id_amount", "50,00")
    if width < 400:
        refused, message = upload("preuve.pdf", b"MZ\x90\x00" + b"\x00" * 200), words.fake_upload
    else:
        big = MINIMAL_PDF + b"%" * (10 * 1024 * 1024)
        refused, message = upload("grand.pdf", big), words.oversized_upload
    page.set_input_files("#id_proof", files=[refused])
    submit(page, words.send_proof)
    assert message in page.locator("#id_proof_error").inner_text()
    check_page(page, width)
    assert not Document.objects.exists()
    page.set_input_files("#id_proof", files=[upload("extrait.pdf", MINIMAL_PDF)])
    submit(page, words.send_proof)
    assert words.proof_received in page.locator(".messages").inner_text()
    assert "extrait.pdf" in page.locator("main").inner_text()
    check_page(page, width)
    assert Document.objects.get().review_status == "pending"

    # Journey 4: a reasoned dispute suspends the file at once.
    page.goto(f"{base}/files/{file.reference}/disagree/")
    check_page(page, width)
    page.locator(f'a[href="/files/{file.reference}/disagree/returned-item/"]').click()
    page.wait_for_load_state()
    check_page(page, width)
    page.fill("#id_explanation", "Colis renvoyé le 3 mars / pakje teruggestuurd op 3 maart.")
    page.set_input_files("#id_evidence", files=[upload("depot.pdf", MINIMAL_PDF)])
    submit(page, words.send_dispute)
    assert words.dispute_registered in page.locator(".messages").inner_text()
    assert words.suspended in page.locator("main").inner_text()
    check_page(page, width)
    assert state(file) == FileState.DISPUTED
    assert Dispute.objects.get(file=file).evidence.count() == 1

    # Journey 5: the other file, a debt mediation or a collective settlement.
    page.goto(f"{base}/files/{other.reference}/difficulties/")
    check_page(page, width)
    if declaration == "mediation":
        page.goto(f"{base}/files/{other.reference}/difficulties/mediation/")
        check_page(page, width)
        page.fill("#id_mediator_name", "Sophie Lambert")
        page.fill("#id_mediator_organisation", "CPAS / OCMW")
        page.fill("#id_mediator_email", "mediation@cpas.example")
        submit(page, words.declare_mediation)
        assert words.mediation_registered in page.locator(".messages").inner_text()
        assert state(other) == FileState.DEBT_MEDIATION
    else:
        page.goto(f"{base}/files/{other.reference}/difficulties/settlement/")
        check_page(page, width)
        admissible = timezone.localdate() - timedelta(days=20)
        page.fill("#id_admissibility_date", admissible.isoformat())
        page.set_input_files("#id_court_decision", files=[upload("ordonnance.pdf", MINIMAL_PDF)])
        page.fill("#id_mediator_name", "Maître Anne Collard")
        page.fill("#id_mediator_phone", "+32 4 220 00 00")
        submit(page, words.declare_settlement)
        assert words.settlement_registered in page.locator(".messages").inner_text()
        frozen = File.objects.get(pk=other.pk)
        assert (frozen.state, frozen.interest_stops_on) == (
            FileState.COLLECTIVE_SETTLEMENT,
            admissible,
        )
    assert other.reference in page.locator("main").inner_text()
    check_page(page, width)
    assert Declaration.objects.get().files.count() == 2
    context.close()


@pytest.mark.parametrize(
    ("language", "width"),
    [("fr", 360), ("fr", 1280), ("nl", 360), ("nl", 1280)],
    ids=["fr-phone", "fr-desktop", "nl-phone", "nl-desktop"],
)
def test_wrong_codes_lock_the_sign_in(
    browser: Browser, live_server: object, transactional_db: None, language: str, width: int
) -> None:
    words = WORDS[language]
    file = make_file(creditor=make_creditor(), language=language)
    code = issue_access_code(file=file, actor="test")
    context = browser.new_context(viewport={"width": width, "height": 800}, locale=language)
    page = context.new_page()
    base = str(live_server)
    for attempt in range(5):
        sign_in(page, base, language=language, reference=file.reference, code=f"WRONG-{attempt}")
        assert words.wrong_code in page.locator("#signin-error").inner_text()
    # Locked: even the right code is refused, with the time to wait.
    sign_in(page, base, language=language, reference=file.reference, code=code)
    assert words.locked in page.locator("#signin-error").inner_text()
    assert page.url == f"{base}/sign-in/"
    check_page(page, width)
    context.close()
