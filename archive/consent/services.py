"""Recording, verifying and withdrawing consent. Withdrawal takes effect on every covered
testimony before the call returns."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from archive.consent.disclosures import disclosure_changed
from archive.consent.models import ConsentRecord
from archive.lib.storage import delete_stored_file
from archive.publishing.audit import record_audit
from archive.publishing.models import Review
from archive.publishing.services import WorkflowError, _lock, take_offline
from archive.search.indexing import purge_documents
from archive.testimonies.models import Narrator, Testimony

Scope = ConsentRecord.WithdrawalScope
TOMBSTONE_TITLE = "Withdrawn at the narrator's request"


def _require_perm(actor: Any, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise WorkflowError(message)


@transaction.atomic
def record_consent(
    *, actor: Any, narrator: Narrator, testimonies: Iterable[Testimony], **fields: Any
) -> ConsentRecord:
    """Enter a consent as given. It counts only once another archivist has verified it."""
    _require_perm(actor, "consent.add_consentrecord", "You may not record consent.")
    record = ConsentRecord(narrator=narrator, recorded_by=actor, **fields)
    record.full_clean()
    record.save()
    record.testimonies.set(list(testimonies))
    record_audit("consent.record", actor=actor, obj=record, data={"testimonies": _ids(record)})
    return record


def _ids(record: ConsentRecord) -> list[int]:
    return sorted(record.testimonies.values_list("pk", flat=True))


@transaction.atomic
def verify_consent(record: ConsentRecord, *, actor: Any) -> ConsentRecord:
    """A second archivist confirms the consent against its evidence."""
    _require_perm(actor, "consent.verify_consentrecord", "Only an archivist may verify consent.")
    if record.recorded_by_id == actor.pk:
        raise WorkflowError(
            "You recorded this consent; another archivist must verify it (four eyes)."
        )
    verified = ConsentRecord.objects.filter(
        pk=record.pk, verified_at__isnull=True, withdrawn_at__isnull=True
    ).update(verified_by=actor, verified_at=timezone.now())
    if verified != 1:
        raise WorkflowError("This consent is already verified or was withdrawn.")
    record.refresh_from_db()
    record_audit("consent.verify", actor=actor, obj=record, data={"testimonies": _ids(record)})
    disclosure_changed(_ids(record))
    return record


@transaction.atomic
def withdraw_consent(
    record: ConsentRecord, *, actor: Any, scope: str, note: str = ""
) -> ConsentRecord:
    """The narrator takes consent back, for every testimony the record covers:

    - unpublish: nothing of them stays public (approved researchers keep access);
    - restrict: staff only, taken off publication;
    - erase: transcripts, media files, revisions and the narrator's identity are deleted from
      the database and from storage; a tombstone with the reference and date remains.
    """
    _require_perm(
        actor, "consent.withdraw_consentrecord", "Only an archivist may record a withdrawal."
    )
    scope = Scope(scope)
    withdrawn = ConsentRecord.objects.filter(pk=record.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(),
        withdrawal_scope=scope,
        withdrawal_recorded_by=actor,
        withdrawal_note=note,
    )
    if withdrawn != 1:
        raise WorkflowError("This consent was already withdrawn.")
    record.refresh_from_db()
    testimony_ids = _ids(record)
    record_audit(
        "consent.withdraw",
        actor=actor,
        obj=record,
        data={"scope": scope.value, "testimonies": testimony_ids},
    )
    for testimony in Testimony.objects.filter(pk__in=testimony_ids).order_by("pk"):
        testimony = _lock(testimony)
        if scope == Scope.RESTRICT and testimony.status != Testimony.Status.WITHDRAWN:
            take_offline(
                testimony,
                actor=actor,
                reason="consent withdrawn: restricted to staff",
                action="publishing.withdraw",
            )
        elif scope == Scope.ERASE:
            erase_testimony(testimony, actor=actor)
    if scope == Scope.ERASE:
        erase_narrator(record.narrator, actor=actor)
        if record.evidence:
            # Within the transaction, as for the media files: see erase_testimony.
            delete_stored_file(record.evidence)
            record.save(update_fields=["evidence"])
    disclosure_changed(testimony_ids)
    if scope == Scope.ERASE:
        # A deletion only marks a document; the erased words must leave the index files.
        purge_documents(testimony_ids)
    return record


def erase_testimony(testimony: Testimony, *, actor: Any) -> None:
    """Delete a testimony's content, files and history of texts; keep a tombstone."""
    now = timezone.now()
    # Off the live site first: the revisions it points at are about to go.
    Testimony.objects.filter(pk=testimony.pk).update(
        title=TOMBSTONE_TITLE,
        summary="",
        interviewer="",
        recorded_on=None,
        recorded_precision="",
        recording_place=None,
        period_start_year=None,
        period_end_year=None,
        collection=None,
        source="",
        rights_statement="",
        content_notes="",
        external_id="",
        access_level="staff",
        status=Testimony.Status.WITHDRAWN,
        live_revision=None,
        withdrawn_at=now,
        erased_at=now,
        updated_at=now,
    )
    # The files go before the transaction commits: if the storage fails, the erasure rolls
    # back and can be run again, rather than committing with the narrator's voice still
    # in a bucket that nothing points at any more.
    for asset in testimony.media.all():
        delete_stored_file(asset.file)
    testimony.media.all().delete()
    testimony.transcripts.all().delete()
    Review.objects.filter(testimony=testimony).delete()
    testimony.revisions.all().delete()
    testimony.places.clear()
    testimony.subjects.clear()
    record_audit("consent.erase_testimony", actor=actor, obj=testimony)


