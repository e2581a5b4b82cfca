"""Phishing reports and fraud campaigns become the phishing app's, in the tables the portal made.

Only Django's state moves (SeparateDatabaseAndState): the tables keep their names (``db_table``)
and their rows. Their content types follow, so the permissions and the administration's history
that point at them stay valid.
"""

from typing import Any

from django.db import migrations, models

MODELS = ("phishingreport", "fraudcampaign")


def move_content_types(
    apps: Any, schema_editor: Any, *, source: str = "portal", target: str = "phishing"
) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if content_type.objects.filter(app_label=target, model=model).exists():
            continue
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def move_content_types_back(apps: Any, schema_editor: Any) -> None:
    move_content_types(apps, schema_editor, source="phishing", target="portal")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0001_throttle_phishing_fraud"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FraudCampaign",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("seen_on", models.DateField(verbose_name="first seen on")),
                        ("pretended_to_be", models.CharField(max_length=300, verbose_name="what the message pretended to be")),
                        ("channel", models.CharField(max_length=60, verbose_name="channel (e-mail, text message, letter, phone)")),
                        ("is_active", models.BooleanField(default=True, verbose_name="active")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "portal_fraudcampaign",
                        "ordering": ["-seen_on", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="PhishingReport",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("channel", models.CharField(choices=[("email", "E-mail"), ("text", "Text message"), ("letter", "Letter"), ("phone", "Phone call"), ("other", "Other")], max_length=10)),
                        ("received_on", models.DateField(blank=True, null=True)),
                        ("sender", models.CharField(blank=True, max_length=200)),
                        ("content", models.TextField(max_length=5000)),
                        ("reporter_email", models.EmailField(blank=True, max_length=254)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        "db_table": "portal_phishingreport",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
