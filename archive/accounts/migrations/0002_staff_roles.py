from django.db import migrations

from archive.accounts.roles import sync_role_groups


class Migration(migrations.Migration):
    """Create the Contributor, Moderator and Archivist groups with their permissions."""

    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("testimonies", "0001_initial"),
        ("consent", "0002_initial"),
        ("publishing", "0002_initial"),
    ]

    operations = [migrations.RunPython(sync_role_groups, migrations.RunPython.noop)]
