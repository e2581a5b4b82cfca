"""The audit trail a compliance officer reads: every event with who did it, newest first."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.test import Client

from amicable.backoffice import oversight
from amicable.files.models import Event
from amicable.files.timeline import record_event
from tests.factories import make_file

pytestmark = pytest.mark.django_db


def test_the_trail_lists_events_newest_first_with_their_actor(
    compliance: tuple[Client, User], agent: tuple[Client, User]
) -> None:
    officer, _ = compliance
    agent_client, agent_user = agent
    file = make_file(today=date(2025, 6, 1))
    agent_client.post(f"/backoffice/files/{file.reference}/note/", {"text": "Checked."})
    response = officer.get("/backoffice/audit/")
    events = response.context["page"].events
    assert [e.pk for e in events] == list(
        Event.objects.order_by("-id").values_list("pk", flat=True)
    )
    assert (events[0].kind, events[0].actor, events[0].message) == (
        "note_added",
        f"staff:{agent_user.username}",
        "Checked.",
    )


def test_the_trail_filters_by_actor_event_and_file(compliance: tuple[Client, User]) -> None:
    officer, _ = compliance
    first = make_file(today=date(2025, 6, 1))
    second = make_file(today=date(2025, 6, 1))
    record_event(first, "note_added", actor="staff:ann", message="a")
    record_event(second, "note_added", actor="staff:bob", message="b")
    record_event(None, "staff_signed_in", actor="staff:ann")

    def kinds(**query: str) -> list[tuple[str, str]]:
        page = officer.get("/backoffice/audit/", query).context["page"]
        return [(e.kind, e.actor) for e in page.events]

    assert kinds(actor="staff:ann") == [
        ("staff_signed_in", "staff:ann"),
        ("note_added", "staff:ann"),
    ]
    assert kinds(kind="note_added", file=second.reference.lower()) == [("note_added", "staff:bob")]


def test_the_trail_pages_by_id(
    compliance: tuple[Client, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    officer, _ = compliance
    monkeypatch.setattr(oversight, "AUDIT_PAGE_SIZE", 2)
    events = [record_event(None, "staff_signed_in", actor=f"staff:u{i}") for i in range(5)]
    first = officer.get("/backoffice/audit/").context["page"]
    assert [e.pk for e in first.events] == [events[4].pk, events[3].pk]
    assert first.next_before == events[3].pk
    second = officer.get("/backoffice/audit/", {"before": str(first.next_before)}).context["page"]
    assert [e.pk for e in second.events] == [events[2].pk, events[1].pk]
    last = officer.get("/backoffice/audit/", {"before": str(events[1].pk)}).context["page"]
    assert ([e.pk for e in last.events], last.next_before) == ([events[0].pk], None)


def test_the_trail_says_which_events_the_debtor_reads(compliance: tuple[Client, User]) -> None:
    officer, _ = compliance
    file = make_file(today=date(2025, 6, 1))
    shown = record_event(file, "payment_posted", actor="bank", data={"amount": "5.00"})
    hidden = record_event(file, "note_added", actor="staff:ann", message="a")

    page = officer.get("/backoffice/audit/").content.decode()

    assert f'<tr id="event-{shown.pk}">' in page
    row = page[page.index(f'id="event-{shown.pk}"') :]
    assert row[: row.index("</tr>")].endswith("<td>yes</td>")
    row = page[page.index(f'id="event-{hidden.pk}"') :]
    assert row[: row.index("</tr>")].endswith("<td>no</td>")
