"""The roles exist as groups with exactly their permissions (data migrations 0002 and 0004)."""

from __future__ import annotations

import importlib
from types import ModuleType

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from amicable.backoffice.roles import ROLE_PERMISSIONS, Perm, Role, ensure_roles

pytestmark = pytest.mark.django_db

# The four roles as data migration 0002 made them.
EXPECTED_0002 = {
    "agent": {"view_queues", "view_files", "work_files"},
    "supervisor": {"view_queues", "view_files", "work_files", "assign_work", "view_dashboard"},
    "compliance officer": {"view_queues", "view_files", "view_dashboard", "view_audit"},
    "administrator": {
        "view_queues",
        "view_files",
        "work_files",
        "assign_work",
        "view_dashboard",
        "view_audit",
    },
}

# Today's roles: 0004 lets supervisors import creditor sheets and reconcile bank statements,
# and adds the accountant (finance), who reconciles and works no file.
EXPECTED = {
    "agent": {"view_queues", "view_files", "work_files"},
    "supervisor": {
        "view_queues",
        "view_files",
        "work_files",
        "assign_work",
        "view_dashboard",
        "import_files",
        "reconcile_payments",
    },
    "accountant": {"view_queues", "view_files", "reconcile_payments"},
    "compliance officer": {"view_queues", "view_files", "view_dashboard", "view_audit"},
    "administrator": {
        "view_queues",
        "view_files",
        "work_files",
        "assign_work",
        "view_dashboard",
        "view_audit",
        "import_files",
        "reconcile_payments",
    },
}


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=list(EXPECTED))
    }


def _migration(name: str) -> ModuleType:
    return importlib.import_module(f"amicable.backoffice.migrations.{name}")


def _start_afresh() -> None:
    Group.objects.filter(name__in=list(EXPECTED)).delete()
    Permission.objects.filter(content_type__app_label="backoffice").delete()


def test_the_data_migration_creates_the_roles_with_their_permissions() -> None:
    migration = _migration("0002_staff_roles")
    _start_afresh()
    migration.create_roles(apps, None)
    assert group_permissions() == EXPECTED_0002
    # Run again (a re-applied migration): nothing doubles.
    migration.create_roles(apps, None)
    assert Permission.objects.filter(content_type__app_label="backoffice").count() == 6
    assert Group.objects.filter(name__in=list(EXPECTED)).count() == 4


def test_migration_0004_grants_import_and_reconciliation_and_adds_the_accountant() -> None:
    _start_afresh()
    _migration("0002_staff_roles").create_roles(apps, None)
    later = _migration("0004_import_and_reconcile")
    later.grant(apps, None)
    assert group_permissions() == EXPECTED
    later.grant(apps, None)
    assert Permission.objects.filter(content_type__app_label="backoffice").count() == 8
    # Migrating back: the two permissions and the accountant go, the 0002 roles stay as made.
    later.revoke(apps, None)
    assert group_permissions() == EXPECTED_0002


def test_the_migrations_leave_the_roles_the_code_describes() -> None:
    # What a database migrated from scratch holds (the test database is), without ensure_roles.
    assert group_permissions() == EXPECTED


def test_the_role_table_in_code_matches_the_migration() -> None:
    assert {role.value: {p.value for p in perms} for role, perms in ROLE_PERMISSIONS.items()} == (
        EXPECTED
    )


def test_ensure_roles_restores_what_a_role_lacks_and_keeps_extra_grants() -> None:
    ensure_roles()
    agent = Group.objects.get(name=Role.AGENT.value)
    agent.permissions.remove(Permission.objects.get(codename=Perm.WORK_FILES.value))
    agent.permissions.add(Permission.objects.get(codename=Perm.VIEW_DASHBOARD.value))
    ensure_roles()
    assert set(agent.permissions.values_list("codename", flat=True)) == EXPECTED["agent"] | {
        "view_dashboard"
    }
