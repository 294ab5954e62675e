from django.db import migrations


class Migration(migrations.Migration):
    """The audit log moves to the audit app (archive/audit), at the bottom of the app graph.
    Only Django's idea of where the model lives changes: the table, its rows and its name
    (publishing_auditentry) stay; audit/0001 takes the model over."""

    dependencies = [
        ("publishing", "0002_initial"),
        # Every migration that wrote audit entries through this app's model runs first.
        ("testimonies", "0005_testimony_version"),
        ("consent", "0006_consentrecord_version"),
        ("accounts", "0006_concern_roles"),
        ("public", "0002_concerns_from_narrators"),
        ("search", "0002_index_purge"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
            database_operations=[],
        )
    ]
