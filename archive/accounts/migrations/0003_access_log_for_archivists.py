from django.db import migrations

from archive.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Archivists read the access log of restricted material (public.AccessRecord)."""

    dependencies = [
        ("accounts", "0002_staff_roles"),
        ("public", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
