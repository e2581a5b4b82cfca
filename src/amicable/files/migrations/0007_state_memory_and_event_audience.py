"""Files remember where a hold leaves them; events carry their audience by kind.

- ``File.state_since``: when the file entered its state (set by every state change);
- ``File.state_before_hold``: the working state a file left for a hold or for PAID, where it
  resumes; both backfilled from the timeline's ``state_changed`` events, in batches;
- ``Event.visible_to_debtor`` goes: who may read an event follows from its kind
  (``amicable.files.timeline``);
- the ledger's entry kinds gain ``recalculation`` (interest or indemnity counted again).
"""

import django.utils.timezone
from django.db import migrations, models

# The states that hold a file, and PAID: a file in one of them remembers the state it left.
# (As in amicable.domain.resumption at the time of writing; a migration keeps its own copy.)
HOLDS = {"suspended", "disputed", "debt_mediation", "collective_settlement"}
REMEMBERING = HOLDS | {"paid"}
STATES = [
    "new",
    "first_reminder_pending",
    "grace_period",
    "formal_notice",
    "waiting_period",
    "in_collection",
    "payment_plan",
    "suspended",
    "disputed",
    "debt_mediation",
    "collective_settlement",
    "paid",
    "closed",
]
CHUNK = 5000


def backfill(apps, schema_editor):
    File = apps.get_model("files", "File")
    Event = apps.get_model("files", "Event")
    last_id = 0
    while True:
        files = list(
            File.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "state", "created_at")[:CHUNK]
        )
        if not files:
            return
        last_id = files[-1][0]
        ids = [pk for pk, _state, _created in files]
        history: dict[int, list[tuple[object, dict[str, object]]]] = {}
        for file_id, at, data in (
            Event.objects.filter(file_id__in=ids, kind="state_changed")
            .order_by("file_id", "at", "id")
            .values_list("file_id", "at", "data")
        ):
            history.setdefault(file_id, []).append((at, data if isinstance(data, dict) else {}))
        changed = []
        for pk, state, created_at in files:
            moves = history.get(pk, [])
            since = moves[-1][0] if moves else created_at
            remembered = ""
            for _at, data in moves:
                leaving, entering = str(data.get("from", "")), str(data.get("to", ""))
                if entering not in REMEMBERING:
                    remembered = ""
                elif leaving not in REMEMBERING:
                    remembered = leaving
            if state not in REMEMBERING:
                remembered = ""
            changed.append(File(pk=pk, state_since=since, state_before_hold=remembered))
        File.objects.bulk_update(changed, ["state_since", "state_before_hold"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0006_debtor_name_trigram"),
    ]

    operations = [
        migrations.AddField(
            model_name="file",
            name="state_since",
            field=models.DateTimeField(blank=True, null=True, default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="file",
            name="state_before_hold",
            field=models.CharField(
                blank=True, choices=[(s, s) for s in STATES], max_length=30
            ),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.RemoveField(model_name="event", name="visible_to_debtor"),
        migrations.AlterField(
            model_name="ledgerentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("charge", "Charge"),
                    ("payment", "Payment to the agency"),
                    ("creditor_payment", "Payment to the creditor"),
                    ("reduction", "Reduction"),
                    ("write_off", "Write-off"),
                    ("refund", "Refund of a credit"),
                    ("reversal", "Reversal"),
                    ("recalculation", "Recalculation"),
                ],
                max_length=20,
            ),
        ),
    ]
