"""The letter requests' indexes on their file, and on their file and kind, dropped: the unique
constraint on (file, kind, cycle, step) serves both, and each letter the daily run queues
wrote three entries where one does (docs/decisions.md, 51)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0019_indexes_no_query_reads'),
        ('workflow', '0005_field_names_in_the_staff_members_words'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='letterrequest',
            name='letter_request_file_idx',
        ),
        migrations.AlterField(
            model_name='letterrequest',
            name='file',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='letter_requests', to='files.file', verbose_name='file'),
        ),
    ]
