"""Who among the staff opened which debtor's file or document, and when."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('files', '0009_personal_data_erasure'),
    ]

    operations = [
        migrations.CreateModel(
            name='FileRead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('actor', models.CharField(max_length=100)),
                ('at', models.DateTimeField()),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.document')),
                ('file', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='files.file')),
            ],
            options={
                'indexes': [models.Index(fields=['actor', 'id'], name='file_read_actor_idx'), models.Index(fields=['file', 'id'], name='file_read_file_idx'), models.Index(fields=['at'], name='file_read_at_idx')],
            },
        ),
    ]
