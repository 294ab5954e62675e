"""What an erasure must reach beyond the testimony and the narrator themselves: the admin's
log, the consent records and the concerns about them. Called by the erasure services in
archive/publishing/consent_changes.py, inside their transaction.

Each keeps the fact that something happened (who on staff, when, what kind of act, about
which reference) and removes the words: titles, names, messages, contacts, notes. The
README ("Erasure") lists, field by field, what stays and why.
"""

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.audit.models import ERASED_TEXT, FREE_TEXT_KEYS, AuditEntry
from archive.consent.models import ConsentRecord
from archive.lib.sqlite import flush_erased_pages
from archive.lib.storage import delete_stored_file
from archive.public.models import Concern
from archive.publishing.models import Review, Revision
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


def erase_concerns(testimony: Testimony, *, actor: User) -> None:
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


def erase_consent_details(narrator: Narrator, *, actor: User) -> list[int]:
    """Keep of each erasable consent record what accountability needs (that consent was
    given, when, how, what it allowed, who on staff recorded, verified and withdrew it, and
    when) and erase the rest: names, notes and the evidence file."""
    erased = []
    for record in erasable_consent_records(narrator).order_by("pk"):
        if record.evidence:
            # Within the transaction, as for the media files: see _erase_testimony.
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


def _without_names(value: Any, pattern: "re.Pattern[str]", replacement: str) -> Any:
    if isinstance(value, str):
        return pattern.sub(replacement, value)
    if isinstance(value, dict):
        return {key: _without_names(item, pattern, replacement) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_names(item, pattern, replacement) for item in value]
    return value


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not f.choices
        and f.name not in ("reference", "language", "sha256", "mime_type")
    ]


def erase_identity_names(
    narrator: Narrator, identity: NarratorIdentity | None, *, actor: User
) -> dict[str, list[int]]:
    """For the erasure of a narrator's identity, in its transaction, before the identity is
    deleted: every copy of their names in what the archive keeps of their other testimonies
    goes, replaced by the anonymous form ("Narrator N"). That is the name frozen in each
    revision (content["narrator"]) and any of the identity's names in the revisions' texts,
    the working copy, the reviews' comments, the concerns, the admin log and the free text
    of the audit log about them.

    Revisions are immutable but for this (as the audit log is but for blank_free_text):
    the one change is the names, each revision changed is logged by number, never the name.
    Returns the ids changed, by kind."""
    kept = list(Testimony.objects.filter(narrator=narrator, erased_at__isnull=True).order_by("pk"))
    revisions = Revision.objects.filter(testimony__in=kept).order_by("pk")
    names = set(identity.names_to_guard() + [identity.given_name]) if identity else set()
    for content in revisions.values_list("content", flat=True):
        frozen = content.get("narrator") if isinstance(content, dict) else None
        if frozen and frozen.get("attribution") != Narrator.Attribution.ANONYMOUS:
            names.add(frozen.get("name") or "")
    names = {name.strip() for name in names if name and name.strip()}
    anonymous = {
        "id": narrator.pk,
        "attribution": Narrator.Attribution.ANONYMOUS,
        "name": narrator.anonymous_name,
    }
    pattern = (
        # Longest first: "Sona Melkumyan" goes as one, not as "Sona" and "Melkumyan".
        re.compile(
            "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)), re.IGNORECASE
        )
        if names
        else None
    )
    changed: dict[str, list[int]] = {}

    def scrub(model: type[models.Model], queryset: models.QuerySet[Any], kind: str) -> None:
        if pattern is None:
            return
        fields = _text_fields(model)
        for row in queryset.order_by("pk").values("pk", *fields):
            updates = {
                name: pattern.sub(narrator.anonymous_name, row[name])
                for name in fields
                if row[name] and pattern.search(row[name])
            }
            if updates:
                model._default_manager.filter(pk=row["pk"]).update(**updates)
                changed.setdefault(kind, []).append(row["pk"])

    for pk, content in revisions.values_list("pk", "content"):
        erased = _without_names(content, pattern, narrator.anonymous_name) if pattern else content
        if isinstance(erased, dict) and erased.get("narrator") not in (None, anonymous):
            erased["narrator"] = anonymous
        if erased != content:
            # QuerySet.update, not Revision.save: the one change a revision allows.
            Revision.objects.filter(pk=pk).update(content=erased)
            changed.setdefault("revisions", []).append(pk)
    scrub(Testimony, Testimony.objects.filter(pk__in=[t.pk for t in kept]), "testimonies")
    scrub(Transcript, Transcript.objects.filter(testimony__in=kept), "transcripts")
    scrub(
        TranscriptSegment,
        TranscriptSegment.objects.filter(transcript__testimony__in=kept),
        "segments",
    )
    scrub(MediaAsset, MediaAsset.objects.filter(testimony__in=kept), "media")
    scrub(Review, Review.objects.filter(testimony__in=kept), "reviews")
    for testimony in kept:
        scrub(Concern, concerns_about(testimony), "concerns")
    if pattern is not None:
        scrub(LogEntry, LogEntry.objects.filter(_log_mentions(names)), "admin_log")
        audit = AuditEntry.objects.filter(testimony__in=kept).order_by("pk")
        naming = [
            pk
            for pk, data in audit.values_list("pk", "data")
            if isinstance(data, dict)
            and any(pattern.search(str(data.get(key) or "")) for key in FREE_TEXT_KEYS)
        ]
        if naming:
            changed["audit"] = AuditEntry.objects.filter(pk__in=naming).blank_free_text(
                FREE_TEXT_KEYS
            )
    if kept and changed:
        # An editor's form opened before this would save the names back: it is stale now.
        Testimony.objects.filter(pk__in=[t.pk for t in kept]).update(version=F("version") + 1)
    for testimony in kept:
        mine = {
            "revisions": sorted(
                Revision.objects.filter(
                    testimony=testimony, pk__in=changed.get("revisions", [])
                ).values_list("number", flat=True)
            ),
            "audit_entries": sorted(
                AuditEntry.objects.filter(
                    testimony=testimony, pk__in=changed.get("audit", [])
                ).values_list("pk", flat=True)
            ),
        }
        record_audit("consent.erase_narrator_names", actor=actor, obj=testimony, data=mine)
    return changed


def _log_mentions(names: Iterable[str]) -> models.Q:
    query = models.Q(pk__in=[])
    for name in names:
        query |= models.Q(object_repr__icontains=name) | models.Q(change_message__icontains=name)
    return query


def redact_erased_text(testimony_ids: list[int], *, actor: User) -> list[int]:
    """For an erasure, in its transaction: blank the free text of the entries about the
    erased testimonies, and log which entries were blanked. The log stays append-only for
    everything else: no other code calls blank_free_text."""
    entries = AuditEntry.objects.filter(testimony_id__in=testimony_ids)
    blanked = entries.blank_free_text(FREE_TEXT_KEYS)
    for testimony in Testimony.objects.filter(pk__in=testimony_ids).order_by("pk"):
        mine = list(
            entries.filter(testimony_id=testimony.pk, pk__in=blanked).values_list("pk", flat=True)
        )
        if mine:
            record_audit(
                "audit.free_text_erased",
                actor=actor,
                obj=testimony,
                data={"entries": sorted(mine), "keys": sorted(FREE_TEXT_KEYS)},
            )
    return blanked
