"""The only code that changes a testimony's workflow status (its status, live revision and
their dates), with generated.py beside it for a generated corpus: every step of the
workflow, and the parts of a withdrawal, an erasure and a bag import that move it.

Each service takes a keyword-only `actor`, runs in one transaction, checks permission through
archive/publishing/permissions.py, locks the testimony row and moves its status with a
conditional UPDATE whose row count is checked (two moderators approving at once: one wins,
the other gets a clear message), writes an audit entry, and sends e-mail after commit.
`end_for_erasure` and `restore_imported_state` are the parts that other services call inside
their own transaction, after their own checks (the erasure in consent_changes.py, the bag
import in archive/preservation/bag_import.py).
"""

from collections.abc import Iterable
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.log import record_audit
from archive.consent.disclosures import disclosure_changed
from archive.consent.policy import disclosure_for
from archive.lib.errors import WorkflowError
from archive.publishing import permissions
from archive.publishing.guard import real_name_findings
from archive.publishing.models import Review, Revision
from archive.publishing.notifications import notify_decided, notify_submitted
from archive.publishing.permissions import Decision
from archive.publishing.snapshots import build_snapshot
from archive.testimonies.models import Testimony

Status = Testimony.Status


def _require(decision: Decision) -> None:
    if not decision:
        raise WorkflowError(decision.reason)


STALE_EDIT_MESSAGE = (
    "Someone else saved this testimony since you opened it: reload to see their change; "
    "your edits were not saved."
)
# What the workflow services move, never an edit: re-read once an edit holds the row.
WORKFLOW_FIELDS = ["status", "live_revision", "published_at", "withdrawn_at", "erased_at"]


class StaleEdit(WorkflowError):
    """An edit made on a version of the testimony that is no longer the current one."""

    def __init__(self) -> None:
        super().__init__(STALE_EDIT_MESSAGE)


def _lock(testimony: Testimony) -> Testimony:
    """The testimony's row, locked until commit and read afresh."""
    return (
        Testimony.objects.select_for_update(of=("self",))
        .select_related("narrator", "live_revision")
        .get(pk=testimony.pk)
    )


def _move(testimony: Testimony, *, allowed_from: list[str], **fields: Any) -> None:
    """Change the row only if its status is still one we may move from."""
    fields["updated_at"] = timezone.now()
    moved = Testimony.objects.filter(pk=testimony.pk, status__in=allowed_from).update(**fields)
    if moved != 1:
        raise WorkflowError(
            "Someone else changed this testimony's status a moment ago; reload it and try again."
        )
    for name, value in fields.items():
        setattr(testimony, name, value)


def _new_revision(testimony: Testimony, *, actor: User) -> Revision:
    content = build_snapshot(testimony)
    if testimony.live_revision is not None and testimony.live_revision.snapshot == content:
        raise WorkflowError("Nothing has changed since the published version.")
    last = testimony.revisions.aggregate(last=Max("number"))["last"] or 0
    return Revision.objects.create(
        testimony=testimony, number=last + 1, content=content, created_by=actor
    )


def submission_problems(testimony: Testimony) -> list[str]:
    transcripts = list(testimony.transcripts.all())
    problems = []
    if not transcripts:
        problems.append("add at least one transcript")
    elif sum(transcript.is_original for transcript in transcripts) != 1:
        problems.append("mark exactly one transcript as the original")
    return problems


def _open_review(testimony: Testimony, *, actor: User, comment: str, action: str) -> Review:
    revision = _new_revision(testimony, actor=actor)
    review = Review.objects.create(
        testimony=testimony, revision=revision, submitted_by=actor, submission_comment=comment
    )
    record_audit(action, actor=actor, obj=testimony, revision=revision, data={"review": review.pk})
    transaction.on_commit(partial(notify_submitted, review.pk))
    return review


@transaction.atomic
def submit_for_review(testimony: Testimony, *, actor: User, comment: str = "") -> Review:
    """Freeze the working copy into a revision and ask for a second person's approval."""
    testimony = _lock(testimony)
    _require(permissions.can_submit(actor, testimony))
    if problems := submission_problems(testimony):
        raise WorkflowError("Before submitting, " + " and ".join(problems) + ".")
    review = _open_review(testimony, actor=actor, comment=comment, action="publishing.submit")
    _move(testimony, allowed_from=[Status.DRAFT, Status.CHANGES_REQUESTED], status=Status.IN_REVIEW)
    return review


