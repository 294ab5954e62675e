"""Recording, verifying and withdrawing consent. Withdrawal takes effect on every covered
testimony before the call returns."""

from collections.abc import Iterable
from datetime import date, datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.consent.disclosures import disclosure_changed
from archive.consent.models import ConsentRecord
from archive.lib.errors import WorkflowError
from archive.lib.storage import delete_stored_file
from archive.publishing import permissions
from archive.publishing.erasure_traces import (
    AdminLogTraces,
    erase_concerns,
    erase_consent_details,
    erase_identity_names,
    erasure_committed,
    narrator_traces,
    redact_erased_text,
)
from archive.publishing.models import Review
from archive.publishing.services import (
    _lock,
    _require,
    end_for_erasure,
    guard_published_texts,
    record_edit,
    take_offline,
)
from archive.publishing.snapshots import build_snapshot
from archive.search.indexing import request_purge
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony

Scope = ConsentRecord.WithdrawalScope
# From the mildest withdrawal to the most complete.
WITHDRAWAL_ORDER = [Scope.UNPUBLISH, Scope.RESTRICT, Scope.ERASE]
TOMBSTONE_TITLE = "Withdrawn at the narrator's request"


def _require_perm(actor: User, permission: str, message: str) -> None:
    if not actor.has_perm(permission):
        raise WorkflowError(message)


def guard_narrator_texts(narrator: Narrator, *, actor: User) -> list[int]:
    """After a change that may have widened which names of the narrator must not appear
    (how they are named, their identity, a consent record's terms or coverage): take off
    every public surface each testimony of theirs whose published text now names them
    (publishing.services.guard_published_texts). Inside the change's transaction."""
    testimonies = Testimony.objects.filter(narrator_id=narrator.pk, erased_at__isnull=True)
    return guard_published_texts(testimonies.values_list("pk", flat=True), actor=actor)


@transaction.atomic
def record_consent(
    *, actor: User, narrator: Narrator, testimonies: Iterable[Testimony], **fields: Any
) -> ConsentRecord:
    """Enter a consent as given. It counts only once another archivist has verified it."""
    _require_perm(actor, "consent.add_consentrecord", "You may not record consent.")
    record = ConsentRecord(narrator=narrator, recorded_by=actor, **fields)
    record.full_clean()
    record.save()
    record.testimonies.set(list(testimonies))
    record_audit("consent.record", actor=actor, obj=record, data={"testimonies": _ids(record)})
    # A record that does not allow name disclosure narrows the standing consent at once.
    guard_narrator_texts(narrator, actor=actor)
    return record


def _ids(record: ConsentRecord) -> list[int]:
    return sorted(record.testimonies.values_list("pk", flat=True))


@transaction.atomic
def verify_consent(record: ConsentRecord, *, actor: User) -> ConsentRecord:
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
    # A verified record may supersede one that allowed naming.
    guard_narrator_texts(record.narrator, actor=actor)
    disclosure_changed(_ids(record))
    return record


@transaction.atomic
def withdraw_consent(
    record: ConsentRecord, *, actor: User, scope: str, note: str = ""
) -> ConsentRecord:
    """The narrator takes consent back, for every testimony the record covers:

    - unpublish: nothing of them stays public (approved researchers keep access);
    - restrict: staff only, taken off publication;
    - erase: transcripts, media files, revisions and the narrator's identity are deleted from
      the database and from storage; a tombstone with the reference and date remains.

    A record already withdrawn can be withdrawn again further (a narrator who unpublished
    may later ask for erasure); the day of the first withdrawal stays on the record, each
    step is in the audit log.
    """
    _require_perm(
        actor, "consent.withdraw_consentrecord", "Only an archivist may record a withdrawal."
    )
    scope = Scope(scope)
    # A narrator may go further later (unpublish, then erase), never back: a withdrawal
    # that would not narrow what the record's last one did is refused.
    narrower = WITHDRAWAL_ORDER[: WITHDRAWAL_ORDER.index(scope)]
    withdrawn = ConsentRecord.objects.filter(
        Q(withdrawn_at__isnull=True) | Q(withdrawal_scope__in=narrower), pk=record.pk
    ).update(
        withdrawn_at=Coalesce(F("withdrawn_at"), timezone.now()),
        withdrawal_scope=scope,
        withdrawal_recorded_by=actor,
        withdrawal_note=Coalesce(NullIf(Value(note), Value("")), F("withdrawal_note")),
    )
    if withdrawn != 1:
        raise WorkflowError("This consent was already withdrawn with this scope or a stricter one.")
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
            _erase_testimony(testimony, actor=actor)
    if scope == Scope.ERASE:
        # Erases this record's details and evidence too, with the narrator's other records
        # that cover nothing kept.
        _erase_narrator(record.narrator, actor=actor)
        record.refresh_from_db()
        transaction.on_commit(partial(erasure_committed, record.pk, testimony_ids))
    disclosure_changed(testimony_ids)
    if scope == Scope.ERASE:
        # disclosure_changed deleted the documents (nothing finds them from now on), but a
        # deletion only marks a document: the erased words must leave the index files too,
        # a bounded rewrite after commit, recorded until done. The narrator's other
        # testimonies too: their old documents held the erased name.
        kept = Testimony.objects.filter(narrator_id=record.narrator_id, erased_at__isnull=True)
        request_purge([*testimony_ids, *kept.values_list("pk", flat=True)])
    return record


