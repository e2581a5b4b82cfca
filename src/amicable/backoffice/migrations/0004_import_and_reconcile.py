"""Two permissions for the pages that were open to any staff account, and the accountant role.

The sheet import of a creditor's files and the bank statement pages now each name their
permission like every other back-office page: ``import_files`` (supervisor, administrator) and
``reconcile_payments`` (accountant, supervisor, administrator). Self-contained (no application
import): the table is frozen here as it was when these permissions were introduced. Migrating
back removes the two permissions (and so their grants) and the accountant group.
"""

from django.db import migrations

PERMISSIONS = {
    "import_files": "Can import a creditor's files from a sheet",
    "reconcile_payments": "Can import bank statements and decide on unmatched payments",
}

GRANTS = {
    "supervisor": ["import_files", "reconcile_payments"],
    "accountant": ["view_queues", "view_files", "reconcile_payments"],
    "administrator": ["import_files", "reconcile_payments"],
}


def grant(apps, schema_editor):
    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")
    content_type, _ = content_type_model.objects.get_or_create(
        app_label="backoffice", model="staffaccess"
    )
    # get_or_create throughout: the read permissions exist since 0002, and a second run adds
    # nothing.
    names = {
        "view_queues": "Can see the work queues",
        "view_files": "Can see files, their documents and search",
        **PERMISSIONS,
    }
    permissions = {
        codename: permission_model.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )[0]
        for codename, name in names.items()
    }
    for role, codenames in GRANTS.items():
        group, _ = group_model.objects.get_or_create(name=role)
        group.permissions.add(*(permissions[c] for c in codenames))


def revoke(apps, schema_editor):
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="backoffice", codename__in=list(PERMISSIONS)
    ).delete()
    apps.get_model("auth", "Group").objects.filter(name="accountant").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("backoffice", "0003_calls_in_the_contact_guard"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
