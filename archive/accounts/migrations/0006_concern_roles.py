from django.db import migrations

from archive.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Archivists answer narrators' requests for removal or correction."""

    dependencies = [
        ("accounts", "0005_access_request_roles"),
        ("public", "0002_concerns_from_narrators"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
