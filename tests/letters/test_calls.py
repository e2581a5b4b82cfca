"""Logging a phone call through the contact rules (docs/legal.md, section 4); refusals are kept."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client

from amicable.backoffice.roles import Role
from amicable.domain.lifecycle import FileState
from amicable.files.lifecycle import change_file_state
from amicable.files.models import Event, File
from amicable.letters.models import ContactAttempt
from tests.factories import make_file, shown_to_debtor
from tests.staff import BRUSSELS, NOW, make_staff, sign_in

# What agents do, in staff's day (tests.staff).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_day")]


def collecting_file() -> File:
    file = make_file(today=date(2025, 6, 1), phone="+32 470 12 34 56")
    for state in (FileState.WAITING_PERIOD, FileState.IN_COLLECTION):
        change_file_state(file=file, new_state=state, actor="daily run")
    return file


def call(client: Client, file: File, **data: str) -> list[str]:
    payload = {"recipient": "debtor", "purpose": "collection", "note": "", **data}
    response = client.post(f"/backoffice/files/{file.reference}/call/", payload)
    assert response.status_code == 302
    messages = [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]
    client.get(response["Location"])  # the file page shows the messages, which clears them
    return messages


def test_an_allowed_call_is_logged(agent: tuple[Client, User]) -> None:
    client, user = agent
    file = collecting_file()
    assert call(client, file, note="Promised to pay Friday.") == ["Call logged."]
    attempt = ContactAttempt.objects.get()
    assert (attempt.allowed, attempt.at, attempt.actor, attempt.debtor, attempt.channel) == (
        True,
        NOW,
        f"staff:{user.username}",
        file.debtor,
        "phone",
    )
    event = Event.objects.get(kind="call_logged")
    assert (event.actor, event.message, shown_to_debtor(event)) == (
        f"staff:{user.username}",
        "Promised to pay Friday.",
        False,
    )


def test_a_second_call_the_same_day_is_refused_with_the_next_possible_time(
    agent: tuple[Client, User],
) -> None:
    client, user = agent
    file = collecting_file()
    call(client, file)
    messages = call(client, file)
    assert messages == [
        "Call refused: At most 1 call(s) a day (contact policy). (CEL art. VI.101 (aggressive "
        "practices); contact policy (docs/legal.md, section 4)) Next possible: 2025-06-19 08:00."
    ]
    refused = ContactAttempt.objects.get(allowed=False)
    assert (refused.reason, refused.next_allowed_at) == (
        "too_many_calls_today",
        datetime(2025, 6, 19, 8, 0, tzinfo=BRUSSELS),
    )
    event = Event.objects.get(kind="contact_refused")
    assert (event.actor, event.message, event.data["reason"]) == (
        f"staff:{user.username}",
        "At most 1 call(s) a day (contact policy).",
        "too_many_calls_today",
    )
    assert Event.objects.filter(kind="call_logged").count() == 1


def test_refused_calls_do_not_count_towards_the_limits(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = collecting_file()
    call(client, file, recipient="third_party")
    assert call(client, file) == ["Call logged."]


def test_a_third_party_is_never_called(agent: tuple[Client, User]) -> None:
    client, _ = agent
    file = collecting_file()
    (message,) = call(client, file, recipient="third_party")
    assert message.startswith(
        "Call refused: Third parties (neighbours, family, employer) are never contacted about "
        "a debt."
    )
    assert ContactAttempt.objects.get().reason == "third_party"


def test_no_call_on_a_sunday(agent: tuple[Client, User]) -> None:
    _, user = agent
    file = collecting_file()
    with time_machine.travel(datetime(2025, 6, 22, 11, 0, tzinfo=BRUSSELS), tick=False):
        # A new session: a staff session ends after 30 minutes.
        (message,) = call(sign_in(Client(), user), file)
    assert message == (
        "Call refused: No contact on a Sunday (contact policy). (Former law of 20 December 2002, "
        "art. 3 §2; contact policy (docs/legal.md, section 4)) Next possible: 2025-06-23 08:00."
    )


def test_the_refusals_are_listed_for_the_compliance_officer(agent: tuple[Client, User]) -> None:
    client, user = agent
    file = collecting_file()
    call(client, file, recipient="third_party")
    officer = sign_in(Client(), make_staff(Role.COMPLIANCE_OFFICER))
    response = officer.get("/backoffice/audit/refused-contacts/")
    assert [a.reason for a in response.context["attempts"]] == ["third_party"]
    html = response.content.decode()
    assert user.username in html
    assert file.reference in html


def test_no_call_can_be_logged_where_the_lifecycle_forbids_contact(
    agent: tuple[Client, User],
) -> None:
    client, _ = agent
    file = make_file(today=date(2025, 6, 1))  # formal notice not sent yet
    response = client.post(
        f"/backoffice/files/{file.reference}/call/",
        {"recipient": "debtor", "purpose": "collection"},
    )
    assert response.status_code == 409
    assert not ContactAttempt.objects.exists()
