"""A creditor's capacity becomes a code (``original`` or ``assignee``), printed by the letters
in the debtor's language, instead of English free text.

The existing texts are mapped in batches: the words of an assignment ("new creditor",
"assignee", "cessionnaire", "nieuwe schuldeiser", "neuer Gläubiger", ...) give ``assignee``;
anything else, "original creditor" included, gives ``original``, the field's default.
(As in amicable.domain.mentions.CreditorCapacity at the time of writing; a migration keeps its
own copy.)
"""

from collections.abc import Callable

from django.db import migrations, models

CHUNK = 5000
ASSIGNMENT_WORDS = (
    "assign",
    "new creditor",
    "cession",
    "nouveau créancier",
    "overdracht",
    "overnemer",
    "nieuwe schuldeiser",
    "abtretung",
    "neuer gläubiger",
)
ENGLISH = {"original": "original creditor", "assignee": "new creditor after an assignment"}


def capacity_code(text: str) -> str:
    words = " ".join(str(text).casefold().split())
    if words in ENGLISH:
        return words
    return "assignee" if any(word in words for word in ASSIGNMENT_WORDS) else "original"


def _rewrite(apps: object, to_value: Callable[[str], str]) -> None:
    Creditor = apps.get_model("files", "Creditor")  # type: ignore[attr-defined]
    last_id = 0
    while True:
        rows = list(
            Creditor.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "capacity")[:CHUNK]
        )
        if not rows:
            return
        last_id = rows[-1][0]
        changed = [
            Creditor(pk=pk, capacity=to_value(text))
            for pk, text in rows
            if to_value(text) != text
        ]
        Creditor.objects.bulk_update(changed, ["capacity"], batch_size=1000)


def to_codes(apps, schema_editor):
    _rewrite(apps, capacity_code)


def to_english(apps, schema_editor):
    _rewrite(apps, lambda code: ENGLISH.get(code, code))


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0007_state_memory_and_event_audience"),
    ]

    operations = [
        migrations.RunPython(to_codes, to_english),
        migrations.AlterField(
            model_name="creditor",
            name="capacity",
            field=models.CharField(
                choices=[
                    ("original", "Original creditor"),
                    ("assignee", "New creditor after an assignment"),
                ],
                default="original",
                max_length=20,
            ),
        ),
    ]