def erase_narrator(narrator: Narrator, *, actor: Any) -> None:
    """Delete the narrator's identity and everything about them but their number."""
    if identity := narrator.identity_or_none():
        identity.delete()
    Narrator.objects.filter(pk=narrator.pk).update(
        attribution=Narrator.Attribution.ANONYMOUS,
        pseudonym="",
        birth_year=None,
        place_of_origin=None,
        occupation="",
    )
    record_audit("consent.erase_narrator", actor=actor, obj=narrator)


def lift_ended_embargoes(
    *, today: date | None = None, dry_run: bool = False
) -> list[ConsentRecord]:
    """Apply embargoes that ended: recompute what may be shown and log it once. Idempotent."""
    today = today or timezone.localdate()
    ended = list(
        ConsentRecord.objects.filter(
            embargo_until__lte=today, embargo_lifted_at__isnull=True, withdrawn_at__isnull=True
        ).order_by("pk")
    )
    if dry_run:
        return ended
    for record in ended:
        with transaction.atomic():
            lifted = ConsentRecord.objects.filter(
                pk=record.pk, embargo_lifted_at__isnull=True
            ).update(embargo_lifted_at=timezone.now())
            if lifted:
                record_audit(
                    "consent.embargo_ended",
                    actor=None,
                    obj=record,
                    data={
                        "embargo_until": record.embargo_until.isoformat()
                        if record.embargo_until
                        else None
                    },
                )
                disclosure_changed(_ids(record))
    return ended


# Changes that do not alter what the narrator agreed to, and so keep a verification.
BOOKKEEPING_FIELDS = frozenset({"review_on"})


STALE_CONSENT_EDIT_MESSAGE = (
    "Someone else saved this consent record since you opened it: reload to see their "
    "change; your edits were not saved."
)
# What verification and withdrawal set, never an edit: re-read once an edit holds the row.
CONSENT_STATE_FIELDS = [
    "verified_by",
    "verified_at",
    "withdrawn_at",
    "withdrawal_scope",
    "withdrawal_recorded_by",
    "withdrawal_note",
    "embargo_lifted_at",
]


@transaction.atomic
def claim_consent_edit(record: ConsentRecord, *, actor: Any, version: int | None) -> None:
    """Take the next version of a consent record for an edit made on `version`, or raise
    WorkflowError if someone saved it since: a stale save could grant again a scope that
    another archivist had just taken away. Call it inside the transaction that saves the
    edit, before writing; the conditional UPDATE is the race-safe check (as
    publishing.services.claim_edit for testimonies)."""
    _require_perm(actor, "consent.change_consentrecord", "You may not edit consent records.")
    claimed = (
        ConsentRecord.objects.filter(pk=record.pk, version=version).update(version=F("version") + 1)
        if version is not None
        else 0
    )
    if claimed != 1:
        raise WorkflowError(STALE_CONSENT_EDIT_MESSAGE)
    record.refresh_from_db(fields=["version", *CONSENT_STATE_FIELDS])


@transaction.atomic
def record_consent_edit(record: ConsentRecord, *, actor: Any, fields: list[str]) -> None:
    """Log an edit of a consent record. An edit of its terms (what it allows, what it
    covers, its evidence) needs a second archivist again: the verification is cleared."""
    _require_perm(actor, "consent.change_consentrecord", "You may not edit consent records.")
    reset = bool(set(fields) - BOOKKEEPING_FIELDS) and record.is_verified
    if reset:
        ConsentRecord.objects.filter(pk=record.pk).update(verified_by=None, verified_at=None)
        record.refresh_from_db()
    record_audit(
        "consent.edit",
        actor=actor,
        obj=record,
        data={"fields": sorted(fields), "verification_cleared": reset},
    )
    disclosure_changed(_ids(record))
