"""Staff roles of the back office and what each may do (docs/architecture.md, invariant 5).

Roles are Django groups holding the permissions below, created by the data migrations
``0002_staff_roles`` and ``0004_import_and_reconcile`` and kept in step by
:func:`ensure_roles`. Every back-office view names the one permission it needs
(``amicable.backoffice.access.staff_view``), so a role is exactly the set of pages and actions
it opens:

* **agent**: works the queues and the files (CEL art. XIX.7: the collector checks disputes,
  answers requests and gives documents without delay);
* **supervisor**: also assigns work to colleagues, sees the dashboard, imports a creditor's
  files from a sheet and reconciles the bank statements;
* **accountant**: the agency's finance staff: imports the bank statements and decides where an
  unmatched payment goes (a file, several, a refund), and sees queues and files to do so, but
  works no file. The money the agency receives is held for the creditor (or owed back to the
  debtor who paid too much), so booking and refunding it is kept apart from the agents who deal
  with the debtors; a supervisor can stand in;
* **compliance officer**: sees everything, changes nothing, and also reads the audit trail and
  the contacts the rules refused (the forbidden practices of CEL Book VI, docs/legal.md, section 4);
* **administrator**: everything.

Loading a creditor's portfolio (the sheet import) opens files and starts collection on each:
a supervisor checks the mandate and the sheet first, so agents do not import. An agency that
has its agents import gives the agent group the permission in the administration:
:func:`ensure_roles` keeps such grants.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

__all__ = [
    "PERMISSION_NAMES",
    "ROLE_PERMISSIONS",
    "Perm",
    "Role",
    "ensure_roles",
    "permission_label",
]

APP_LABEL = "backoffice"
#: The model that carries the permissions (no table: ``StaffAccess`` is unmanaged).
PERMISSION_MODEL = "staffaccess"


class Role(StrEnum):
    """The staff roles; the value is the group's name."""

    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ACCOUNTANT = "accountant"
    COMPLIANCE_OFFICER = "compliance officer"
    ADMINISTRATOR = "administrator"


class Perm(StrEnum):
    """The back-office permissions (codenames of ``backoffice.StaffAccess``)."""

    VIEW_QUEUES = "view_queues"
    VIEW_FILES = "view_files"
    WORK_FILES = "work_files"
    ASSIGN_WORK = "assign_work"
    VIEW_DASHBOARD = "view_dashboard"
    VIEW_AUDIT = "view_audit"
    IMPORT_FILES = "import_files"
    RECONCILE_PAYMENTS = "reconcile_payments"


PERMISSION_NAMES: Mapping[Perm, str] = MappingProxyType(
    {
        Perm.VIEW_QUEUES: "Can see the work queues",
        Perm.VIEW_FILES: "Can see files, their documents and search",
        Perm.WORK_FILES: "Can take work and decide on files",
        Perm.ASSIGN_WORK: "Can assign work to colleagues",
        Perm.VIEW_DASHBOARD: "Can see the dashboard",
        Perm.VIEW_AUDIT: "Can see the audit trail and refused contacts",
        Perm.IMPORT_FILES: "Can import a creditor's files from a sheet",
        Perm.RECONCILE_PAYMENTS: "Can import bank statements and decide on unmatched payments",
    }
)

_READ = frozenset({Perm.VIEW_QUEUES, Perm.VIEW_FILES})

ROLE_PERMISSIONS: Mapping[Role, frozenset[Perm]] = MappingProxyType(
    {
        Role.AGENT: _READ | {Perm.WORK_FILES},
        Role.SUPERVISOR: _READ
        | {
            Perm.WORK_FILES,
            Perm.ASSIGN_WORK,
            Perm.VIEW_DASHBOARD,
            Perm.IMPORT_FILES,
            Perm.RECONCILE_PAYMENTS,
        },
        Role.ACCOUNTANT: _READ | {Perm.RECONCILE_PAYMENTS},
        Role.COMPLIANCE_OFFICER: _READ | {Perm.VIEW_DASHBOARD, Perm.VIEW_AUDIT},
        Role.ADMINISTRATOR: frozenset(Perm),
    }
)


def permission_label(perm: Perm) -> str:
    """The full name ``user.has_perm`` expects: ``backoffice.<codename>``."""
    return f"{APP_LABEL}.{perm.value}"


@transaction.atomic
def ensure_roles() -> None:
    """Create the role groups and their permissions if missing; add what a role lacks.

    Idempotent. Permissions given to a group by hand beyond its role are left alone.
    """
    content_type, _ = ContentType.objects.get_or_create(app_label=APP_LABEL, model=PERMISSION_MODEL)
    permissions = {
        perm: Permission.objects.get_or_create(
            content_type=content_type,
            codename=perm.value,
            defaults={"name": PERMISSION_NAMES[perm]},
        )[0]
        for perm in Perm
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.add(*(permissions[p] for p in perms))
