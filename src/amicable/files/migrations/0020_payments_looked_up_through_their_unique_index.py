"""The ledger's index on (source, source reference) dropped: every entry went into it, when
only payments with a reference are ever looked up by it, and those are in the index of the
constraint that posts each payment once (``ledger_payment_posted_once``), which their lookups
now read (docs/decisions.md, 51). Dropped CONCURRENTLY on PostgreSQL, as in 0017.
"""

from importlib import import_module

from django.db import migrations

RemoveIndexConcurrently = import_module(
    "amicable.files.migrations.0017_one_index_per_file_history"
).RemoveIndexConcurrently


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("files", "0019_indexes_no_query_reads"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="ledgerentry", name="ledger_source_idx"),
    ]
