"""On PostgreSQL, file numbers come from a database sequence (no lock held by intake batches)."""

from django.db import migrations

SEQUENCE = "amicable_file_number"


def create_sequence(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    File = apps.get_model("files", "File")
    NumberSequence = apps.get_model("files", "NumberSequence")
    highest = max(
        [f.number for f in File.objects.order_by("-number")[:1]]
        + [s.value for s in NumberSequence.objects.filter(name="file")]
        + [0]
    )
    schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE} START WITH {highest + 1}")


def drop_sequence(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    dependencies = [("files", "0002_interest_rates")]

    operations = [migrations.RunPython(create_sequence, drop_sequence)]
