"""Phishing reports and fraud campaigns now belong to the phishing app (its 0001): the portal
forgets them in Django's state only; their tables and rows stay."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("portal", "0001_throttle_phishing_fraud"),
        ("phishing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FraudCampaign"),
                migrations.DeleteModel(name="PhishingReport"),
            ],
            database_operations=[],
        ),
    ]
