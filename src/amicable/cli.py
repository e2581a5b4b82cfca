"""The ``amicable`` command: amicable's own subcommands, plus Django's (migrate, runserver...)."""

from __future__ import annotations

import os
import sys

# Our subcommands, in the order ``amicable --help`` lists them. Each is a Django management
# command of one of our apps; the one-line help is read from the command itself.
OWN_COMMANDS = (
    "demo",
    "import-files",
    "create-api-token",
    "statements",
    "letters",
    "run-daily",
    "apply-retention",
    "verify-books",
    "create-staff-user",
    "compile-translations",
)


def _usage() -> str:
    from django.core.management import get_commands, load_command_class

    available = get_commands()
    lines = ["usage: amicable <command> [options]", "", "commands:"]
    for name in OWN_COMMANDS:
        module_name = name.replace("-", "_")
        if module_name not in available:
            continue
        command = load_command_class(available[module_name], module_name)
        lines.append(f"  {name:<18} {command.help.splitlines()[0] if command.help else ''}")
    lines += [
        "",
        "Django's own commands work too (migrate, runserver, createsuperuser, ...):",
        "'amicable help --django' lists them; 'amicable COMMAND --help' explains one.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amicable.config.settings")
    import django
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    django.setup()
    if not args or args[0] in {"-h", "--help"} or args == ["help"]:
        print(_usage())
        return
    if args[:2] == ["help", "--django"]:
        args = ["help"]
    # Dashes read better on a command line; Django's command modules use underscores.
    args[0] = args[0].replace("-", "_")
    execute_from_command_line(["amicable", *args])


if __name__ == "__main__":
    main()
