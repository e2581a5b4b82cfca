"""The claim declaration to the mediator of a collective debt settlement (docs/legal.md,
section 5): an agent sends it, by e-mail to the mediator, stating the claim as it stood the
day before admissibility (Judicial Code art. 1675/7, art. 1675/9 §2)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amicable.disputes.declarations import MediatorContact, declare_collective_settlement
from amicable.domain.lifecycle import AgentAction, FileState, actions_allowed
from amicable.domain.mentions import LetterKind
from amicable.files import ledger
from amicable.files.actions import ActionRefused
from amicable.files.models import File
from amicable.files.uploads import check_upload
from amicable.letters.agent_contacts import declare_claim_to_mediator
from amicable.letters.models import OutgoingEmail, SentLetter
from tests.factories import make_file
from tests.portal.uploads import MINIMAL_PDF

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")
# A Friday at 10:00, within the hours a message may be sent.
NOW = datetime(2025, 5, 2, 10, 0, tzinfo=BRUSSELS)
MEDIATOR = MediatorContact(name="Maître Anne Collard", email="a.collard@avocat.example")


def _admitted(mediator: MediatorContact = MEDIATOR) -> File:
    file = make_file()
    ledger.book_interest(file=file, through=date(2025, 4, 30), actor="daily")
    declare_collective_settlement(
        file=file,
        admissibility_date=date(2025, 4, 15),
        court_decision=(check_upload(MINIMAL_PDF), "ordonnance.pdf"),
        court_reference="25/123/B",
        mediator=mediator,
        today=date(2025, 5, 2),
        actor="portal",
    )
    return File.objects.select_related("debtor").get(pk=file.pk)


def test_only_a_collective_settlement_offers_the_declaration() -> None:
    """Judicial Code art. 1675/9 §2: the claim is declared to the mediator of a collective
    debt settlement; no other state has a mediator to declare it to."""
    assert AgentAction.DECLARE_CLAIM in actions_allowed(FileState.COLLECTIVE_SETTLEMENT)
    others = [s for s in FileState if s != FileState.COLLECTIVE_SETTLEMENT]
    assert all(AgentAction.DECLARE_CLAIM not in actions_allowed(s) for s in others)
    with pytest.raises(ActionRefused):
        declare_claim_to_mediator(file=make_file(), actor="agent", now=NOW)


def test_the_declaration_goes_to_the_mediator_by_email() -> None:
    file = _admitted()
    code_before = file.access_code_hash
    outcome = declare_claim_to_mediator(file=file, actor="agent", now=NOW)
    assert outcome.produced, outcome.errors
    letter = SentLetter.objects.get()
    assert (letter.kind, letter.channel) == (LetterKind.MEDIATOR_CLAIM_DECLARATION, "email")
    email = OutgoingEmail.objects.get(letter=letter)
    assert (email.to, email.recipient) == ("a.collard@avocat.example", "mediator")
    # No access code for the debtor's portal goes to the mediator: the debtor's stays.
    assert File.objects.get(pk=file.pk).access_code_hash == code_before


def test_without_the_mediators_email_the_agent_is_told_what_to_add() -> None:
    file = _admitted(MediatorContact(name="Maître Anne Collard", phone="+32 2 000 00 00"))
    with translation.override("en"), pytest.raises(ActionRefused, match="e-mail address"):
        declare_claim_to_mediator(file=file, actor="agent", now=NOW)
    assert not SentLetter.objects.exists()


def test_an_agent_sends_it_from_the_files_page(agent: tuple[Client, User]) -> None:
    client, _user = agent
    file = _admitted()
    page = client.get(reverse("backoffice:file", args=[file.reference]))
    assert b'id="declare-claim"' in page.content
    response = client.post(reverse("backoffice:declare_claim", args=[file.reference]))
    assert response.status_code == 302
    assert SentLetter.objects.filter(file=file, kind=LetterKind.MEDIATOR_CLAIM_DECLARATION).exists()
    other = make_file()
    assert (
        b'id="declare-claim"'
        not in client.get(reverse("backoffice:file", args=[other.reference])).content
    )
