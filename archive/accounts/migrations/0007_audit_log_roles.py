from django.db import migrations

from archive.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Archivists read the audit log under its own app (audit/0001 moved it there)."""

    dependencies = [
        ("accounts", "0006_concern_roles"),
        ("audit", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
