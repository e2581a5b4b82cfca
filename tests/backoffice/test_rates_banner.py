"""The back office tells, on every page, from the first day without a known interest rate,
which rate is missing and where to add it; its dashboard counts the files it leaves short.

The package's table knows the rates up to 30 June 2026.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.backoffice.roles import Role
from amicable.files.models import InterestRate, RateKind
from tests.factories import make_file
from tests.staff import PASSWORD, StaffClient, sign_in

# A session lasts 30 minutes: each test signs in on the day it looks at.

PAGES = ("/backoffice/", "/backoffice/search/?q=AM", "/backoffice/dashboard/")


def _banner(html: str) -> str:
    if 'class="rates-banner"' not in html:
        return ""
    return html.split('class="rates-banner"', 1)[1].split("</div>", 1)[0]


def _get(client: Client, path: str, language: str = "en") -> str:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _administrator() -> Client:
    user = User.objects.create_superuser(username="root", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return sign_in(Client(), user)


def test_no_banner_while_the_table_knows_today(staff_client: StaffClient) -> None:
    with time_machine.travel("2026-06-30 18:00 +02:00", tick=False):
        client, _ = staff_client(Role.SUPERVISOR)
        for path in PAGES:
            assert _banner(_get(client, path)) == ""


def test_the_banner_is_on_every_page_from_the_first_day_without_a_rate(
    staff_client: StaffClient,
) -> None:
    with time_machine.travel("2026-07-01 08:00 +02:00", tick=False):
        client, _ = staff_client(Role.SUPERVISOR)
        for path in PAGES:
            banner = _banner(_get(client, path))
            assert "Interest is counted only up to 30/06/2026, the last day with a known rate." in (
                banner
            )
            assert (
                "Missing: the commercial rate of the law of 2 August 2002 (per half-year) for the "
                "second half of 2026." in banner
            )
            assert "Add each rate on the Interest rates page of the administration" in banner


@pytest.mark.parametrize(
    ("language", "civil", "commercial"),
    [
        (
            "fr",
            "le taux d’intérêt légal en matière civile (annuel) pour 2027.",
            "(semestriel) pour le second semestre 2026, le premier semestre 2027.",
        ),
        (
            "nl",
            "de wettelijke rentevoet in burgerlijke zaken (per jaar) voor 2027.",
            "(per semester) voor het tweede semester van 2026, het eerste semester van 2027.",
        ),
        (
            "de",
            "der gesetzliche Zinssatz in Zivilsachen (pro Jahr) für 2027.",
            "(pro Halbjahr) für das zweite Halbjahr 2026, das erste Halbjahr 2027.",
        ),
        (
            "en",
            "the civil legal interest rate (per year) for 2027.",
            "(per half-year) for the second half of 2026, the first half of 2027.",
        ),
    ],
)
def test_the_banner_names_each_table_and_period_in_the_staff_language(
    staff_client: StaffClient, language: str, civil: str, commercial: str
) -> None:
    with time_machine.travel("2027-01-04 09:00 +01:00", tick=False):
        client, _ = staff_client(Role.AGENT)
        banner = _banner(_get(client, "/backoffice/", language))
    assert civil in banner
    assert commercial in banner


def test_an_administrator_is_sent_to_the_interest_rates_page(staff_client: StaffClient) -> None:
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        administrator, (agent, _) = _administrator(), staff_client(Role.AGENT)
        banner = _banner(_get(administrator, "/backoffice/"))
        assert '<a href="/admin/files/interestrate/">Open the Interest rates page</a>' in banner
        # The page exists and lists the rates staff added.
        assert administrator.get("/admin/files/interestrate/").status_code == 200
        banner = _banner(_get(agent, "/backoffice/"))
        assert "Ask an administrator." in banner
        assert "/admin/" not in banner


def test_the_banner_goes_once_staff_add_the_rate(staff_client: StaffClient) -> None:
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        client, _ = staff_client(Role.SUPERVISOR)
        assert _banner(_get(client, "/backoffice/"))
        # A test's value, not a published rate: the banner reads whatever staff entered.
        InterestRate.objects.create(kind=RateKind.COMMERCIAL, year=2026, half=2, rate=Decimal("9"))
        assert _banner(_get(client, "/backoffice/")) == ""


def test_no_banner_before_signing_in(client: Client, db: None) -> None:
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        response = client.get("/backoffice/sign-in/", follow=True)
    assert _banner(response.content.decode()) == ""


def test_the_dashboard_counts_the_files_whose_interest_stops_short(
    staff_client: StaffClient,
) -> None:
    make_file()
    make_file()
    with time_machine.travel("2026-09-15 10:00 +02:00", tick=False):
        client, _ = staff_client(Role.COMPLIANCE_OFFICER)
        html = _get(client, "/backoffice/dashboard/")
        assert (
            "Open files whose interest stops on 30/06/2026 for want of a known rate: "
            "<strong>2</strong>" in html
        )
    client, _ = staff_client(Role.COMPLIANCE_OFFICER)
    html = _get(client, "/backoffice/dashboard/")  # staff's day, 18 June 2025
    assert "Every rate is known up to 30/06/2026." in html
    assert "for want of a known rate" not in html
