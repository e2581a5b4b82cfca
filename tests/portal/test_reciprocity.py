"""The portal's breakdown says why a damages clause gives no indemnity, in the debtor's language
(CEL art. VI.83, 17°; docs/legal.md, section 2); the rights page states the policy."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client

from amicable.files.services import issue_access_code
from tests.factories import claim_input, make_file

pytestmark = pytest.mark.django_db

WHY = {
    "fr": "le créancier n'a pas déclaré que le contrat vous accorde une indemnité du même ordre",
    "nl": "de schuldeiser heeft niet verklaard dat het contract u een gelijkwaardige "
    "schadevergoeding toekent",
    "de": "Der Gläubiger hat nicht erklärt, dass der Vertrag Ihnen eine gleichwertige "
    "Entschädigung zugesteht",
    "en": "the creditor has not declared that the contract gives you an indemnity of the same "
    "order",
}
POLICY = {
    "fr": "Nous ne la réclamons que si le créancier a déclaré que sa clause est réciproque",
    "nl": "Wij vragen ze alleen als de schuldeiser heeft verklaard dat zijn beding wederkerig is",
    "de": "Wir fordern sie nur, wenn der Gläubiger erklärt hat, dass seine Klausel gegenseitig ist",
    "en": "We charge it only when the creditor has declared that its clause is reciprocal",
}


def _text(client: Client, path: str, language: str) -> str:
    client.cookies["django_language"] = language
    page = client.get(path).content.decode()
    main = page.split('<main id="main"', 1)[1].split("</main>", 1)[0]
    text = html.unescape(re.sub(r"<[^>]+>", " ", main)).replace("’", "'")
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


@pytest.mark.parametrize("language", sorted(WHY))
def test_vi83_17_the_breakdown_says_why_no_indemnity_is_charged(
    client: Client, language: str
) -> None:
    file = make_file(claims=[claim_input(indemnity_reciprocity="not_declared")], language=language)
    code = issue_access_code(file=file, actor="test")
    signed_in = client.post("/sign-in/", {"reference": file.reference, "code": code})
    assert signed_in.status_code == 302
    text = _text(client, f"/files/{file.reference}/", language)
    # Once per invoice, and once beside the indemnity of the account table.
    assert text.count(WHY[language]) == 2


def test_vi83_17_a_reciprocal_clause_shows_no_such_reason(client: Client) -> None:
    file = make_file(language="en")
    code = issue_access_code(file=file, actor="test")
    client.post("/sign-in/", {"reference": file.reference, "code": code})
    text = _text(client, f"/files/{file.reference}/", "en")
    assert "has not declared" not in text
    assert "no effect" not in text


@pytest.mark.parametrize("language", sorted(POLICY))
def test_vi83_17_the_rights_page_states_the_policy(client: Client, language: str) -> None:
    assert POLICY[language] in _text(client, "/rights/", language)
