"""Who may do what to a testimony, with the reason in words when they may not.

Services check these before acting; the admin uses them to decide which buttons to show.
"""

from dataclasses import dataclass

from archive.accounts.models import User
from archive.publishing.models import Review
from archive.testimonies.models import Narrator, Testimony

Status = Testimony.Status


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def refuse(reason: str) -> Decision:
    return Decision(False, reason)


def can_edit(user: User, testimony: Testimony) -> Decision:
    if not user.has_perm("testimonies.change_testimony"):
        return refuse("You may not edit testimonies.")
    if testimony.erased_at is not None:
        return refuse("This testimony was erased at the narrator's request.")
    return ALLOWED


def can_submit(user: User, testimony: Testimony) -> Decision:
    if not (decision := can_edit(user, testimony)):
        return decision
    if testimony.status not in (Status.DRAFT, Status.CHANGES_REQUESTED):
        return refuse(
            f"A testimony that is {testimony.get_status_display().lower()} cannot be submitted."
        )
    return ALLOWED


def can_decide(user: User, review: Review) -> Decision:
    """Approving and sending back: a reviewer who is not the submitter (superusers included)."""
    if not user.has_perm("testimonies.review_testimony"):
        return refuse("You may not review testimonies.")
    if review.decision != Review.Decision.PENDING:
        return refuse(f"This review was already decided ({review.get_decision_display().lower()}).")
    if review.submitted_by_id == user.pk:
        return refuse("Nobody may review their own submission: another moderator must decide.")
    return ALLOWED


def can_approve(user: User, review: Review) -> Decision:
    if not user.has_perm("testimonies.publish_testimony"):
        return refuse("You may not publish testimonies.")
    return can_decide(user, review)


def can_withdraw(user: User, testimony: Testimony) -> Decision:
    if not user.has_perm("testimonies.withdraw_testimony"):
        return refuse("You may not withdraw testimonies.")
    if testimony.live_revision_id is None and testimony.status != Status.SCHEDULED:
        return refuse("Only a published or scheduled testimony can be withdrawn.")
    return ALLOWED


def can_republish(user: User, testimony: Testimony) -> Decision:
    if not user.has_perm("testimonies.withdraw_testimony"):
        return refuse("You may not bring withdrawn testimonies back.")
    if testimony.status != Status.WITHDRAWN:
        return refuse("Only a withdrawn testimony can be sent back into review.")
    if testimony.erased_at is not None:
        return refuse("This testimony was erased at the narrator's request.")
    return ALLOWED


def can_override_pseudonym_guard(user: User) -> Decision:
    if not user.has_perm("publishing.override_pseudonym_guard"):
        return refuse("Only an archivist may publish despite the pseudonym guard.")
    return ALLOWED


# How a narrator asked to be named is consent: archivists record it, another verifies it.
NAMING_PERMISSION = "testimonies.change_narratoridentity"
NAMING_VERIFY_PERMISSION = "consent.verify_consentrecord"


def can_record_naming(user: User) -> Decision:
    if not user.has_perm(NAMING_PERMISSION):
        return refuse("Only an archivist may record how a narrator asked to be named.")
    return ALLOWED


def can_verify_naming(user: User, narrator: Narrator) -> Decision:
    if not user.has_perm(NAMING_VERIFY_PERMISSION):
        return refuse("Only an archivist may verify how a narrator asked to be named.")
    if narrator.naming_verified:
        return refuse("How this narrator asked to be named is already verified.")
    if narrator.naming_recorded_by_id == user.pk:
        return refuse(
            "You recorded how this narrator asked to be named; another archivist must "
            "verify it (four eyes)."
        )
    return ALLOWED
