"""Reciprocity of the damages clause (CEL art. VI.83, 17°; docs/legal.md, section 2).

- ``Claim.indemnity_reciprocity``: what was declared of the clause; every existing claim gets
  ``not_declared`` (the column's default, written by ``AddField``), since nobody declared it;
- ``reciprocity_declared_by``/``_at``: who declared it and when (the creditor at hand-over, or
  an agent from the general terms);
- a work item ``reciprocity_review`` for each file that already holds a lump-sum indemnity on
  a claim now not declared: an agent confirms reciprocity from the documents (the booking
  stays) or denies it (the ledger reverses it). Created set-based, here, so that the queue is
  complete the moment the code that stops charging undeclared clauses is deployed: one
  aggregate query over the indemnity entries, inserted in batches.
"""

import datetime

from django.db import migrations, models
from django.db.models import Sum
from django.utils import timezone

#: Days an agent has to confirm or deny a clause booked before the declaration existed.
REVIEW_DAYS = 14


def open_reviews(apps, schema_editor):
    LedgerEntry = apps.get_model("files", "LedgerEntry")
    WorkItem = apps.get_model("files", "WorkItem")
    File = apps.get_model("files", "File")
    held = (
        LedgerEntry.objects.filter(component="indemnity", claim__indemnity_clause=True)
        .order_by()
        .values("file_id", "claim_id")
        .annotate(total=Sum("amount"))
        .filter(total__gt=0)
        .values_list("file_id", "claim_id")
    )
    claims_by_file: dict[int, list[int]] = {}
    for file_id, claim_id in held.iterator(chunk_size=5000):
        claims_by_file.setdefault(file_id, []).append(claim_id)
    if not claims_by_file:
        return
    due_on = timezone.localdate() + datetime.timedelta(days=REVIEW_DAYS)
    references = dict(
        File.objects.filter(pk__in=list(claims_by_file)).values_list("pk", "reference")
    )
    WorkItem.objects.bulk_create(
        (
            WorkItem(
                kind="reciprocity_review",
                file_id=file_id,
                title=f"{references[file_id]}: damages clause to confirm as reciprocal",
                due_on=due_on,
                data={"claims": sorted(claim_ids), "opened_by": "migration"},
            )
            for file_id, claim_ids in sorted(claims_by_file.items())
        ),
        batch_size=1000,
    )




class Migration(migrations.Migration):

    dependencies = [
        ('files', '0011_seed_claim_categories'),
    ]

    operations = [
        migrations.AddField(
            model_name='claim',
            name='indemnity_reciprocity',
            field=models.CharField(choices=[('reciprocal', 'reciprocal'), ('not_reciprocal', 'not_reciprocal'), ('not_declared', 'not_declared')], default='not_declared', max_length=16),
        ),
        migrations.AddField(
            model_name='claim',
            name='reciprocity_declared_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='claim',
            name='reciprocity_declared_by',
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name='workitem',
            name='kind',
            field=models.CharField(choices=[('proof_review', 'Proof of payment to review'), ('dispute', 'Dispute'), ('debt_mediation', 'Debt mediation declaration'), ('collective_settlement', 'Collective debt settlement declaration'), ('payment_plan_request', 'Payment plan request outside the rules'), ('document_request', 'Supporting documents requested'), ('unmatched_movement', 'Unmatched bank movement'), ('phishing_report', 'Phishing report'), ('letter_refused', 'Letter refused by a rule'), ('reciprocity_review', 'Damages clause to confirm as reciprocal')], max_length=30),
        ),
        migrations.RunPython(open_reviews, migrations.RunPython.noop),
    ]
