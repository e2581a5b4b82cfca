"""amicable create-api-token: issue (or revoke) a creditor's API bearer token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amicable.files.models import Creditor
from amicable.intake.models import ApiToken
from amicable.intake.tokens import issue_token, revoke_token


class Command(BaseCommand):
    help = "Create an API token for a creditor (printed once), or revoke one with --revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("creditor", help="the creditor's reference (slug)")
        parser.add_argument("--name", default="default", help="a label for the token")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with this prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            creditor = Creditor.objects.get(reference=options["creditor"])
        except Creditor.DoesNotExist:
            raise CommandError(f"No creditor with reference {options['creditor']!r}.") from None
        if options["revoke"]:
            token = ApiToken.objects.filter(creditor=creditor, prefix=options["revoke"]).first()
            if token is None:
                raise CommandError(f"No token {options['revoke']!r} for {creditor.reference}.")
            revoke_token(token=token, actor="command:create-api-token")
            self.stdout.write(f"Revoked {token.prefix}.")
            return
        issued = issue_token(creditor=creditor, name=options["name"], actor="command")
        self.stdout.write(issued.secret)
