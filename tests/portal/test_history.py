"""The file page tells the debtor their file's history: the events meant for them, in their
language, and nothing of the agency's own work."""

from __future__ import annotations

from django.test import Client

from amicable.files.history import AMOUNT_SENTENCES, SENTENCES, STATE_SENTENCES
from amicable.files.timeline import Audience, EventKind, kinds_for, record_event
from tests.portal.conftest import Cast, sign_in


def test_the_file_page_shows_the_history_meant_for_the_debtor_in_french(
    client: Client, cast: Cast
) -> None:
    file = cast.file
    record_event(
        file,
        EventKind.STATE_CHANGED,
        actor="staff:anna",
        message="Reasoned dispute 4: collection suspended at once (CEL art. XIX.7 §3).",
        data={"from": "formal_notice", "to": "disputed"},
    )
    record_event(
        file,
        EventKind.PAYMENT_POSTED,
        actor="bank",
        data={"amount": "1234.50", "value_date": "2025-04-02"},
    )
    # Written to the debtor in their language when it happened: shown as it is.
    record_event(
        file,
        EventKind.PROOF_REJECTED,
        actor="staff:anna",
        message="Nous n’avons pas pu accepter votre preuve de paiement « extrait.pdf ».",
    )
    record_event(file, EventKind.NOTE_ADDED, actor="staff:anna", message="Rappeler lundi.")
    record_event(file, EventKind.CALL_LOGGED, actor="staff:anna", message="Pas de réponse.")
    sign_in(client, cast)

    page = client.get(f"/files/{file.reference}/").content.decode()

    history = page[page.index('id="history-heading"') :]
    assert "Le recouvrement est suspendu pendant que nous examinons votre contestation." in history
    assert "Un paiement de 1\u202f234,50\u00a0€ a été enregistré." in history
    assert "Nous n’avons pas pu accepter votre preuve de paiement « extrait.pdf »." in history
    # The agency's own notes, calls, sign-ins and English reasons are not the debtor's to read.
    assert "Rappeler lundi." not in page
    assert "Pas de réponse." not in page
    assert "Reasoned dispute" not in page
    assert "portal_sign_in" not in page
    # Newest first.
    assert history.index("extrait.pdf") < history.index("1\u202f234,50")


def test_every_kind_the_debtor_reads_has_a_sentence() -> None:
    told = set(SENTENCES) | set(AMOUNT_SENTENCES) | {EventKind.STATE_CHANGED}
    assert kinds_for(Audience.DEBTOR) <= told
    assert not (set(SENTENCES) | set(AMOUNT_SENTENCES)) - kinds_for(Audience.DEBTOR)
    assert set(STATE_SENTENCES) == {state.value for state in STATE_SENTENCES}