def _decide(
    review: Review, *, actor: User, decision: str, check: Decision, **fields: Any
) -> Review:
    _require(check)
    decided = Review.objects.filter(pk=review.pk, decision=Review.Decision.PENDING).update(
        decision=decision, decided_by=actor, decided_at=timezone.now(), **fields
    )
    if decided != 1:
        raise WorkflowError("Another moderator decided on this review a moment ago.")
    review.refresh_from_db()
    transaction.on_commit(partial(notify_decided, review.pk))
    return review


def _locked_review(review: Review) -> tuple[Review, Testimony]:
    testimony = _lock(review.testimony)
    return Review.objects.select_related("revision").get(pk=review.pk), testimony


class _GuardRefusal(WorkflowError):
    """The pseudonym guard refused an approval (recorded once the approval rolled back)."""

    def __init__(self, message: str, testimony: Testimony, revision: Revision) -> None:
        super().__init__(message)
        self.testimony = testimony
        self.revision = revision


GUARD_REFUSAL_FOR_OTHERS = (
    "This revision cannot be approved until an archivist has checked it: the narrator "
    "chose not to be named. Ask an archivist to review it."
)


def guard_refusal_message(actor: User, findings: list[str]) -> str:
    """What the person who tried to approve is told. Only an archivist learns where the
    name is: with one candidate surname per paragraph, "paragraph 9" would tell anyone
    else which candidate is the narrator's real name."""
    if not permissions.can_override_pseudonym_guard(actor):
        return GUARD_REFUSAL_FOR_OTHERS
    return (
        "The narrator chose not to be named, but their real name appears in "
        + "; ".join(findings)
        + ". Remove it, or an archivist may publish with a written reason."
    )


def approve(
    review: Review,
    *,
    actor: User,
    comment: str = "",
    publish_at: datetime | None = None,
    override_reason: str = "",
) -> Review:
    """Publish exactly the reviewed revision, now or at `publish_at`, after checking consent
    at this moment and that a pseudonymous narrator's real name is not in it."""
    try:
        return _approve(
            review,
            actor=actor,
            comment=comment,
            publish_at=publish_at,
            override_reason=override_reason,
        )
    except _GuardRefusal as refusal:
        # The refusal is audited (who tried, on which revision), never where the name is:
        # moderators read the log.
        record_audit(
            "publishing.pseudonym_guard_refusal",
            actor=actor,
            obj=refusal.testimony,
            revision=refusal.revision,
            data={"review": review.pk},
        )
        raise WorkflowError(refusal.message) from None


@transaction.atomic
def _approve(
    review: Review,
    *,
    actor: User,
    comment: str,
    publish_at: datetime | None,
    override_reason: str,
) -> Review:
    review, testimony = _locked_review(review)
    _require(permissions.can_approve(actor, review))
    disclosure = disclosure_for(testimony, assume_live=True, content=review.revision.snapshot)
    if blockers := disclosure.blockers:
        raise WorkflowError("This testimony cannot be published: " + "; ".join(blockers) + ".")
    findings = real_name_findings(testimony, review.revision.snapshot)
    if findings:
        if not override_reason.strip():
            raise _GuardRefusal(guard_refusal_message(actor, findings), testimony, review.revision)
        if not (may_override := permissions.can_override_pseudonym_guard(actor)):
            raise _GuardRefusal(may_override.reason, testimony, review.revision)
    review = _decide(
        review,
        actor=actor,
        decision=Review.Decision.APPROVED,
        check=permissions.ALLOWED,
        comment=comment,
        publish_at=publish_at,
    )
    record_audit(
        "publishing.approve",
        actor=actor,
        obj=testimony,
        revision=review.revision,
        data={"review": review.pk, "publish_at": publish_at.isoformat() if publish_at else None},
    )
    if findings:
        record_audit(
            "publishing.pseudonym_guard_override",
            actor=actor,
            obj=testimony,
            revision=review.revision,
            data={"reason": override_reason.strip(), "locations": findings},
        )
    if publish_at is not None and publish_at > timezone.now():
        _move(testimony, allowed_from=[Status.IN_REVIEW], status=Status.SCHEDULED)
    else:
        _go_live(testimony, review.revision, allowed_from=[Status.IN_REVIEW])
    return review


