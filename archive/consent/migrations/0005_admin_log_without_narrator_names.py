from django.db import migrations, models
from django.db.models.functions import Concat


def neutral_narrator_labels(apps, schema_editor):
    # The admin wrote each narrator's entries under the name they were shown by, which can
    # be their real name: every staff member's "Recent actions" and an object's history
    # kept it. Entries keep the number only.
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    narrator = ContentType.objects.filter(app_label="testimonies", model="narrator").first()
    if narrator is not None:
        LogEntry.objects.filter(content_type=narrator).update(
            object_repr=Concat(
                models.Value("narrator #"), "object_id", output_field=models.CharField()
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0004_stored_disclosure_researchers_since"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(neutral_narrator_labels, migrations.RunPython.noop)]
