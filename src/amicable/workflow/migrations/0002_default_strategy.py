"""Seed the default strategy (the same steps as amicable.workflow.selectors.DEFAULT_STEPS).

Self-contained on purpose: migrations do not import application code.
"""

from django.db import migrations

STEPS = (
    # position, kind, delay in working days, channel, charges its cost
    (1, "first_reminder", 0, "auto", False),
    (2, "formal_notice", 0, "paper", False),
    (3, "follow_up_reminder", 10, "auto", True),
    (4, "follow_up_reminder", 15, "paper", True),
)


def create_default(apps, schema_editor):
    Strategy = apps.get_model("workflow", "Strategy")
    StrategyStep = apps.get_model("workflow", "StrategyStep")
    if Strategy.objects.filter(is_default=True).exists():
        return
    strategy = Strategy.objects.create(name="Default", is_default=True)
    StrategyStep.objects.bulk_create(
        StrategyStep(
            strategy=strategy,
            position=position,
            kind=kind,
            delay_working_days=delay,
            channel=channel,
            charges_cost=charges_cost,
        )
        for position, kind, delay, channel, charges_cost in STEPS
    )


def remove_default(apps, schema_editor):
    Strategy = apps.get_model("workflow", "Strategy")
    Strategy.objects.filter(is_default=True).delete()


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_letter_queue_and_strategies")]

    operations = [migrations.RunPython(create_default, remove_default)]
