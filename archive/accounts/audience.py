"""Who may see what: the audiences the disclosure policy (archive/consent/policy.py) answers
in, and which one a person belongs to. It lives with the accounts because it is a question
about a person, and so that the catalogue, the policy and every output can ask it without
importing each other."""

from enum import IntEnum
from typing import Any

from archive.accounts.access import has_research_access, has_staff_reach

# A permission granted by hand that makes an account a researcher, without an access request.
RESEARCH_PERMISSION = "accounts.access_research_material"


class Audience(IntEnum):
    """Who may see something, from the widest to nobody at all. A viewer of audience V sees a
    part whose audience is A when A <= V."""

    PUBLIC = 0
    RESEARCHERS = 1
    STAFF = 2
    NOBODY = 3

    @property
    def label(self) -> str:
        return {0: "public", 1: "researchers", 2: "staff", 3: "nobody"}[self.value]


def audience_of(user: Any) -> Audience:
    """The widest audience a person belongs to."""
    if user is None or not user.is_authenticated or not user.is_active:
        return Audience.PUBLIC
    if user.is_staff and not has_staff_reach(user):
        # A staff session without its second factor (or an API token) reaches no further
        # than a plain account: permissions, a superuser's included, wait for the code.
        return Audience.RESEARCHERS if has_research_access(user) else Audience.PUBLIC
    if user.is_staff and (user.is_superuser or user.has_perm("testimonies.view_testimony")):
        return Audience.STAFF
    # Approved researchers: an access request in force (archive/accounts/access.py), or the
    # permission granted by hand.
    if user.has_perm(RESEARCH_PERMISSION) or has_research_access(user):
        return Audience.RESEARCHERS
    return Audience.PUBLIC