def _erase_testimony(testimony: Testimony, *, actor: User) -> None:
    """Delete a testimony's content, files and history of texts; keep a tombstone. Only for
    withdraw_consent, which has checked permission and holds the testimony's lock."""
    now = timezone.now()
    traces = AdminLogTraces()
    traces.add_testimony(testimony)
    # Off the live site first: the revisions it points at are about to go.
    end_for_erasure(testimony, at=now)
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
    erase_concerns(testimony, actor=actor)
    redact_erased_text([testimony.pk], actor=actor)
    traces.rewrite()
    record_audit("consent.erase_testimony", actor=actor, obj=testimony)


def _erase_narrator(narrator: Narrator, *, actor: User) -> None:
    """Delete the narrator's identity and everything about them but their number, and the
    details of their consent records that cover nothing kept (see erase_consent_details).
    Only for withdraw_consent, which has checked permission."""
    consent_records = erase_consent_details(narrator, actor=actor)
    traces = narrator_traces(narrator, consent_records)
    Narrator.objects.filter(pk=narrator.pk).update(
        attribution=Narrator.Attribution.ANONYMOUS,
        pseudonym="",
        birth_year=None,
        place_of_origin=None,
        occupation="",
    )
    identity = NarratorIdentity.objects.filter(narrator_id=narrator.pk).first()
    # While the identity is still there to match against: a kept testimony whose published
    # text names them goes offline (a grammatical form of the name may survive the
    # replacement below), to return only once a person has read it again.
    guard_narrator_texts(narrator, actor=actor)
    erase_identity_names(narrator, identity, actor=actor)
    if identity is not None:
        identity.delete()
    traces.rewrite()
    record_audit("consent.erase_narrator", actor=actor, obj=narrator)
    disclosure_changed(
        Testimony.objects.filter(narrator_id=narrator.pk).values_list("pk", flat=True)
    )


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
def claim_consent_edit(record: ConsentRecord, *, actor: User, version: int | None) -> None:
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
def record_consent_edit(record: ConsentRecord, *, actor: User, fields: list[str]) -> None:
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
    # Its terms or its coverage may no longer allow naming: the narrator's testimonies,
    # not only those it covers now (one it stopped covering lost its consent).
    guard_narrator_texts(record.narrator, actor=actor)
    disclosure_changed(_ids(record))


@transaction.atomic
def delete_consent_records(records: "QuerySet[ConsentRecord]", *, actor: User) -> None:
    """Delete consent records, each audited with what it covered, then their evidence scans
    from the storage (a storage failure rolls the deletion back). A deleted record may have
    been the one that allowed naming: its narrators' published texts are guarded again."""
    _require_perm(actor, "consent.delete_consentrecord", "You may not delete consent records.")
    deleted = list(records.select_related("narrator").order_by("pk"))
    for record in deleted:
        record_audit("consent.delete", actor=actor, obj=record, data={"testimonies": _ids(record)})
    files = [record.evidence for record in deleted if record.evidence]
    narrators = {record.narrator_id: record.narrator for record in deleted}
    ConsentRecord.objects.filter(pk__in=[record.pk for record in deleted]).delete()
    for narrator_id in sorted(narrators):
        guard_narrator_texts(narrators[narrator_id], actor=actor)
    for evidence in files:
        delete_stored_file(evidence)


# How a narrator asked to be named.


