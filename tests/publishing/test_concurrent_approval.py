"""Two moderators approve the same submission at the same moment: exactly one succeeds."""

import threading

import pytest
from django.db import connection, connections

from archive.accounts.roles import Role
from archive.audit.models import AuditEntry
from archive.lib.errors import WorkflowError
from archive.publishing import services
from archive.publishing.models import Review
from archive.testimonies.models import Testimony
from tests.factories import make_testimony, make_user, make_verified_consent


@pytest.mark.django_db(transaction=True)
def test_it_lets_exactly_one_of_two_simultaneous_approvals_through():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; CI runs the suite on PostgreSQL too")
    testimony = make_testimony(access_level="public")
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    review = services.submit_for_review(testimony, actor=make_user(role=Role.CONTRIBUTOR))
    moderators = [make_user(role=Role.MODERATOR) for _ in range(2)]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def approve_as(moderator) -> None:
        try:
            start.wait()
            services.approve(Review.objects.get(pk=review.pk), actor=moderator)
            outcomes.append("approved")
        except WorkflowError as error:
            outcomes.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve_as, args=(m,)) for m in moderators]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # The loser waited for the row lock, then found the review decided.
    assert sorted(outcomes) == ["This review was already decided (approved).", "approved"]
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.APPROVED
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED
    assert AuditEntry.objects.filter(action="publishing.approve").count() == 1