def _go_live(testimony: Testimony, revision: Revision, *, allowed_from: list[str]) -> None:
    # Edits made while the revision was in review stay pending: the working copy is then
    # "published, changes pending" (a draft with a live revision).
    unchanged = build_snapshot(testimony) == revision.snapshot
    _move(
        testimony,
        allowed_from=allowed_from,
        status=Status.PUBLISHED if unchanged else Status.DRAFT,
        live_revision=revision,
        published_at=timezone.now(),
        withdrawn_at=None,
    )
    disclosure_changed([testimony.pk])


@transaction.atomic
def request_changes(review: Review, *, actor: User, comment: str) -> Review:
    """Send a submission back to its author with what to change."""
    if not comment.strip():
        raise WorkflowError("Say what should change: a comment is required.")
    review, testimony = _locked_review(review)
    review = _decide(
        review,
        actor=actor,
        decision=Review.Decision.CHANGES_REQUESTED,
        check=permissions.can_decide(actor, review),
        comment=comment.strip(),
    )
    _move(testimony, allowed_from=[Status.IN_REVIEW], status=Status.CHANGES_REQUESTED)
    record_audit(
        "publishing.request_changes",
        actor=actor,
        obj=testimony,
        revision=review.revision,
        data={"review": review.pk},
    )
    return review


def _cancel_pending_reviews(testimony: Testimony) -> None:
    testimony.reviews.filter(decision=Review.Decision.PENDING).update(
        decision=Review.Decision.CANCELLED, decided_at=timezone.now()
    )


def end_for_erasure(testimony: Testimony, *, at: datetime) -> None:
    """An erasure's part of the workflow: withdrawn for good, nothing live, whatever the
    status was. The erasure (archive/publishing/consent_changes.py) holds the lock, has
    checked permission and writes the audit entry; it blanks the content after this."""
    _cancel_pending_reviews(testimony)
    _move(
        testimony,
        allowed_from=Status.values,
        status=Status.WITHDRAWN,
        live_revision=None,
        withdrawn_at=at,
        erased_at=at,
    )


def restore_imported_state(
    testimony: Testimony, *, state: dict[str, Any], live_revision: Revision | None
) -> None:
    """A testimony brought in from a bag (archive/preservation/bag_import.py) takes the
    workflow state its archive had left it in: status, live revision and their dates, as
    preserved. Its approvals were made there and come with it (its reviews and audit
    entries). Only a draft the import has just created moves, inside the import's
    transaction."""
    unknown = set(state) - {*WORKFLOW_FIELDS, "created_at", "updated_at"}
    if unknown:
        raise WorkflowError(f"An import cannot set {', '.join(sorted(unknown))}.")
    moved = Testimony.objects.filter(
        pk=testimony.pk, status=Status.DRAFT, live_revision__isnull=True
    ).update(**state, live_revision=live_revision)
    if moved != 1:
        raise WorkflowError("Only a testimony the import has just created takes its state.")


def take_offline(testimony: Testimony, *, actor: User, reason: str, action: str) -> None:
    """Off every public surface before this returns. The caller holds the lock and has
    checked permission (withdraw here, or a narrator's withdrawal of consent)."""
    _cancel_pending_reviews(testimony)
    _move(
        testimony,
        allowed_from=[s for s in Status.values if s != Status.WITHDRAWN],
        status=Status.WITHDRAWN,
        live_revision=None,
        withdrawn_at=timezone.now(),
    )
    record_audit(action, actor=actor, obj=testimony, data={"reason": reason})
    disclosure_changed([testimony.pk])


# The reason such a withdrawal logs: it names no name (the log outlives an erasure).
GUARD_WITHDRAWAL_REASON = (
    "what the narrator allows to be named narrowed and the published text names them: "
    "it returns only through a new approval, past the pseudonym guard"
)


def _revisions_served(testimony: Testimony) -> list[Revision]:
    """The revisions the public gets or is about to get: the live one, and an approved one
    waiting for its time."""
    revisions = [testimony.live_revision] if testimony.live_revision is not None else []
    if testimony.status == Status.SCHEDULED:
        review = (
            testimony.reviews.filter(decision=Review.Decision.APPROVED)
            .select_related("revision")
            .order_by("-decided_at")
            .first()
        )
        if review is not None:
            revisions.append(review.revision)
    return revisions