def _naming_changed(narrator: Narrator, *, actor: User) -> None:
    """After a change of the name a narrator is shown by: each published testimony of theirs
    whose snapshot now differs becomes "published, changes pending" (the new name reaches
    readers only through a new approval), and what outsiders see narrows at once."""
    testimonies = Testimony.objects.filter(narrator=narrator, erased_at__isnull=True)
    ids = list(testimonies.order_by("pk").values_list("pk", flat=True))
    published = testimonies.filter(status=Testimony.Status.PUBLISHED).select_related(
        "narrator__identity", "live_revision"
    )
    for testimony in published.order_by("pk"):
        if (
            testimony.live_revision
            and build_snapshot(testimony) != testimony.live_revision.snapshot
        ):
            record_edit(testimony, actor=actor, fields=["narrator"])
    guard_narrator_texts(narrator, actor=actor)
    disclosure_changed(ids)


@transaction.atomic
def record_naming(
    narrator: Narrator, *, actor: User, attribution: str, pseudonym: str = ""
) -> Narrator:
    """Record how a narrator asked to be named (consent, so archivists only). Until another
    archivist verifies it and a revision with the new name is approved, outsiders see the
    anonymous form ("Narrator N") wherever the name changed: a change narrows at once and
    widens only after four eyes."""
    _require(permissions.can_record_naming(actor))
    narrator = Narrator.objects.select_for_update().get(pk=narrator.pk)
    attribution = Narrator.Attribution(attribution)
    pseudonym = pseudonym.strip() if attribution == Narrator.Attribution.PSEUDONYM else ""
    if attribution == narrator.attribution and pseudonym == narrator.pseudonym:
        raise WorkflowError("This is already how the narrator is named.")
    before = narrator.attribution
    narrator.attribution, narrator.pseudonym = attribution, pseudonym
    narrator.full_clean(exclude=["place_of_origin"])
    Narrator.objects.filter(pk=narrator.pk).update(
        attribution=attribution,
        pseudonym=pseudonym,
        naming_recorded_by=actor,
        naming_recorded_at=timezone.now(),
        naming_verified_by=None,
        naming_verified_at=None,
    )
    narrator.refresh_from_db()
    # Never the name itself in the log: only what kind of name, and whether it changed.
    record_audit(
        "consent.record_naming",
        actor=actor,
        obj=narrator,
        data={"attribution": attribution.value, "attribution_before": before},
    )
    _naming_changed(narrator, actor=actor)
    return narrator


@transaction.atomic
def verify_naming(
    narrator: Narrator,
    *,
    actor: User,
    recorded_at: datetime | None = None,
    checked_recording: bool = False,
) -> Narrator:
    """A second archivist confirms how the narrator asked to be named; the name can then be
    shown wherever an approved revision froze the same name. With `checked_recording`, only
    the recording made at `recorded_at` (the one the verifier looked at) is verified."""
    narrator = Narrator.objects.select_for_update().get(pk=narrator.pk)
    _require(permissions.can_verify_naming(actor, narrator))
    unverified = Narrator.objects.filter(pk=narrator.pk, naming_verified_at__isnull=True)
    if checked_recording:
        unverified = unverified.filter(naming_recorded_at=recorded_at)
    verified = unverified.exclude(naming_recorded_by=actor).update(
        naming_verified_by=actor, naming_verified_at=timezone.now()
    )
    if verified != 1:
        raise WorkflowError("How this narrator asked to be named changed a moment ago.")
    narrator.refresh_from_db()
    record_audit(
        "consent.verify_naming",
        actor=actor,
        obj=narrator,
        data={"attribution": narrator.attribution},
    )
    disclosure_changed(narrator.testimonies.values_list("pk", flat=True))
    return narrator


IDENTITY_NAME_FIELDS = frozenset({"given_name", "family_name"})


@transaction.atomic
def record_identity_edit(narrator: Narrator, *, actor: User, fields: list[str]) -> None:
    """Log an edit of a narrator's identity. When it changes the name a named narrator is
    shown by, that name needs a second archivist's verification again, and each published
    testimony waits for a new approval to show it."""
    _require_perm(
        actor, "testimonies.change_narratoridentity", "Only an archivist may edit identities."
    )
    narrator = Narrator.objects.select_for_update().get(pk=narrator.pk)
    renamed = bool(IDENTITY_NAME_FIELDS & set(fields)) and narrator.attribution in (
        Narrator.Attribution.FULL_NAME,
        Narrator.Attribution.GIVEN_NAME_INITIAL,
    )
    if renamed:
        Narrator.objects.filter(pk=narrator.pk).update(
            naming_recorded_by=actor,
            naming_recorded_at=timezone.now(),
            naming_verified_by=None,
            naming_verified_at=None,
        )
    record_audit(
        "consent.identity_edit",
        actor=actor,
        obj=narrator,
        data={"fields": sorted(fields), "verification_cleared": renamed},
    )
    _naming_changed(narrator, actor=actor)
