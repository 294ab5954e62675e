"""What an erasure must reach beyond the testimony and the narrator themselves: the admin's
log, the consent records and the concerns about them. Called by the erasure services in
archive/consent/services.py, inside their transaction.

Each keeps the fact that something happened (who on staff, when, what kind of act, about
which reference) and removes the words: titles, names, messages, contacts, notes. The
README ("Erasure") lists, field by field, what stays and why.
"""

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from archive.consent.models import ConsentRecord
from archive.lib.sqlite import flush_erased_pages
from archive.lib.storage import delete_stored_file
from archive.public.models import Concern
from archive.publishing.audit import record_audit
from archive.publishing.models import ERASED_TEXT, Review, Revision
from archive.testimonies.models import (
    MediaAsset,
    Narrator,
    NarratorIdentity,
    Testimony,
    Transcript,
    TranscriptSegment,
)

# Consent record fields an erasure empties: people's names (who took the consent, the
# interpreter, a minor's guardian), the staff's free-text note on the withdrawal, and
# details that no longer point at anything or would only prompt contacting the narrator.
ERASED_CONSENT_FIELDS: dict[str, Any] = {
    "obtained_by": "",
    "form_version": "",
    "form_language": "",
    "interpreter": "",
    "withdrawal_note": "",
    "review_on": None,
    "oral_consent_recording": None,
    "oral_consent_at_seconds": None,
}

logger = logging.getLogger(__name__)

CONCERN_ERASED_NOTE = "Its message, name, contact and notes were erased with the testimony."


@dataclass
class AdminLogTraces:
    """Objects whose admin log entries an erasure rewrites: (model, primary key) and the
    neutral label their entries get. Gathered before the objects are deleted."""

    labels: dict[tuple[type[models.Model], str], str] = field(default_factory=dict)

    def add(self, model: type[models.Model], pks: Iterable[Any], label: str) -> None:
        for pk in pks:
            self.labels[(model, str(pk))] = label.format(pk=pk)

    def add_testimony(self, testimony: Testimony) -> None:
        reference = testimony.reference
        self.add(Testimony, [testimony.pk], f"{reference} (erased)")
        parts: list[tuple[type[models.Model], models.QuerySet[Any]]] = [
            (Transcript, Transcript.objects.filter(testimony=testimony)),
            (TranscriptSegment, TranscriptSegment.objects.filter(transcript__testimony=testimony)),
            (MediaAsset, MediaAsset.objects.filter(testimony=testimony)),
            (Revision, Revision.objects.filter(testimony=testimony)),
            (Review, Review.objects.filter(testimony=testimony)),
            (Concern, concerns_about(testimony)),
        ]
        for model, queryset in parts:
            noun = model._meta.verbose_name
            self.add(
                model,
                queryset.values_list("pk", flat=True),
                f"{noun} #{{pk}} of {reference} (erased)",
            )

    def rewrite(self) -> int:
        """Give every admin log entry about these objects its neutral label, and keep of its
        change message only the names of the fields changed. Returns how many changed."""
        by_type: dict[int, dict[str, str]] = {}
        for (model, object_id), label in self.labels.items():
            content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
            by_type.setdefault(content_type.pk, {})[object_id] = label
        rewritten = 0
        for content_type_id, labels in by_type.items():
            object_ids = list(labels)
            # In slices: a long transcript has thousands of segments, more than a query's
            # parameters may be on some databases.
            entries = [
                entry
                for start in range(0, len(object_ids), 500)
                for entry in LogEntry.objects.filter(
                    content_type_id=content_type_id, object_id__in=object_ids[start : start + 500]
                ).values_list("pk", "object_id", "change_message")
            ]
            for entry_id, logged_id, message in entries:
                LogEntry.objects.filter(pk=entry_id).update(
                    object_repr=labels[str(logged_id)], change_message=scrubbed_message(message)
                )
                rewritten += 1
        return rewritten


