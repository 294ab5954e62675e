from django.db import migrations, models
from django.db.models import F


def researchers_since_from_what_is_known(apps, schema_editor):
    # Researchers could see what was ever public (from then), and what they may see today
    # (from its last change at the latest). A researchers-only spell that already ended
    # cannot be told from the rows kept until now: such a testimony gets no tombstone for
    # researchers (a 404, as if it never existed), rather than one they may never have seen.
    StoredDisclosure = apps.get_model("consent", "StoredDisclosure")
    StoredDisclosure.objects.filter(public_since__isnull=False).update(
        researchers_since=F("public_since")
    )
    StoredDisclosure.objects.filter(researchers_since__isnull=True, metadata__lte=1).update(
        researchers_since=F("computed_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0003_stored_disclosure_public_since"),
    ]

    operations = [
        migrations.AddField(
            model_name="storeddisclosure",
            name="researchers_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(researchers_since_from_what_is_known, migrations.RunPython.noop),
    ]
