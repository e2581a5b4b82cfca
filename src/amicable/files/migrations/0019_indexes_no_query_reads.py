"""Four indexes of the files table that no query reads (PostgreSQL): each state change of a
file rewrites its row and, the state being indexed, adds an entry to every index of the table.
The creditor's own index (the unique constraint on creditor and reference, and the index on
creditor and update time, start with it), the update time's own (read by creditor only), and
the two "LIKE" indexes PostgreSQL gets for a ``unique=True`` text column (the reference and the
structured communication are only ever looked up whole: unique constraints now). A daily run
changing the state of 16,000 files costs the database about a third less (docs/decisions.md,
51).
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0018_room_on_claim_pages'),
    ]

    operations = [
        migrations.AlterField(
            model_name='file',
            name='creditor',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='files', to='files.creditor', verbose_name='creditor'),
        ),
        migrations.AlterField(
            model_name='file',
            name='reference',
            field=models.CharField(max_length=16, verbose_name='reference'),
        ),
        migrations.AlterField(
            model_name='file',
            name='structured_communication',
            field=models.CharField(max_length=12, verbose_name='structured communication'),
        ),
        migrations.AlterField(
            model_name='file',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.AddConstraint(
            model_name='file',
            constraint=models.UniqueConstraint(fields=('reference',), name='file_unique_reference'),
        ),
        migrations.AddConstraint(
            model_name='file',
            constraint=models.UniqueConstraint(fields=('structured_communication',), name='file_unique_structured_communication'),
        ),
    ]
