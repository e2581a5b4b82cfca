"""amicable create-staff-user: a personal back-office account with one role."""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amicable.backoffice.authentication import create_staff_user, reset_authenticator
from amicable.backoffice.roles import Role

ACTOR = "command:create-staff-user"


class Command(BaseCommand):
    help = (
        "Create a staff account with a role (agent, supervisor, accountant, compliance "
        "officer, administrator), change its role, or remove a lost authenticator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", choices=[r.value for r in Role], help="the account's role")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of standard input (else it is asked)",
        )
        parser.add_argument(
            "--reset-authenticator",
            action="store_true",
            help="remove the account's authenticator: a new one is set up at the next sign-in",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"]
        if options["reset_authenticator"]:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"No account {username!r}.")
            reset_authenticator(user=user, actor=ACTOR)
            self.stdout.write(f"{username} sets up a new authenticator at the next sign-in.")
            return
        if not options["role"]:
            raise CommandError("Give the account's role with --role.")
        exists = User.objects.filter(username=username).exists()
        password = self._password(from_stdin=options["password_stdin"], required=not exists)
        try:
            _, created = create_staff_user(
                username=username,
                role=Role(options["role"]),
                password=password,
                email=options["email"],
                actor=ACTOR,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        what = "Created" if created else "Updated"
        self.stdout.write(
            f"{what} {options['role']} {username}. At the first sign-in at /backoffice/ the "
            "authenticator app is set up."
        )

    def _password(self, *, from_stdin: bool, required: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        if not required:
            return ""
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The two passwords differ.")
        return first
