"""A generated corpus put in place in the workflow in bulk (generate_corpus): the one other
code, beside services.py, that changes a testimony's workflow status. It checks no
permission and sends nothing; place_generated_in_workflow's docstring says why."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from archive.accounts.models import User
from archive.audit.log import record_audit_in_bulk
from archive.lib.errors import WorkflowError
from archive.publishing.models import Review, Revision
from archive.testimonies.models import Testimony
from archive.testimonies.snapshot_types import Snapshot

Status = Testimony.Status


@dataclass(frozen=True)
class GeneratedPlacement:
    """Where a testimony that a generator has just made (a draft never submitted) is to
    stand in the workflow, and what the workflow would have left on the way."""

    testimony: Testimony
    status: str
    content: Snapshot | None = None
    """Revision 1, the snapshot the workflow would have frozen (compose_snapshot); none for
    a draft."""
    published_at: datetime | None = None
    """When it went live: a published or withdrawn testimony."""
    withdrawn_at: datetime | None = None
    comment: str = ""
    """What the moderator asked for: changes requested."""
    publish_at: datetime | None = None
    """When it goes live: an approved, scheduled testimony."""


# What a placement at each status must give, and nothing more.
_PLACEMENT_NEEDS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset(),
    Status.IN_REVIEW: frozenset({"content"}),
    Status.CHANGES_REQUESTED: frozenset({"content", "comment"}),
    Status.SCHEDULED: frozenset({"content", "publish_at"}),
    Status.PUBLISHED: frozenset({"content", "published_at"}),
    Status.WITHDRAWN: frozenset({"content", "published_at", "withdrawn_at"}),
}
_PLACEMENT_DECISIONS: dict[str, str] = {
    Status.IN_REVIEW: Review.Decision.PENDING,
    Status.CHANGES_REQUESTED: Review.Decision.CHANGES_REQUESTED,
}


def _placement_problem(placement: GeneratedPlacement) -> str:
    needs = _PLACEMENT_NEEDS.get(placement.status)
    if needs is None:
        return f"{placement.status!r} is not a workflow status"
    given = {
        part
        for part in ("content", "published_at", "withdrawn_at", "comment", "publish_at")
        if getattr(placement, part) not in (None, "")
    }
    if given != needs:
        wanted, got = (", ".join(sorted(parts)) or "nothing" for parts in (needs, given))
        return f"{placement.status} takes {wanted}, not {got}"
    testimony = placement.testimony
    if testimony.pk is None or testimony.status != Status.DRAFT or testimony.live_revision_id:
        return "only a saved draft that was never submitted can be placed"
    return ""


@transaction.atomic
def place_generated_in_workflow(
    placements: Sequence[GeneratedPlacement], *, actor: User, submitted_by: User
) -> None:
    """Put testimonies that a generator has just made (generate_corpus) where the workflow
    would have left them, in bulk: for each past draft, revision 1 and its review (submitted
    by `submitted_by`, decided by `actor`), then status, live revision, published_at and
    withdrawn_at as submit_for_review, approve, request_changes and withdraw set them, and
    an audit entry per testimony, in a constant number of queries.

    For synthetic content only: it checks no permission (the generator's accounts hold no
    role and cannot sign in), no consent and no pseudonym guard, stores no disclosure and
    indexes nothing; the generator writes consistent consent and stores the disclosures of
    the rows it has just made. Refuses, writing nothing, a placement that does not fit its
    status, a testimony that is not a draft that was never submitted (checked on the locked
    rows, so a concurrent change is not overwritten), and a submitter deciding their own
    submission. Sets the workflow fields on the given testimony objects too.
    """
    if actor.pk == submitted_by.pk:
        raise WorkflowError(
            "Nobody may review their own submission: another moderator must decide."
        )
    for placement in placements:
        if problem := _placement_problem(placement):
            raise WorkflowError(f"Testimony {placement.testimony.pk}: {problem}.")
    moving = [placement for placement in placements if placement.status != Status.DRAFT]
    ids = [placement.testimony.pk for placement in moving]
    if len(set(ids)) != len(ids):
        raise WorkflowError("A testimony can be placed only once.")
    fresh = Testimony.objects.select_for_update().filter(
        pk__in=ids, status=Status.DRAFT, live_revision__isnull=True
    )
    if set(fresh.values_list("pk", flat=True)) != set(ids) or (
        Revision.objects.filter(testimony_id__in=ids).exists()
    ):
        raise WorkflowError(
            "Only drafts that were never submitted can be placed: one changed a moment ago."
        )
    revisions = Revision.objects.bulk_create(
        Revision(
            testimony=placement.testimony,
            number=1,
            content=placement.content,
            created_by=submitted_by,
        )
        for placement in moving
    )
    now = timezone.now()
    reviews = []
    for placement, revision in zip(moving, revisions, strict=True):
        decision = _PLACEMENT_DECISIONS.get(placement.status, Review.Decision.APPROVED)
        decided = decision != Review.Decision.PENDING
        reviews.append(
            Review(
                testimony=placement.testimony,
                revision=revision,
                submitted_by=submitted_by,
                decision=decision,
                decided_by=actor if decided else None,
                decided_at=(placement.published_at or now) if decided else None,
                comment=placement.comment,
                publish_at=placement.publish_at,
            )
        )
        testimony = placement.testimony
        testimony.status = placement.status
        testimony.live_revision = revision if placement.status == Status.PUBLISHED else None
        testimony.published_at = placement.published_at
        testimony.withdrawn_at = placement.withdrawn_at
    Review.objects.bulk_create(reviews)
    _write_generated_placements(moving)
    record_audit_in_bulk(
        "publishing.place_generated",
        actor=actor,
        entries=(
            (
                review.testimony,
                review.revision,
                {"review": review.pk, "status": review.testimony.status},
            )
            for review in reviews
        ),
    )


def _write_generated_placements(moving: list[GeneratedPlacement]) -> None:
    # A few UPDATEs per status rather than bulk_update, whose CASE per row and field costs
    # more than the rest of a corpus batch: live_revision and published_at come from the
    # rows just written (revision 1, and its approval, decided when it went live).
    ids_by_status: dict[str, list[int]] = {}
    for placement in moving:
        ids_by_status.setdefault(placement.status, []).append(placement.testimony.pk)
    revision_1 = Revision.objects.filter(testimony=OuterRef("pk"), number=1)
    approval = Review.objects.filter(testimony=OuterRef("pk"), decision=Review.Decision.APPROVED)
    went_live = {"published_at": Subquery(approval.values("decided_at")[:1])}
    for status, ids in ids_by_status.items():
        fields: dict[str, Any] = {"status": status}
        if status == Status.PUBLISHED:
            fields |= went_live | {"live_revision": Subquery(revision_1.values("pk")[:1])}
        elif status == Status.WITHDRAWN:
            fields |= went_live
        Testimony.objects.filter(pk__in=ids).update(**fields)
    withdrawn = [placement.testimony for placement in moving if placement.withdrawn_at]
    Testimony.objects.bulk_update(withdrawn, ["withdrawn_at"])
