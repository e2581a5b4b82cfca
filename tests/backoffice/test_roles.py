"""The four roles exist as groups with exactly their permissions (data migration 0002)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from amicable.backoffice.roles import ROLE_PERMISSIONS, Perm, Role, ensure_roles

pytestmark = pytest.mark.django_db

EXPECTED = {
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


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: set(group.permissions.values_list("codename", flat=True))
        for group in Group.objects.filter(name__in=list(EXPECTED))
    }


def test_the_data_migration_creates_the_roles_with_their_permissions() -> None:
    migration = importlib.import_module("amicable.backoffice.migrations.0002_staff_roles")
    Group.objects.filter(name__in=list(EXPECTED)).delete()
    Permission.objects.filter(content_type__app_label="backoffice").delete()
    migration.create_roles(apps, None)
    assert group_permissions() == EXPECTED
    # Run again (a re-applied migration): nothing doubles.
    migration.create_roles(apps, None)
    assert Permission.objects.filter(content_type__app_label="backoffice").count() == 6
    assert Group.objects.filter(name__in=list(EXPECTED)).count() == 4


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