def scrubbed_message(message: str) -> str:
    """An admin change message without the objects it names. Django writes a JSON list such
    as [{"changed": {"fields": ["Title"]}}, {"added": {"name": "transcript", "object":
    "hy original"}}]: the field and model names stay, each object becomes ERASED_TEXT.
    Anything else (a message a person wrote) goes entirely."""
    try:
        parts = json.loads(message) if message.startswith("[") else None
    except json.JSONDecodeError:
        parts = None
    if not isinstance(parts, list):
        return ""
    kept = []
    for part in parts:
        if not isinstance(part, dict):
            return ""
        scrubbed: dict[str, Any] = {}
        for verb, details in part.items():
            if verb not in ("added", "changed", "deleted") or not isinstance(details, dict):
                return ""
            scrubbed[verb] = {
                key: ERASED_TEXT if key == "object" else value
                for key, value in details.items()
                if key in ("name", "object", "fields")
            }
        kept.append(scrubbed)
    return json.dumps(kept)


def concerns_about(testimony: Testimony) -> models.QuerySet[Concern]:
    # By id and by the reference typed on the page: either names the testimony.
    return Concern.objects.filter(
        models.Q(testimony_id=testimony.pk) | models.Q(reference=testimony.reference)
    )


def erase_concerns(testimony: Testimony, *, actor: Any) -> None:
    """Empty the concerns about an erased testimony of what the person wrote and how to
    reach them. An open one is handled by the erasure: nothing is left to remove or correct."""
    now = timezone.now()
    for concern in concerns_about(testimony).order_by("pk"):
        was_open = concern.status == Concern.Status.OPEN
        Concern.objects.filter(pk=concern.pk).update(
            message="",
            name="",
            contact="",
            notes=CONCERN_ERASED_NOTE,
            **(
                {"status": Concern.Status.HANDLED, "handled_by": actor, "handled_at": now}
                if was_open
                else {}
            ),
        )
        record_audit(
            "public.concern.erase",
            actor=actor,
            obj=concern,
            testimony=testimony,
            data={"handled_by_erasure": was_open},
        )


def erasable_consent_records(narrator: Narrator) -> models.QuerySet[ConsentRecord]:
    """The narrator's consent records that no longer cover anything not erased. A record
    that still covers a testimony kept in the archive still governs it: it stays whole."""
    covering_kept = ConsentRecord.testimonies.through.objects.filter(
        testimony__erased_at__isnull=True
    ).values("consentrecord_id")
    return narrator.consent_records.exclude(pk__in=covering_kept)


def erase_consent_details(narrator: Narrator, *, actor: Any) -> list[int]:
    """Keep of each erasable consent record what accountability needs (that consent was
    given, when, how, what it allowed, who on staff recorded, verified and withdrew it, and
    when) and erase the rest: names, notes and the evidence file."""
    erased = []
    for record in erasable_consent_records(narrator).order_by("pk"):
        if record.evidence:
            # Within the transaction, as for the media files: see erase_testimony.
            delete_stored_file(record.evidence)
        ConsentRecord.objects.filter(pk=record.pk).update(
            **ERASED_CONSENT_FIELDS,
            evidence="",
            # The database requires a guardian's name on a minor's consent: the fact that
            # a guardian consented stays, the name does not.
            guardian=ERASED_TEXT if record.narrator_is_minor else "",
        )
        record_audit("consent.erase_details", actor=actor, obj=record)
        erased.append(record.pk)
    return erased


def narrator_traces(narrator: Narrator, consent_records: list[int]) -> AdminLogTraces:
    traces = AdminLogTraces()
    traces.add(Narrator, [narrator.pk], "narrator #{pk} (erased)")
    identities = NarratorIdentity.objects.filter(narrator=narrator).values_list("pk", flat=True)
    traces.add(NarratorIdentity, identities, f"identity of narrator #{narrator.pk} (erased)")
    traces.add(ConsentRecord, consent_records, "consent record #{pk} (erased)")
    return traces


def erasure_committed(record_id: int, testimony_ids: list[int]) -> None:
    """After an erasure commits: push the erased words out of SQLite's files, and log the
    erasure (numbers and references only) where an operator who restores a backup taken
    before it finds what to erase again (README, "Erasure")."""
    flush_erased_pages()
    references = sorted(
        Testimony.objects.filter(pk__in=testimony_ids).values_list("reference", flat=True)
    )
    # WARNING, not INFO: the line must pass whatever level the operator keeps.
    logger.warning(
        "Erased at the narrator's request: consent record #%s, testimonies %s.",
        record_id,
        ", ".join(references) or "none",
    )
