"""Revisions approved before the name shown was frozen in them show "Narrator N" (the old
name may have been changed without review). Their published testimonies become
"published, changes pending", so that they can be submitted and approved again with the
name frozen; a named or pseudonymous narrator's naming also waits for an archivist's
verification (naming_verified_at is empty for every existing narrator)."""

from typing import Any

from django.db import migrations


def mark_changes_pending(apps: Any, schema_editor: Any) -> None:
    Testimony = apps.get_model("testimonies", "Testimony")
    AuditEntry = apps.get_model("publishing", "AuditEntry")  # before audit/0001 took it over
    pending = (
        Testimony.objects.filter(status="published", live_revision__isnull=False)
        .exclude(narrator__attribution="anonymous")
        .exclude(live_revision__content__has_key="narrator")
        .order_by("pk")
    )
    for testimony in pending.only("pk", "reference", "live_revision").iterator():
        AuditEntry.objects.create(
            action="publishing.changes_pending",
            object_type="testimonies.testimony",
            object_id=str(testimony.pk),
            object_repr=testimony.reference,
            testimony_id=testimony.pk,
            revision_id=testimony.live_revision_id,
            data={"reason": "the name shown must be approved as part of a revision"},
        )
    pending.update(status="draft")


class Migration(migrations.Migration):
    dependencies = [
        ("testimonies", "0003_narrator_naming_consent"),
        ("publishing", "0002_initial"),
    ]

    operations = [migrations.RunPython(mark_changes_pending, migrations.RunPython.noop)]
