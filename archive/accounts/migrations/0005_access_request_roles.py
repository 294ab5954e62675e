from django.db import migrations

from archive.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Archivists decide researchers' access requests and see staff's two-factor devices."""

    dependencies = [
        ("accounts", "0004_access_requests"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
