"""place_generated_in_workflow: generated drafts put where the workflow would have left them,
in bulk, and refused when they are not fresh drafts or the placement does not fit."""

from datetime import UTC, datetime
from typing import Any

import pytest

from archive.audit.models import AuditEntry
from archive.lib.errors import WorkflowError
from archive.publishing.generated import GeneratedPlacement, place_generated_in_workflow
from archive.publishing.models import Review, Revision
from archive.publishing.services import approve, submit_for_review
from archive.publishing.snapshots import build_snapshot
from archive.testimonies.models import Testimony
from tests.factories import make_testimony, make_verified_consent

pytestmark = pytest.mark.django_db
Status = Testimony.Status

WENT_LIVE = datetime(2024, 3, 1, 12, tzinfo=UTC)
WITHDRAWN = datetime(2024, 6, 1, 12, tzinfo=UTC)
PUBLISH_AT = datetime(2031, 1, 1, 12, tzinfo=UTC)


def placement(status: str, **fields) -> GeneratedPlacement:
    testimony = fields.pop("testimony", None) or make_testimony(access_level="public")
    parts: dict[str, dict[str, Any]] = {
        Status.DRAFT: {},
        Status.IN_REVIEW: {"content": build_snapshot(testimony)},
        Status.CHANGES_REQUESTED: {"content": build_snapshot(testimony), "comment": "Dates?"},
        Status.SCHEDULED: {"content": build_snapshot(testimony), "publish_at": PUBLISH_AT},
        Status.PUBLISHED: {"content": build_snapshot(testimony), "published_at": WENT_LIVE},
        Status.WITHDRAWN: {
            "content": build_snapshot(testimony),
            "published_at": WENT_LIVE,
            "withdrawn_at": WITHDRAWN,
        },
    }
    return GeneratedPlacement(
        testimony=testimony, status=status, **{**parts.get(status, {}), **fields}
    )


def test_it_publishes_as_approve_would(contributor, moderator):
    generated = placement(Status.PUBLISHED)
    place_generated_in_workflow([generated], actor=moderator, submitted_by=contributor)

    approved = make_testimony(access_level="public")
    make_verified_consent(narrator=approved.narrator, testimonies=[approved])
    approve(submit_for_review(approved, actor=contributor), actor=moderator)

    for testimony in (generated.testimony, approved):
        testimony = Testimony.objects.get(pk=testimony.pk)
        assert testimony.status == Status.PUBLISHED
        assert testimony.live_revision is not None
        assert testimony.live_revision.number == 1
        assert testimony.live_revision.content == build_snapshot(testimony)
        assert testimony.published_at is not None
        assert testimony.withdrawn_at is None
        review = Review.objects.get(testimony=testimony)
        assert review.revision == testimony.live_revision
        assert (review.submitted_by, review.decided_by) == (contributor, moderator)
        assert review.decision == Review.Decision.APPROVED
    testimony = Testimony.objects.get(pk=generated.testimony.pk)
    assert testimony.published_at == WENT_LIVE
    assert Review.objects.get(testimony=testimony).decided_at == WENT_LIVE


def test_it_places_every_status_with_its_review_in_one_call(contributor, moderator):
    statuses = [
        Status.DRAFT,
        Status.IN_REVIEW,
        Status.CHANGES_REQUESTED,
        Status.SCHEDULED,
        Status.PUBLISHED,
        Status.WITHDRAWN,
    ]
    placements = [placement(status) for status in statuses]
    place_generated_in_workflow(placements, actor=moderator, submitted_by=contributor)

    rows = {t.pk: t for t in Testimony.objects.filter(pk__in=[p.testimony.pk for p in placements])}
    for generated in placements:
        testimony = rows[generated.testimony.pk]
        assert testimony.status == generated.status
        # The objects passed in are brought up to date too (the corpus reads them next).
        assert generated.testimony.status == generated.status
        assert testimony.live_revision_id == generated.testimony.live_revision_id
        assert testimony.published_at == generated.published_at
        assert testimony.withdrawn_at == generated.withdrawn_at
    decisions = dict(Review.objects.values_list("testimony__status", "decision"))
    assert decisions == {
        Status.IN_REVIEW: Review.Decision.PENDING,
        Status.CHANGES_REQUESTED: Review.Decision.CHANGES_REQUESTED,
        Status.SCHEDULED: Review.Decision.APPROVED,
        Status.PUBLISHED: Review.Decision.APPROVED,
        Status.WITHDRAWN: Review.Decision.APPROVED,
    }
    assert Review.objects.get(decision=Review.Decision.CHANGES_REQUESTED).comment == "Dates?"
    assert Review.objects.get(testimony__status=Status.SCHEDULED).publish_at == PUBLISH_AT
    assert Review.objects.get(decision=Review.Decision.PENDING).decided_by is None
    live = [t.status for t in rows.values() if t.live_revision_id]
    assert live == [Status.PUBLISHED]
    assert not Revision.objects.filter(testimony=placements[0].testimony).exists()
    entries = AuditEntry.objects.filter(action="publishing.place_generated")
    assert sorted(entries.values_list("data__status", flat=True)) == sorted(statuses[1:])
    assert {entry.actor for entry in entries} == {moderator}


