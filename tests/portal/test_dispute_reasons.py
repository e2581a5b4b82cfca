"""Every debtor has a reason to give, and only the reasons that fit the creditor's sector are
offered (issue 12 point 7; CEL art. XIX.7 §3: a reasoned dispute suspends collection at once;
docs/legal.md section 8: a debtor who invokes prescription opens a reasoned dispute)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from amicable.disputes.models import Dispute, DisputeReason
from amicable.disputes.reasons import reasons_for_sector
from amicable.domain.lifecycle import FileState
from amicable.files.models import File, WorkItem, WorkItemKind
from tests.portal.conftest import Cast, sign_in
from tests.portal.uploads import pdf_upload

pytestmark = pytest.mark.usefixtures("_today")

GOODS = {DisputeReason.RETURNED_ITEM, DisputeReason.ITEM_NOT_RECEIVED}
EVERY_FILE = {
    DisputeReason.AMOUNT_WRONG,
    DisputeReason.NOT_THE_DEBTOR,
    DisputeReason.TIME_BARRED,
    DisputeReason.OTHER,
}
NEW_PATHS = {
    "amount-wrong": DisputeReason.AMOUNT_WRONG,
    "not-the-debtor": DisputeReason.NOT_THE_DEBTOR,
    "time-barred": DisputeReason.TIME_BARRED,
    "other-reason": DisputeReason.OTHER,
}


@pytest.fixture
def _today() -> object:
    with time_machine.travel("2025-05-02 10:00 +02:00", tick=False) as traveller:
        yield traveller


def _sector(cast: Cast, sector: str) -> None:
    cast.file.creditor.sector = sector
    cast.file.creditor.save(update_fields=["sector"])


@pytest.mark.parametrize("sector", ["energy", "telecom", "retail", "other"])
def test_every_file_offers_the_four_common_reasons(sector: str) -> None:
    assert set(reasons_for_sector(sector)) >= EVERY_FILE


def test_goods_reasons_only_where_goods_are_sold() -> None:
    assert not GOODS & set(reasons_for_sector("telecom"))
    assert not GOODS & set(reasons_for_sector("energy"))
    assert set(reasons_for_sector("retail")) >= GOODS
    assert DisputeReason.INVOICES_AFTER_CANCELLATION not in reasons_for_sector("retail")


def test_a_telecom_file_is_not_offered_the_goods_reasons(client: Client, cast: Cast) -> None:
    _sector(cast, "telecom")
    sign_in(client, cast)
    base = f"/files/{cast.file.reference}/disagree/"
    html = client.get(base).content.decode()
    assert f'href="{base}returned-item/"' not in html
    assert f'href="{base}item-not-received/"' not in html
    assert "J’ai renvoyé l’article" not in html
    for slug in NEW_PATHS:
        assert f'href="{base}{slug}/"' in html
    # Nor reachable by typing the address.
    assert client.get(f"{base}returned-item/").status_code == 404
    assert client.get(f"{base}item-not-received/").status_code == 404


def test_the_new_reasons_read_in_the_debtor_s_language(client: Client, cast: Cast) -> None:
    sign_in(client, cast)
    base = f"/files/{cast.file.reference}/disagree/"
    expected = {
        "fr": "Cette dette est prescrite",
        "nl": "Deze schuld is verjaard",
        "de": "Diese Forderung ist verjährt",
        "en": "This debt is time-barred",
    }
    for language, words in expected.items():
        client.cookies["django_language"] = language
        assert words in client.get(base).content.decode(), language


@pytest.mark.parametrize(("slug", "reason"), NEW_PATHS.items())
def test_each_new_reason_suspends_the_file_and_keeps_its_document(
    client: Client, cast: Cast, slug: str, reason: DisputeReason
) -> None:
    _sector(cast, "telecom")
    sign_in(client, cast)
    response = client.post(
        f"/files/{cast.file.reference}/disagree/{slug}/",
        {"explanation": "Voir la pièce jointe.", "evidence": [pdf_upload("preuve.pdf")]},
    )
    assert response.status_code == 302
    assert File.objects.get(pk=cast.file.pk).state == FileState.DISPUTED
    dispute = Dispute.objects.get(file=cast.file)
    assert (dispute.reason, dispute.suspended_file) == (reason.value, True)
    document = dispute.evidence.get()
    assert (document.original_name, document.kind) == ("preuve.pdf", "dispute_evidence")
    item = WorkItem.objects.get(file=cast.file, kind=WorkItemKind.DISPUTE)
    assert item.data["reason"] == reason.value
