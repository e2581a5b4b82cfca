"""The file page: parties, claims, balance as of any day, ledger, documents, timeline, actions."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.disputes.models import DisputeReason
from amicable.disputes.opening import open_dispute
from amicable.domain.lifecycle import FileState
from amicable.domain.money import format_eur
from amicable.files.ledger import file_balance
from amicable.files.lifecycle import change_file_state
from amicable.files.models import DocumentKind, Event, File
from amicable.letters.post import run_letters_batch
from tests.factories import claim_input, make_creditor, make_file, shown_to_debtor
from tests.letters.conftest import AGENCY, brussels
from tests.staff import TODAY, make_document, make_staff, sign_in
from tests.workflow.conftest import MONDAY, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def file(db: None) -> File:
    return make_file(today=date(2025, 6, 1), name="Marie Dupont", language="nl")


def test_the_page_shows_parties_claims_ledger_and_timeline(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    response = client.get(f"/backoffice/files/{file.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    claim = file.claims.get()
    for text in [
        f"File {file.reference}",
        "Marie Dupont",
        "Nederlands",
        file.creditor.name,
        file.creditor_reference,
        claim.creditor_reference,
        "Électricité, facture de régularisation",
        "+++",
        "file_created",
    ]:
        assert text in html
    view = response.context["view"]
    assert [e.kind for e in view.entries] == ["charge"]
    assert [e.kind for e in view.timeline] == list(
        Event.objects.filter(file=file).order_by("at", "id").values_list("kind", flat=True)
    )
    assert view.as_of == TODAY


def test_a_reference_is_found_as_a_person_types_it(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    typed = file.reference.lower().replace("am", "am ")
    assert client.get(f"/backoffice/files/{typed}/").status_code == 200


@pytest.mark.parametrize("reference", ["AM99999999", "nothing", "AM0000000%00"])
def test_an_unknown_file_is_a_404(agent: tuple[Client, User], reference: str) -> None:
    client, _ = agent
    assert client.get(f"/backoffice/files/{reference}/").status_code == 404


@pytest.mark.parametrize(
    "as_of", [date(2025, 4, 1), date(2025, 5, 15), TODAY], ids=["april", "may", "today"]
)
def test_the_balance_is_shown_as_of_any_day(
    agent: tuple[Client, User], file: File, as_of: date
) -> None:
    client, _ = agent
    response = client.get(f"/backoffice/files/{file.reference}/?as_of={as_of.isoformat()}")
    expected = file_balance(file, as_of=as_of)
    shown = response.context["view"].balance
    assert shown == expected
    rows = dict(response.context["balance_rows"])
    assert rows["Outstanding"] == format_eur(expected.outstanding, "en")
    assert rows["Interest accrued, not booked"] == format_eur(expected.interest_accrued, "en")
    assert f"As of {as_of.isoformat()}" in response.content.decode()


def test_interest_grows_with_the_day_asked_for(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    early = client.get(f"/backoffice/files/{file.reference}/?as_of=2025-04-01")
    late = client.get(f"/backoffice/files/{file.reference}/?as_of=2025-06-18")
    assert early.context["view"].balance.interest < late.context["view"].balance.interest


def test_a_malformed_day_falls_back_to_today(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    response = client.get(f"/backoffice/files/{file.reference}/?as_of=18/06/2025x")
    assert response.status_code == 200
    assert response.context["view"].as_of == TODAY
    assert "Give a date as YYYY-MM-DD." in response.content.decode()


SANDBOX = "sandbox; default-src 'none'; img-src 'self'"


def test_a_pdf_is_downloaded_in_a_sandbox_never_shown_inline(
    agent: tuple[Client, User], file: File
) -> None:
    """A PDF from a debtor can carry scripts: shown inline it ran from the application's
    origin, with the agent's session. It is a download now, sandboxed should it be rendered."""
    client, _ = agent
    pdf = b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n"
    document = make_document(
        file,
        kind=DocumentKind.INVOICE,
        name="facture.pdf",
        content=pdf,
        content_type="application/pdf",
    )
    response = client.get(f"/backoffice/files/{file.reference}/documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="facture.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == pdf  # type: ignore[arg-type]


def test_an_image_is_served_inline_in_a_sandbox(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    document = make_document(file, name="capture.png")
    response = client.get(f"/backoffice/files/{file.reference}/documents/{document.pk}/")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'inline; filename="capture.png"'
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_type_a_browser_could_run_is_only_downloaded(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    document = make_document(
        file, name="page.html", content=b"<script>alert(1)</script>", content_type="text/html"
    )
    response = client.get(f"/backoffice/files/{file.reference}/documents/{document.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="page.html"'
    assert response["Content-Security-Policy"] == SANDBOX
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_document_is_only_reached_under_its_own_file(
    agent: tuple[Client, User], file: File
) -> None:
    client, _ = agent
    other = make_file(creditor=make_creditor(), today=date(2025, 6, 1))
    document = make_document(other)
    assert client.get(
        f"/backoffice/files/{file.reference}/documents/{document.pk}/"
    ).status_code == (404)
    assert client.get(
        f"/backoffice/files/{other.reference}/documents/{document.pk}/"
    ).status_code == (200)
    assert client.get(f"/backoffice/files/{file.reference}/documents/999999/").status_code == 404


def _to(file: File, *states: FileState) -> None:
    for state in states:
        change_file_state(file=file, new_state=state, actor="test")


FORMS = {"add-note", "log-call", "resolve-dispute", "send-letter"}


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ((), {"add-note", "send-letter"}),
        (
            (FileState.WAITING_PERIOD, FileState.IN_COLLECTION),
            {"add-note", "log-call", "send-letter"},
        ),
        ((FileState.DISPUTED,), {"add-note", "resolve-dispute"}),
        ((FileState.CLOSED,), {"add-note"}),
    ],
    ids=["formal_notice", "in_collection", "disputed", "closed"],
)
def test_the_actions_offered_are_those_the_lifecycle_allows(
    agent: tuple[Client, User], file: File, path: tuple[FileState, ...], shown: set[str]
) -> None:
    client, _ = agent
    _to(file, *path)
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert {form for form in FORMS if f'id="{form}"' in html} == shown


def test_a_compliance_officer_sees_the_file_read_only(file: File) -> None:
    _to(file, FileState.DISPUTED)
    client = sign_in(Client(), make_staff(Role.COMPLIANCE_OFFICER))
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert "Your role sees this file read-only." in html
    assert not any(f'id="{form}"' in html for form in FORMS)


def test_a_note_lands_on_the_timeline_for_staff_only(
    agent: tuple[Client, User], file: File
) -> None:
    client, user = agent
    response = client.post(
        f"/backoffice/files/{file.reference}/note/", {"text": "  Called the creditor.  "}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/backoffice/files/{file.reference}/"
    note = Event.objects.get(kind="note_added")
    assert (note.file, note.actor, note.message, shown_to_debtor(note)) == (
        file,
        f"staff:{user.username}",
        "Called the creditor.",
        False,
    )


def test_an_empty_note_is_refused(agent: tuple[Client, User], file: File) -> None:
    client, _ = agent
    response = client.post(f"/backoffice/files/{file.reference}/note/", {"text": "   "})
    assert response.status_code == 400
    assert not Event.objects.filter(kind="note_added").exists()


def test_the_dispute_s_reason_is_shown_in_words(agent: tuple[Client, User], file: File) -> None:
    """docs/journeys.md, journey 4: staff read why the debtor disputes, not a code."""
    open_dispute(
        file=file,
        reason=DisputeReason.NOT_THE_DEBTOR,
        explanation="Iemand heeft mijn identiteit gebruikt.",
        evidence=[],
        today=TODAY,
        actor="portal",
    )
    client, _ = agent
    html = client.get(f"/backoffice/files/{file.reference}/").content.decode()
    assert '<strong class="dispute-reason">I am not the debtor (identity theft)</strong>' in html
    assert "not_the_debtor" not in html.split('id="disputes"')[1].split("</section>")[0]


def test_the_letters_show_the_day_each_left_or_that_it_waits(
    agent: tuple[Client, User], settings: LazySettings
) -> None:
    # docs/legal.md, section 1: a letter counts as sent on the day it left; staff see that day.
    settings.AMICABLE_AGENCY = AGENCY
    no_reminder = {"first_reminder_sent_on": None, "first_reminder_channel": None}
    posted = make_file(claims=[claim_input(**no_reminder)], today=MONDAY, email="")
    waiting = make_file(claims=[claim_input(**no_reminder)], today=MONDAY, email="m@example.be")
    run(MONDAY)
    run_letters_batch(run_date=MONDAY, at=brussels(2025, 3, 3, 9, 0))
    client, _ = agent

    posted_page = client.get(f"/backoffice/files/{posted.reference}/").content.decode()
    waiting_page = client.get(f"/backoffice/files/{waiting.reference}/").content.decode()

    assert '<td class="dispatch">2025-03-03</td>' in posted_page
    assert '<td class="dispatch">Not sent yet</td>' in waiting_page
