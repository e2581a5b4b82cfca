"""pseudonymise_events: the one change ever made to a written event (docs/legal.md, section 7)."""

from __future__ import annotations

import pytest

from amicable.files.models import Event
from amicable.files.timeline import ERASED, EventKind, pseudonymise_events, record_event
from tests.factories import make_file

pytestmark = pytest.mark.django_db


def test_personal_keys_messages_and_typed_actors_go_the_rest_stays() -> None:
    file = make_file()
    sign_in = record_event(
        file, EventKind.PORTAL_SIGN_IN, actor="portal", data={"ip": "198.51.100.4"}
    )
    refused = record_event(
        file,
        EventKind.PROOF_REJECTED,
        actor="staff:anna",
        message="Nous n’avons pas pu accepter votre preuve « extrait-dupont.pdf ».",
        data={"document": 12, "reason": "other", "note": "Marie Dupont, compte BE71..."},
    )
    payment = record_event(
        file,
        EventKind.PAYMENT_POSTED,
        actor="bank",
        message="Payment from M. DUPONT",
        data={"amount": "20.00", "value_date": "2025-04-02"},
    )
    bounced = record_event(
        file,
        EventKind.EMAIL_BOUNCED,
        actor="letters-emails",
        data={"email": 3, "to": "marie@example.be", "attempts": 1},
    )
    typed = record_event(
        None,
        EventKind.STAFF_SIGN_IN_FAILED,
        actor="staff:marie.dupont@example.be",
        data={"client_ip": "198.51.100.9"},
    )
    untouched = record_event(file, EventKind.STATE_CHANGED, actor="daily-run", data={"to": "paid"})
    written = (sign_in, refused, payment, bounced, typed, untouched)
    ids = [e.pk for e in written]

    changed = pseudonymise_events(ids)

    assert changed == 5
    rows = {e.pk: e for e in Event.objects.filter(pk__in=ids)}
    assert rows[sign_in.pk].data == {}
    assert rows[refused.pk].message == ""
    assert rows[refused.pk].data == {"document": 12, "reason": "other"}
    assert rows[refused.pk].actor == "staff:anna"
    assert (rows[payment.pk].message, rows[payment.pk].data) == (
        "",
        {"amount": "20.00", "value_date": "2025-04-02"},
    )
    assert rows[bounced.pk].data == {"email": 3, "attempts": 1}
    assert (rows[typed.pk].actor, rows[typed.pk].data) == (ERASED, {})
    assert (rows[untouched.pk].kind, rows[untouched.pk].data) == ("state_changed", {"to": "paid"})
    assert [rows[e.pk].at for e in written] == [e.at for e in written]
    # Once is enough: a second pass changes nothing.
    assert pseudonymise_events(ids) == 0
