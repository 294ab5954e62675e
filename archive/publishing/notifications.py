"""E-mail to the people a workflow step concerns. Called after commit, never inside it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse

from archive.accounts.models import User
from archive.publishing.models import Review


def _admin_link(review: Review) -> str:
    path = reverse("admin:testimonies_testimony_change", args=[review.testimony_id])
    return f"{settings.SITE_URL}{path}"


def reviewers() -> list[str]:
    """Addresses of everyone who may review: moderators, archivists and superusers."""
    may_review = Q(groups__permissions__codename="review_testimony") | Q(
        user_permissions__codename="review_testimony"
    )
    users = User.objects.filter(Q(is_superuser=True) | may_review, is_active=True).exclude(email="")
    return sorted(set(users.values_list("email", flat=True)))


def notify_submitted(review_id: int) -> None:
    review = Review.objects.select_related("testimony", "submitted_by").get(pk=review_id)
    recipients = [email for email in reviewers() if email != review.submitted_by.email]
    if not recipients:
        return
    send_mail(
        subject=f"[{settings.SITE_NAME}] For review: {review.testimony.reference}",
        message=(
            f"{review.submitted_by.get_username()} submitted {review.testimony.reference} "
            f"(revision {review.revision.number}) for review.\n\n"
            f"{review.submission_comment}\n\nReview it: {_admin_link(review)}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def notify_decided(review_id: int) -> None:
    review = Review.objects.select_related("testimony", "submitted_by", "decided_by").get(
        pk=review_id
    )
    if not review.submitted_by.email:
        return
    verdict = {
        Review.Decision.APPROVED: "approved",
        Review.Decision.CHANGES_REQUESTED: "sent back with a request for changes",
    }[Review.Decision(review.decision)]
    decided_by = review.decided_by.get_username() if review.decided_by else "a moderator"
    send_mail(
        subject=f"[{settings.SITE_NAME}] {review.testimony.reference} {verdict}",
        message=(
            f"{decided_by} {verdict} your submission of {review.testimony.reference} "
            f"(revision {review.revision.number}).\n\n{review.comment}\n\n{_admin_link(review)}\n"
        ),
        from_email=None,
        recipient_list=[review.submitted_by.email],
    )
