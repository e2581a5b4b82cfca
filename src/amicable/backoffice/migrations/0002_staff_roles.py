"""Create the four staff roles as groups with their back-office permissions.

Self-contained (no application import): the role table is frozen here as it was when the roles
were introduced; ``amicable.backoffice.roles.ensure_roles`` adds what later versions add.
"""

from django.db import migrations

PERMISSIONS = {
    "view_queues": "Can see the work queues",
    "view_files": "Can see files, their documents and search",
    "work_files": "Can take work and decide on files",
    "assign_work": "Can assign work to colleagues",
    "view_dashboard": "Can see the dashboard",
    "view_audit": "Can see the audit trail and refused contacts",
}

ROLES = {
    "agent": ["view_queues", "view_files", "work_files"],
    "supervisor": ["view_queues", "view_files", "work_files", "assign_work", "view_dashboard"],
    "compliance officer": ["view_queues", "view_files", "view_dashboard", "view_audit"],
    "administrator": list(PERMISSIONS),
}


def create_roles(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="backoffice", model="staffaccess"
    )
    permissions = {
        codename: permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in PERMISSIONS.items()
    }
    for role, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(*(permissions[c] for c in codenames))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("backoffice", "0001_staff_access_contacts"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
