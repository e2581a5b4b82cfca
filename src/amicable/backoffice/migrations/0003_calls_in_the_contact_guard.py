"""Calls are kept by the one contact guard (``letters.ContactAttempt``): move them there.

The rows are copied before the back office's own table is dropped, so the calls already
logged keep counting towards the limits and stay in the audit. Self-contained (no application
import); the copy is not undone when migrating back (the calls stay with the guard).
"""

from django.db import migrations


def move_calls(apps, schema_editor):
    old_model = apps.get_model("backoffice", "ContactAttempt")
    new_model = apps.get_model("letters", "ContactAttempt")
    batch = []
    for row in old_model.objects.select_related("staff").order_by("id").iterator(chunk_size=1000):
        batch.append(
            new_model(
                file_id=row.file_id,
                debtor_id=row.debtor_id,
                channel=row.channel,
                recipient=row.recipient,
                purpose=row.purpose,
                at=row.at,
                allowed=row.allowed,
                reason=row.refusal_reason,
                message=row.refusal_message,
                article=row.article,
                next_allowed_at=row.next_allowed_at,
                actor=f"staff:{row.staff.username}"[:100],
                note=row.note,
            )
        )
        if len(batch) == 1000:
            new_model.objects.bulk_create(batch)
            batch = []
    new_model.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0002_staff_roles"),
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(move_calls, migrations.RunPython.noop),
        migrations.DeleteModel(name="ContactAttempt"),
    ]
