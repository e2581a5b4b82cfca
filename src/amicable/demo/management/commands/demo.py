"""amicable demo: load the demo data (once) and print where to go and how to sign in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from amicable.demo.loader import STAFF_PASSWORD, STAFF_USERNAME, load_demo


class Command(BaseCommand):
    help = "Load a realistic demo data set (idempotent) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--debtors", type=int, default=300, help="number of demo debtors")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_demo(today=timezone.localdate(), debtors=options["debtors"])
        base = options["base_url"].rstrip("/")
        if result.created_files:
            self.stdout.write(f"Demo data: {result.created_files} files created.")
        else:
            self.stdout.write("Demo data already loaded.")
        lines = [
            "",
            "=" * 72,
            f"amicable is starting on {base}/",
            "",
            f"  Debtor portal     {base}/",
            "                    sign in with a file number and its access code:",
        ]
        for login in result.logins:
            lines.append(
                f"                      {login.reference}  code {login.access_code}"
                f"  ({login.language}, {login.state})"
            )
        lines += [
            f"  Back office       {base}/backoffice/",
            f"                    user {STAFF_USERNAME!r}, password {STAFF_PASSWORD!r};",
            "                    at the first sign-in, add the QR code shown to an",
            "                    authenticator app (TOTP) and type the code it gives",
            f"  Administration    {base}/admin/",
            "                    the same user, signed in at the back office (password,",
            "                    then the authenticator's code): it has no login form of its own",
            f"  Creditor API docs {base}/api/v1/docs",
            f"                    bearer token for {result.creditor!r}:",
            f"                      {result.api_token}",
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))
