"""amicable demo: load the demo data (once) and print where to go and how to sign in.

With DEBUG off the installation is taken for a production one: the command refuses unless
``--allow-production`` is given, and then the superuser gets a random password, printed once,
never the demo's well-known one.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amicable.demo.loader import STAFF_PASSWORD, STAFF_USERNAME, DemoResult, load_demo

REFUSED_IN_PRODUCTION = (
    "DEBUG is off: this looks like a production installation. The demo data adds fictitious "
    f"creditors, debtors and a superuser {STAFF_USERNAME!r}. Run 'amicable demo "
    "--allow-production' to load it anyway; the superuser then gets a random password, "
    "printed once."
)


class Command(BaseCommand):
    help = "Load a realistic demo data set (idempotent) and print how to sign in."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--debtors", type=int, default=120, help="number of demo debtors")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="load the demo data even with DEBUG off (a random superuser password)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        production = not settings.DEBUG
        if production and not options["allow_production"]:
            raise CommandError(REFUSED_IN_PRODUCTION)
        result = load_demo(
            today=timezone.localdate(),
            debtors=options["debtors"],
            staff_password=secrets.token_urlsafe(18) if production else STAFF_PASSWORD,
        )
        base = options["base_url"].rstrip("/")
        if result.created_files:
            self.stdout.write(f"Demo data: {result.created_files} files created.")
        else:
            self.stdout.write("Demo data already loaded.")
        if result.staff_password is None:
            staff = f"user {STAFF_USERNAME!r}, with the password it already has;"
        elif production:
            staff = (
                f"user {STAFF_USERNAME!r}, password {result.staff_password!r}"
                " (shown only now: keep it safe);"
            )
        else:
            staff = f"user {STAFF_USERNAME!r}, password {result.staff_password!r};"
        lines = [
            "",
            "=" * 72,
            f"amicable is starting on {base}/",
            "",
            f"  Debtor portal     {base}/",
            "                    sign in with a file number and its access code, one file",
            "                    per journey (fresh codes at each run):",
        ]
        for login in result.logins:
            lines.append(
                f"                      {login.journey:<18} {login.reference}  code "
                f"{login.access_code}  ({login.language}, {login.state})"
            )
        lines += [
            f"  Back office       {base}/backoffice/",
            f"                    {staff}",
            "                    at the first sign-in, add the QR code shown to an",
            "                    authenticator app (TOTP) and type the code it gives",
            f"  Administration    {base}/admin/",
            "                    the same user, signed in at the back office (password,",
            "                    then the authenticator's code): it has no login form of its own",
            f"  Creditor API docs {base}/api/v1/docs",
            *_token_lines(result),
            "=" * 72,
            "",
        ]
        self.stdout.write("\n".join(lines))


def _token_lines(result: DemoResult) -> list[str]:
    if result.api_token is not None:
        return [
            f"                    bearer token for {result.creditor!r} (shown once; later",
            "                    runs keep it valid):",
            f"                      {result.api_token}",
        ]
    return [
        f"                    bearer token for {result.creditor!r}: the one printed by the",
        f"                    first run ({result.api_token_prefix}...) is still valid; it is",
        "                    stored hashed, so it cannot be shown again. Another one:",
        f"                      amicable create-api-token {result.creditor}",
    ]
