"""The day each letter left, and room for the paper letter that replaces an undelivered e-mail.

Existing data (docs/decisions.md): a paper letter already in a post run left on that run's date;
an e-mail already accepted by the server left on the day it was sent. A letter still waiting
(on paper outside any run, an e-mail still queued) has no dispatch day yet: it gets one when it
leaves. The dates the daily run already gave to claims and letter requests are kept: letters
already queued count as dispatched at their existing date, and a later real dispatch moves the
period later, never earlier.
"""

from typing import Any

from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.db.models.functions import TruncDate


def backfill(apps: Any, schema_editor: Any) -> None:
    sent_letter = apps.get_model("letters", "SentLetter")
    post_batch = apps.get_model("letters", "PostBatch")
    outgoing = apps.get_model("letters", "OutgoingEmail")
    sent_letter.objects.filter(batch__isnull=False).update(
        dispatched_on=Subquery(post_batch.objects.filter(pk=OuterRef("batch_id")).values("date"))
    )
    accepted = outgoing.objects.filter(
        letter_id=OuterRef("pk"), status__in=["sent", "bounced"], sent_at__isnull=False
    ).order_by("sent_at")
    sent_letter.objects.filter(channel="email", emails__sent_at__isnull=False).update(
        dispatched_on=Subquery(accepted.annotate(day=TruncDate("sent_at")).values("day")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0009_personal_data_erasure"),
        ("letters", "0001_initial"),
        ("workflow", "0002_default_strategy"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="sentletter",
            name="sent_letter_once_per_request",
        ),
        migrations.AddField(
            model_name="sentletter",
            name="dispatched_on",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="sentletter",
            name="undelivered_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="sentletter",
            constraint=models.UniqueConstraint(
                condition=models.Q(("request__isnull", False), ("undelivered_at__isnull", True)),
                fields=("request",),
                name="sent_letter_once_per_request",
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
