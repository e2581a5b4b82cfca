"""``amicable check``: Django's system checks, with the database's by default.

A stale interest rate table (``amicable.W001``) can only be told from the database, whose
checks Django runs only when asked (``--database``). ``amicable check`` asks for the default
database unless databases are named; ``amicable check --deploy`` keeps to the deployment
settings (it reads no data), as Django's does.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.check import Command as DjangoCheck
from django.db import DEFAULT_DB_ALIAS


class Command(DjangoCheck):
    help = DjangoCheck.help + " The default database's checks run too, unless --deploy is given."

    def handle(self, *app_labels: Any, **options: Any) -> None:
        if not options.get("databases") and not options.get("deploy"):
            options["databases"] = [DEFAULT_DB_ALIAS]
        super().handle(*app_labels, **options)
