"""The client's address behind reverse proxies (TRUSTED_PROXY_COUNT), and what it protects.

Behind one proxy every request came from the proxy's address, so five failures from anyone
locked the whole portal and every staff sign-in. With the number of trusted proxies set, each
client is known by the address our proxy saw; with 0, a forged X-Forwarded-For changes nothing.
"""

from __future__ import annotations

import pytest
from django.conf import LazySettings
from django.test import Client, RequestFactory

from amicable.backoffice.roles import Role
from amicable.files.services import issue_access_code
from amicable.portal.authentication import MAX_FAILURES
from amicable.security.client import client_address
from tests.factories import make_creditor, make_file
from tests.staff import PASSWORD, make_staff

PROXY = "10.0.0.2"
PORTAL_LOCKED = "Trop de tentatives infructueuses."
STAFF_LOCKED = "sign-in is blocked for 15 minutes"


def address(settings: LazySettings, proxies: int, **meta: str) -> str:
    settings.TRUSTED_PROXY_COUNT = proxies
    return client_address(RequestFactory().get("/", **meta))


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.2"),
        (0, "203.0.113.5", "10.0.0.2"),
        (0, "198.51.100.1, 203.0.113.5", "10.0.0.2"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),
        (1, "", "10.0.0.2"),
        (1, "2001:db8::7", "2001:db8::7"),
        (2, "198.51.100.66, 203.0.113.5, 192.0.2.10", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),
        (1, "not-an-address", "10.0.0.2"),
    ],
    ids=[
        "none_trusted_no_header",
        "none_trusted_forged_header_ignored",
        "none_trusted_forged_chain_ignored",
        "one_proxy",
        "one_proxy_forged_entry_before_ours",
        "one_proxy_no_header",
        "one_proxy_ipv6",
        "two_proxies",
        "two_proxies_outer_one_skipped",
        "garbage_where_our_proxy_writes",
    ],
)
def test_the_client_is_the_nth_address_from_the_right(
    settings: LazySettings, proxies: int, forwarded: str, expected: str
) -> None:
    meta = {"REMOTE_ADDR": PROXY}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert address(settings, proxies, **meta) == expected


@pytest.mark.django_db
def test_behind_one_proxy_one_clients_failures_do_not_lock_the_others(
    settings: LazySettings,
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    creditor = make_creditor()
    target, mine = make_file(creditor=creditor), make_file(creditor=creditor)
    code = issue_access_code(file=mine, actor="test")
    attacker = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66")
    for attempt in range(MAX_FAILURES + 2):
        attacker.post("/sign-in/", {"reference": f"AM0000{attempt:04d}", "code": "WRNG-WRNG"})
    locked = attacker.post("/sign-in/", {"reference": target.reference, "code": "WRNG-WRNG"})
    assert PORTAL_LOCKED in locked.content.decode()

    debtor = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = debtor.post("/sign-in/", {"reference": mine.reference, "code": code})
    assert response.status_code == 302


@pytest.mark.django_db
def test_with_no_trusted_proxy_a_forged_header_does_not_escape_the_lock(
    settings: LazySettings,
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    creditor = make_creditor()
    mine = make_file(creditor=creditor)
    code = issue_access_code(file=mine, actor="test")
    for attempt in range(MAX_FAILURES):
        forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
        forged.post("/sign-in/", {"reference": f"AM0000{attempt:04d}", "code": "WRNG-WRNG"})
    # A new forged address each time, still the same client: locked, even with a right code.
    forged = Client(REMOTE_ADDR="203.0.113.66", HTTP_X_FORWARDED_FOR="192.0.2.99")
    response = forged.post("/sign-in/", {"reference": mine.reference, "code": code})
    assert response.status_code == 400
    assert PORTAL_LOCKED in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_staff_sign_in_behind_a_proxy(settings: LazySettings, proxies: int) -> None:
    settings.TRUSTED_PROXY_COUNT = proxies
    user = make_staff(Role.AGENT)
    for attempt in range(MAX_FAILURES):
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66").post(
            "/backoffice/sign-in/", {"username": f"guess-{attempt}", "password": "no"}
        )
    colleague = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = colleague.post(
        "/backoffice/sign-in/", {"username": user.username, "password": PASSWORD}
    )
    if proxies:
        # Known by their own address: the guesses of another client do not lock them out.
        assert response.status_code == 302
    else:
        # Without a trusted proxy everyone shares the proxy's address, and the header is not
        # believed: the lock falls on all (the reason to set TRUSTED_PROXY_COUNT).
        assert STAFF_LOCKED in response.content.decode()
