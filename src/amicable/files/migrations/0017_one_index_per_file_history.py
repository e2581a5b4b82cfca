"""One index per file's history: the (file, id) index of each chain serves every query on a
file's entries, allocations and events; the (file, day), (file, claim) and (file, moment)
indexes beside it only cost every insert (docs/decisions.md, 46)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('files', '0016_field_names_in_the_staff_members_words'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='allocation',
            name='allocation_file_idx',
        ),
        migrations.RemoveIndex(
            model_name='event',
            name='event_file_at_idx',
        ),
        migrations.RemoveIndex(
            model_name='ledgerentry',
            name='ledger_file_date_idx',
        ),
    ]
