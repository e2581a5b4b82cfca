"""The phishing app takes over the portal's phishing reports and fraud campaigns: same tables,
same rows, same content types (so the permissions given on them still hold)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amicable.phishing.models import FraudCampaign, PhishingReport

BEFORE = [("portal", "0001_throttle_phishing_fraud"), ("phishing", None)]
AFTER = [("portal", "0002_phishing_has_its_own_app")]


@pytest.mark.django_db(transaction=True)
def test_the_reports_and_campaigns_move_without_moving_a_row() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state([BEFORE[0]]).apps
    old_campaign = old_apps.get_model("portal", "FraudCampaign").objects.create(
        seen_on=date(2025, 5, 2),
        pretended_to_be="A text message from the agency with a payment link",
        channel="text message",
    )
    old_report = old_apps.get_model("portal", "PhishingReport").objects.create(
        channel="email",
        received_on=date(2025, 5, 3),
        sender="recouvrement@amicable-paiement.example",
        content="Payez aujourd'hui sur ce lien.",
        reporter_email="marie@example.be",
    )
    # The content types (and a permission on one) as the portal had them.
    ContentType.objects.filter(model__in=["phishingreport", "fraudcampaign"]).delete()
    report_type = ContentType.objects.create(app_label="portal", model="phishingreport")
    ContentType.objects.create(app_label="portal", model="fraudcampaign")
    permission = Permission.objects.create(
        content_type=report_type, codename="view_phishingreport", name="Can view phishing report"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    campaign = FraudCampaign.objects.get()
    report = PhishingReport.objects.get()
    assert (campaign.pk, campaign.seen_on, campaign.pretended_to_be, campaign.is_active) == (
        old_campaign.pk,
        date(2025, 5, 2),
        "A text message from the agency with a payment link",
        True,
    )
    assert (report.pk, report.channel, report.sender, report.reporter_email) == (
        old_report.pk,
        "email",
        "recouvrement@amicable-paiement.example",
        "marie@example.be",
    )
    assert (PhishingReport._meta.db_table, FraudCampaign._meta.db_table) == (
        "portal_phishingreport",
        "portal_fraudcampaign",
    )
    ContentType.objects.clear_cache()
    moved = ContentType.objects.get_for_model(PhishingReport)
    assert (moved.pk, moved.app_label) == (report_type.pk, "phishing")
    assert Permission.objects.get(pk=permission.pk).content_type_id == moved.pk
    assert not ContentType.objects.filter(app_label="portal", model="phishingreport").exists()
