"""An administrator adds a prescription category in the admin (docs/legal.md, section 8: the
periods are data, extendable); the seeded ones are there from the migration."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from amicable.files.models import ClaimCategory
from tests.staff import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def _administrator() -> Client:
    user = User.objects.create_superuser(username="root", password=PASSWORD)
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    return sign_in(Client(), user)


def test_the_migration_seeds_the_spec_s_periods() -> None:
    periods = dict(ClaimCategory.objects.values_list("code", "period_months"))
    assert periods == {
        "consumer_goods": 12,  # old Civil Code art. 2272 al. 2
        "network_supply": 60,  # art. 2277 al. 2
        "medical_care": 24,
        "hotel_restaurant": 6,
        "general": 120,  # art. 2262bis
    }


def test_an_administrator_adds_a_category() -> None:
    admin = _administrator()
    assert admin.get("/admin/files/claimcategory/").status_code == 200
    response = admin.post(
        "/admin/files/claimcategory/add/",
        {
            "code": "water",
            "name": "Water supply",
            "period_months": "60",
            "legal_basis": "Old Civil Code art. 2277 al. 2",
        },
    )
    assert response.status_code == 302
    assert ClaimCategory.objects.get(code="water").period_months == 60
    # A period of zero months is no period.
    refused = admin.post(
        "/admin/files/claimcategory/add/",
        {"code": "none", "name": "None", "period_months": "0", "legal_basis": "-"},
    )
    assert refused.status_code == 200
    assert not ClaimCategory.objects.filter(code="none").exists()