def guard_published_texts(testimony_ids: Iterable[int], *, actor: User) -> list[int]:
    """Run the pseudonym guard again over what is public (or scheduled) of these
    testimonies, after a change that may have widened what must not be named (how the
    narrator is named, their identity, their consent to name disclosure). Any whose text
    names them is taken off every public surface before this returns, like a withdrawal,
    and comes back only through a new approval, which meets the guard. The caller holds
    the transaction and the permission for the change itself. Returns the ids taken off."""
    offline = []
    for pk in sorted(set(testimony_ids)):
        testimony = _lock(Testimony(pk=pk))
        if testimony.erased_at is not None or testimony.status == Status.WITHDRAWN:
            continue
        if any(real_name_findings(testimony, r.snapshot) for r in _revisions_served(testimony)):
            take_offline(
                testimony,
                actor=actor,
                reason=GUARD_WITHDRAWAL_REASON,
                action="publishing.pseudonym_guard_withdraw",
            )
            offline.append(pk)
    return offline


@transaction.atomic
def withdraw(testimony: Testimony, *, actor: User, reason: str) -> None:
    """Unpublish a testimony (the public, researchers, the index and harvesters lose it)."""
    if not reason.strip():
        raise WorkflowError("Give the reason for withdrawing this testimony.")
    testimony = _lock(testimony)
    _require(permissions.can_withdraw(actor, testimony))
    take_offline(testimony, actor=actor, reason=reason.strip(), action="publishing.withdraw")


@transaction.atomic
def republish(testimony: Testimony, *, actor: User, comment: str = "") -> Review:
    """Bring a withdrawn testimony back into review; another person must approve it."""
    testimony = _lock(testimony)
    _require(permissions.can_republish(actor, testimony))
    review = _open_review(testimony, actor=actor, comment=comment, action="publishing.republish")
    _move(testimony, allowed_from=[Status.WITHDRAWN], status=Status.IN_REVIEW, withdrawn_at=None)
    return review


@transaction.atomic
@transaction.atomic
def claim_edit(testimony: Testimony, *, actor: User, version: int | None) -> None:
    """Take the next version of the testimony for an edit its editor made on `version`
    (the one their form was opened on), or raise StaleEdit if someone saved it since.

    Call it inside the transaction that saves the edit, before anything is written: the
    conditional UPDATE is the race-safe check (of two editors of one version exactly one
    gets a row count of 1; on PostgreSQL the second waits for the first's commit and then
    matches nothing), and it holds the row until that commit. The workflow's own columns
    are read afresh then, so that saving the edited object cannot put back a status that
    an approval changed after the form was loaded.
    """
    _require(permissions.can_edit(actor, testimony))
    if version is None:  # a form that never carried one
        raise StaleEdit()
    claimed = Testimony.objects.filter(
        pk=testimony.pk, version=version, erased_at__isnull=True
    ).update(version=F("version") + 1)
    if claimed != 1:
        raise StaleEdit()
    testimony.refresh_from_db(fields=["version", *WORKFLOW_FIELDS])


def record_edit(testimony: Testimony, *, actor: User, fields: list[str]) -> None:
    """Log an edit of the working copy. A published testimony whose content now differs
    from its live revision becomes "published, changes pending": the public keeps the
    approved revision until a new one is approved."""
    _require(permissions.can_edit(actor, testimony))
    testimony = _lock(testimony)
    live = testimony.live_revision
    if (
        testimony.status == Status.PUBLISHED
        and live is not None
        and build_snapshot(testimony) != live.snapshot
    ):
        _move(testimony, allowed_from=[Status.PUBLISHED], status=Status.DRAFT)
    record_audit("testimonies.edit", actor=actor, obj=testimony, data={"fields": sorted(fields)})


def publish_due(*, now: datetime | None = None, dry_run: bool = False) -> list[Testimony]:
    """Put approved, scheduled testimonies whose time has come live. Idempotent."""
    now = now or timezone.now()
    due = []
    candidates = Testimony.objects.filter(status=Status.SCHEDULED).order_by("pk")
    for candidate in candidates:
        review = (
            candidate.reviews.filter(decision=Review.Decision.APPROVED)
            .select_related("revision")
            .order_by("-decided_at")
            .first()
        )
        if review is None or (review.publish_at and review.publish_at > now):
            continue
        due.append(candidate)
        if dry_run:
            continue
        with transaction.atomic():
            testimony = _lock(candidate)
            if testimony.status != Status.SCHEDULED:
                continue
            _go_live(testimony, review.revision, allowed_from=[Status.SCHEDULED])
            record_audit(
                "publishing.publish_scheduled", actor=None, obj=testimony, revision=review.revision
            )
    return due
