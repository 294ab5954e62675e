from django.db import migrations, models
from django.db.models import F


def public_now_means_public_since(apps, schema_editor):
    # What is public today was public from its last change at the latest; an earlier public
    # spell that already ended cannot be told from the rows kept until now.
    StoredDisclosure = apps.get_model("consent", "StoredDisclosure")
    StoredDisclosure.objects.filter(metadata=0).update(public_since=F("computed_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="storeddisclosure",
            name="public_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(public_now_means_public_since, migrations.RunPython.noop),
    ]