def test_it_takes_a_constant_number_of_queries(
    contributor, moderator, django_assert_max_num_queries
):
    placements = [placement(Status.PUBLISHED) for _ in range(20)]
    placements += [placement(Status.WITHDRAWN) for _ in range(5)]
    with django_assert_max_num_queries(12):
        place_generated_in_workflow(placements, actor=moderator, submitted_by=contributor)


def refused(placements, *, actor, submitted_by, match: str) -> None:
    with pytest.raises(WorkflowError, match=match):
        place_generated_in_workflow(placements, actor=actor, submitted_by=submitted_by)
    assert not Revision.objects.exists()
    assert not Review.objects.exists()
    assert not AuditEntry.objects.filter(action="publishing.place_generated").exists()


def test_it_refuses_a_submitter_deciding_their_own_submission(moderator):
    refused([placement(Status.PUBLISHED)], actor=moderator, submitted_by=moderator, match="own")


@pytest.mark.parametrize(
    ("status", "fields", "match"),
    [
        ("erased", {}, "not a workflow status"),
        (Status.PUBLISHED, {"published_at": None}, "takes content, published_at"),
        (Status.IN_REVIEW, {"content": None}, "takes content, not nothing"),
        (Status.DRAFT, {"published_at": WENT_LIVE}, "takes nothing"),
        (Status.CHANGES_REQUESTED, {"comment": ""}, "takes comment, content"),
        (Status.PUBLISHED, {"withdrawn_at": WITHDRAWN}, "not content, published_at, withdrawn"),
    ],
)
def test_it_refuses_a_placement_that_does_not_fit_its_status(
    contributor, moderator, status, fields, match
):
    good = placement(Status.PUBLISHED)
    refused(
        [good, placement(status, **fields)], actor=moderator, submitted_by=contributor, match=match
    )
    assert Testimony.objects.get(pk=good.testimony.pk).status == Status.DRAFT


def test_it_refuses_a_testimony_that_went_through_the_workflow(contributor, moderator):
    testimony = make_testimony(access_level="public")
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    review = submit_for_review(testimony, actor=contributor)
    approve(review, actor=moderator)
    stale = Testimony.objects.get(pk=testimony.pk)
    stale.status, stale.live_revision = Status.DRAFT, None  # as read before it was submitted
    with pytest.raises(WorkflowError, match="never submitted"):
        place_generated_in_workflow(
            [placement(Status.PUBLISHED, testimony=stale)],
            actor=moderator,
            submitted_by=contributor,
        )
    assert Revision.objects.filter(testimony=testimony).count() == 1


def test_it_refuses_a_testimony_placed_twice(contributor, moderator):
    generated = placement(Status.PUBLISHED)
    refused([generated, generated], actor=moderator, submitted_by=contributor, match="only once")


def test_it_refuses_an_unsaved_testimony(contributor, moderator):
    unsaved = Testimony(title="Not saved")
    content = build_snapshot(make_testimony())
    refused(
        [GeneratedPlacement(testimony=unsaved, status=Status.IN_REVIEW, content=content)],
        actor=moderator,
        submitted_by=contributor,
        match="saved draft",
    )
