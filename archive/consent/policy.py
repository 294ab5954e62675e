"""THE disclosure policy: what of a testimony each audience may see.

Every output (pages, search documents and their filtering, API, OAI-PMH, sitemap, exports,
media files) asks `disclosure_for(testimony)` or reads its stored result through
`Testimony.objects.visible_to(user)`. Nothing else decides visibility.

The rules, most restrictive first (each can only narrow what the ones after it allow):

1. An erased testimony shows nothing to anybody (only its tombstone).
2. Outside staff, only a live testimony is shown: one with an approved revision that has not
   been withdrawn.
3. A consent withdrawn with the scope "restrict" or "erase" restricts it to staff; one
   withdrawn with the scope "unpublish" takes it off every public surface (approved
   researchers keep access).
4. Without a verified consent covering the testimony, it stays with staff.
5. Every consent record that counts restricts at once, verified or not; something is granted
   only when every counting record grants it and at least one of them is verified. A record
   stops counting when a verified record supersedes it (a renewed form). Without consent to
   archive or to researcher access, staff only; during an embargo, staff only.
6. The access level (public / researchers / staff), the more restrictive of the live
   revision's and the working copy's, caps every part.
7. Each part needs its own consent to be public (metadata, transcript, audio, video, images,
   documents); without it, researchers at most. A part is never more open than the metadata.
8. The name shown is the one frozen in the live revision (approved with it), and only while
   the narrator's current, verified choice still yields that same name: a change narrows at
   once ("Narrator N"), and a widening waits for a second archivist's verification and a new
   approval. A revision approved before names were frozen shows "Narrator N" until the
   testimony is approved again.
9. A narrator who chose to be named (full name, given name + initial) is named only where the
   consent allows name disclosure; a name that is not disclosed is shown to nobody outside
   the admin (real names stay with archivists), everyone sees "Narrator N". Pseudonyms and
   anonymous attributions are shown wherever the metadata is.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from django.db.models import Q
from django.utils import timezone

from archive.accounts.access import research_access_between
from archive.accounts.audience import Audience, audience_of
from archive.testimonies.models import AccessLevel, MediaAsset, Narrator, Testimony
from archive.testimonies.snapshot_types import (
    DisclosedContent,
    FrozenNarrator,
    Snapshot,
    named_content,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from archive.accounts.models import User
    from archive.consent.models import ConsentRecord


ACCESS_LEVEL_AUDIENCE = {
    AccessLevel.PUBLIC: Audience.PUBLIC,
    AccessLevel.RESEARCHERS: Audience.RESEARCHERS,
    AccessLevel.STAFF: Audience.STAFF,
}

MEDIA_PARTS = {
    MediaAsset.Kind.AUDIO: "audio",
    MediaAsset.Kind.VIDEO: "video",
    MediaAsset.Kind.IMAGE: "images",
    MediaAsset.Kind.DOCUMENT: "documents",
}

# Consent flags that make each part public.
PART_CONSENT = {
    "metadata": ("allows_public_metadata", "metadata"),
    "transcripts": ("allows_public_transcript", "transcript"),
    "audio": ("allows_public_audio", "audio"),
    "video": ("allows_public_video", "video"),
    "images": ("allows_public_images", "images"),
    "documents": ("allows_public_documents", "documents"),
}

PARTS = ("metadata", "summary", "transcripts", "audio", "video", "images", "documents", "name")

# Restrictions that stop a testimony from being approved at all.
BLOCKING = frozenset(
    {"erased", "consent_withdrawn", "no_consent", "unverified_consent", "no_archiving"}
)


@dataclass(frozen=True)
class Restriction:
    code: str
    message: str


# Who may find a testimony, in the words the search facet and the API use.
AccessLabel = Literal["public", "researchers"]


@dataclass(frozen=True)
class Disclosure:
    """For each part, the widest audience that may see it; and the narrator's names."""

    metadata: Audience
    summary: Audience
    transcripts: Audience
    audio: Audience
    video: Audience
    images: Audience
    documents: Audience
    name: Audience
    attributed_name: str
    anonymous_name: str
    attribution: str
    quotation_allowed: bool = False
    restrictions: tuple[Restriction, ...] = field(default=())

    def allows(self, part: str, audience: Audience) -> bool:
        return bool(getattr(self, part) <= audience)

    @property
    def access(self) -> AccessLabel:
        """Who may find the testimony, as the search facet and the API name it."""
        return "public" if self.metadata == Audience.PUBLIC else "researchers"

    def name_for(self, audience: Audience) -> str:
        # A name kept from outsiders is kept from staff pages too: contributors and
        # moderators are staff, and real names stay with archivists (in the admin).
        if self.name <= audience and self.name < Audience.STAFF:
            return self.attributed_name
        return self.anonymous_name

    def media_audience(self, kind: str, access_level: str) -> Audience:
        """A file is as restricted as its kind and its own access level, whichever is more."""
        return max(
            getattr(self, MEDIA_PARTS[MediaAsset.Kind(kind)]),
            ACCESS_LEVEL_AUDIENCE[AccessLevel(access_level)],
        )

    @property
    def blockers(self) -> list[str]:
        return [r.message for r in self.restrictions if r.code in BLOCKING]

    def summary_line(self) -> str:
        """In words, for staff: "Metadata: public · Transcript: researchers · Name: …"."""
        parts = [
            ("Metadata", self.metadata),
            ("Transcript", self.transcripts),
            ("Audio", self.audio),
            ("Video", self.video),
            ("Images", self.images),
            ("Documents", self.documents),
        ]
        words = [f"{label}: {audience.label}" for label, audience in parts]
        if self.attribution == Narrator.Attribution.PSEUDONYM:
            words.append(f"Name: pseudonym ‘{self.attributed_name}’ ({self.name.label})")
        elif self.attribution == Narrator.Attribution.ANONYMOUS:
            words.append(f"Name: anonymous ‘{self.anonymous_name}’ ({self.name.label})")
        else:
            # Not the name itself: moderators and contributors read this line.
            kind = Narrator.Attribution(self.attribution).label.lower()
            words.append(f"Name: {kind} ({self.name.label})")
        return " · ".join(words)


def _consents_of(testimony: Testimony) -> list["ConsentRecord"]:
    # Uses prefetched records when the caller loaded them (lists, bulk refresh).
    return list(testimony.consent_records.all())


def _withdrawn_to_staff(record: "ConsentRecord") -> bool:
    return record.is_withdrawn and record.withdrawal_scope != "unpublish"


@dataclass(frozen=True)
class StandingConsent:
    """What the consent records of a testimony allow together.

    Every record that counts restricts at once, verified or not (a narrator's new, narrower
    form applies the moment it is entered); a grant needs at least one verified record, and
    a record stops counting only when a verified record supersedes it.
    """

    records: tuple["ConsentRecord", ...]

    @property
    def verified(self) -> bool:
        return any(record.is_verified for record in self.records)

    def grants(self, flag: str) -> bool:
        return self.verified and all(getattr(record, flag) for record in self.records)

    @property
    def embargo_until(self) -> date | None:
        return max((r.embargo_until for r in self.records if r.embargo_until), default=None)


def standing_consent(records: Iterable["ConsentRecord"]) -> StandingConsent:
    records = list(records)
    superseded = {r.supersedes_id for r in records if r.is_verified and r.supersedes_id}
    counted = [r for r in records if r.pk not in superseded and not _withdrawn_to_staff(r)]
    return StandingConsent(tuple(counted))


def effective_access_level(testimony: Testimony) -> AccessLevel:
    """The more restrictive of the working copy's and the live revision's access level, so a
    restriction applies at once while a widening waits for approval."""
    levels = [AccessLevel(testimony.access_level)]
    if testimony.live_revision is not None:
        levels.append(AccessLevel(testimony.live_revision.snapshot["access_level"]))
    return max(levels, key=lambda level: ACCESS_LEVEL_AUDIENCE[level])


@dataclass(frozen=True)
class ShownNaming:
    """How the narrator is named to outsiders: an attribution and its name."""

    attribution: str
    name: str
    anonymous_name: str


def shown_naming(
    narrator: Narrator, content: Snapshot | None
) -> tuple[ShownNaming, Restriction | None]:
    """The name frozen in `content` (a revision's), while the narrator's current, verified
    choice still yields exactly it; otherwise the anonymous form, with the reason."""
    anonymous = ShownNaming(
        Narrator.Attribution.ANONYMOUS, narrator.anonymous_name, narrator.anonymous_name
    )
    frozen = content.get("narrator") if content is not None else None
    current: FrozenNarrator = {
        "id": narrator.pk,
        "attribution": narrator.attribution,
        "name": narrator.attributed_name,
    }
    if frozen is not None and frozen == current and narrator.naming_verified:
        return ShownNaming(frozen["attribution"], frozen["name"], narrator.anonymous_name), None
    if narrator.attribution == Narrator.Attribution.ANONYMOUS:
        return anonymous, None
    if not narrator.naming_verified:
        reason = Restriction(
            "name_unverified",
            "how the narrator asked to be named is not verified yet: outsiders see "
            f"“{narrator.anonymous_name}”",
        )
    elif content is not None and frozen is None:
        reason = Restriction(
            "name_not_approved",
            "the narrator's name is not part of the approved version: outsiders see "
            f"“{narrator.anonymous_name}” until it is approved again",
        )
    else:
        reason = Restriction(
            "name_changed",
            "the narrator's name differs from the approved one: outsiders see "
            f"“{narrator.anonymous_name}” until the change is approved",
        )
    return anonymous, reason


def disclosure_for(
    testimony: Testimony,
    *,
    consents: Iterable["ConsentRecord"] | None = None,
    today: date | None = None,
    assume_live: bool = False,
    content: Snapshot | None = None,
) -> Disclosure:
    """Compute the Disclosure of a testimony now (or on `today`).

    `assume_live` answers "what would the public see if this were approved now?", which the
    approval step uses to re-check consent; `content` is then the revision to approve (the
    name shown is the one it froze). Otherwise the name comes from the live revision.
    """
    today = today or timezone.localdate()
    records = list(consents) if consents is not None else _consents_of(testimony)
    narrator = testimony.narrator
    restrictions: list[Restriction] = []
    floor = Audience.PUBLIC

    def restrict(level: Audience, code: str, message: str) -> None:
        nonlocal floor
        floor = max(floor, level)
        restrictions.append(Restriction(code, message))

    if testimony.erased_at is not None:
        restrict(Audience.NOBODY, "erased", "erased at the narrator's request")
        nothing = dict.fromkeys(PARTS, Audience.NOBODY)
        naming, _ = shown_naming(narrator, None)
        return _disclosure(nothing, naming, quotation_allowed=False, restrictions=restrictions)
    if content is None and testimony.live_revision is not None:
        content = testimony.live_revision.snapshot
    naming, naming_restriction = shown_naming(narrator, content)

    is_live = testimony.live_revision_id is not None and testimony.status != (
        Testimony.Status.WITHDRAWN
    )
    if testimony.status == Testimony.Status.WITHDRAWN:
        restrict(Audience.STAFF, "withdrawn", "withdrawn from publication")
    elif not (is_live or assume_live):
        restrict(Audience.STAFF, "unpublished", "not published yet")

    superseded = {r.supersedes_id for r in records if r.is_verified and r.supersedes_id}
    if any(_withdrawn_to_staff(r) for r in records if r.pk not in superseded):
        restrict(Audience.STAFF, "consent_withdrawn", "the narrator withdrew consent")
    elif any(r.is_withdrawn for r in records if r.pk not in superseded):
        restrict(
            Audience.RESEARCHERS,
            "publication_withdrawn",
            "the narrator withdrew it from publication",
        )
    consent = standing_consent(records)
    if not consent.verified:
        if consent.records:
            restrict(Audience.STAFF, "unverified_consent", "consent is not verified yet")
        else:
            restrict(Audience.STAFF, "no_consent", "no verified consent covers this testimony")
    elif not consent.grants("allows_archiving"):
        restrict(Audience.STAFF, "no_archiving", "no consent to archive")
    elif not consent.grants("allows_researcher_access"):
        restrict(Audience.STAFF, "no_research", "no consent to researcher access")
    embargo = consent.embargo_until
    if embargo and embargo > today:
        restrict(Audience.STAFF, "embargo", f"embargoed until {embargo:%d %B %Y}")

    level = effective_access_level(testimony)
    if ACCESS_LEVEL_AUDIENCE[level] > Audience.PUBLIC:
        restrict(ACCESS_LEVEL_AUDIENCE[level], "access_level", f"access level: {level.label}")

    audiences: dict[str, Audience] = {}
    for part, (flag, words) in PART_CONSENT.items():
        allowed = consent.grants(flag)
        audiences[part] = max(floor, Audience.PUBLIC if allowed else Audience.RESEARCHERS)
        if not allowed and floor < Audience.RESEARCHERS:
            restrictions.append(
                Restriction(f"no_public_{part}", f"no consent to publish the {words}")
            )
    for part in ("transcripts", *MEDIA_PARTS.values()):
        audiences[part] = max(audiences[part], audiences["metadata"])
    audiences["summary"] = audiences["metadata"]

    if naming_restriction is not None:
        restrictions.append(naming_restriction)
    if naming.attribution in (
        Narrator.Attribution.FULL_NAME,
        Narrator.Attribution.GIVEN_NAME_INITIAL,
    ):
        named = consent.grants("allows_name_disclosure")
        audiences["name"] = max(audiences["metadata"], Audience.PUBLIC if named else Audience.STAFF)
        if not named and audiences["metadata"] < Audience.STAFF:
            restrictions.append(Restriction("no_name", "no consent to disclose the name"))
    else:
        audiences["name"] = audiences["metadata"]

    quotation_allowed = consent.grants("allows_quotation")
    return _disclosure(
        audiences, naming, quotation_allowed=quotation_allowed, restrictions=restrictions
    )


def _disclosure(
    audiences: dict[str, Audience],
    naming: ShownNaming,
    *,
    quotation_allowed: bool,
    restrictions: list[Restriction],
) -> Disclosure:
    return Disclosure(
        metadata=audiences["metadata"],
        summary=audiences["summary"],
        transcripts=audiences["transcripts"],
        audio=audiences["audio"],
        video=audiences["video"],
        images=audiences["images"],
        documents=audiences["documents"],
        name=audiences["name"],
        attributed_name=naming.name,
        anonymous_name=naming.anonymous_name,
        attribution=naming.attribution,
        quotation_allowed=quotation_allowed,
        restrictions=tuple(restrictions),
    )


def withdrawn_at_narrators_request(testimony: Testimony) -> bool:
    """What a tombstone may say of why: erasure is only ever at the narrator's request; a
    withdrawal is when a consent to it was withdrawn, and may otherwise be the archive's
    own decision. (Reads testimony.consent_records.all(), so callers can prefetch it.)"""
    return testimony.erased_at is not None or any(
        record.withdrawn_at is not None for record in testimony.consent_records.all()
    )


def tombstone_shown(
    testimony: Testimony, audience: Audience, reader: "User | AnonymousUser | None" = None
) -> bool:
    """Whether `audience` is told that this testimony was withdrawn: a tombstone (its
    reference and the day, nothing else) only for those who could once see it. The public
    hears of one that was once public; a researchers-only testimony was never the
    public's to know of, nor a staff-only one the researchers'. A researcher (`reader`)
    hears of a researchers-only one only if their own access was in force while
    researchers could see it: one approved after it was withdrawn never could. (`findable`
    asks the same of the database.)"""
    if testimony.erased_at is None and testimony.status != Testimony.Status.WITHDRAWN:
        return False
    if audience >= Audience.STAFF:
        return True
    stored = getattr(testimony, "stored_disclosure", None)
    if stored is None:
        return False
    if stored.public_since is not None:
        return True
    if audience < Audience.RESEARCHERS or reader is None or stored.researchers_since is None:
        return False
    return Testimony.objects.filter(_seen_by_researcher(reader), pk=testimony.pk).exists()


def _seen_by_researcher(reader: "User | AnonymousUser") -> Q:
    once_for_researchers = Q(stored_disclosure__researchers_since__isnull=False)
    if audience_of(reader) >= Audience.STAFF:
        # Staff (whom the API shows what researchers see) could see it all along.
        return once_for_researchers
    return once_for_researchers & research_access_between(
        reader, start="stored_disclosure__researchers_since", end="withdrawn_at"
    )


def findable(audience: Audience, reader: "User | AnonymousUser | None" = None) -> Q:
    """The testimonies `audience` may be told exist, as a database filter: those whose
    stored disclosure lets it see the metadata, and those it would be shown a tombstone
    of (`tombstone_shown`). A look-up by reference or id filters with this first, so that
    one the reader may not know of costs exactly what one that does not exist costs: the
    same single query finding nothing, and no answer that takes longer to refuse."""
    gone = Q(erased_at__isnull=False) | Q(status=Testimony.Status.WITHDRAWN)
    if audience >= Audience.STAFF:
        once_seen = Q()
    elif audience >= Audience.RESEARCHERS and reader is not None:
        # Always the same query shape for this reader, whether the reference exists or not.
        once_seen = Q(stored_disclosure__public_since__isnull=False) | _seen_by_researcher(reader)
    else:
        once_seen = Q(stored_disclosure__public_since__isnull=False)
    return Q(stored_disclosure__metadata__lte=int(audience)) | (gone & once_seen)


def files_findable(audience: Audience) -> Q:
    """The media files (MediaAsset) `audience` may have by the stored disclosure of their
    testimony, as a database filter: a file is looked up through this first, so that one
    the reader may not have is refused after the same single query as one that does not
    exist. (The file is then checked against the live policy and revision.)"""
    if audience >= Audience.STAFF:
        return Q(testimony__erased_at__isnull=True)
    levels = [level for level, needed in ACCESS_LEVEL_AUDIENCE.items() if needed <= audience]
    kinds = Q()
    for kind, part in MEDIA_PARTS.items():
        kinds |= Q(kind=kind, **{f"testimony__stored_disclosure__{part}__lte": int(audience)})
    return Q(testimony__erased_at__isnull=True, access_level__in=levels) & kinds


def disclosed_content(
    testimony: Testimony, audience: Audience, *, disclosure: Disclosure | None = None
) -> DisclosedContent | None:
    """The live revision's content as far as `audience` may see it, or None when it may not
    see the testimony at all. Every public surface renders from this, never from the
    working copy, so the public always sees the last approved version."""
    disclosure = disclosure or disclosure_for(testimony)
    revision = testimony.live_revision
    if revision is None or not disclosure.allows("metadata", audience):
        return None
    # The frozen block is the policy's input, not output: only the name it decides leaves.
    content = named_content(
        revision.snapshot,
        reference=testimony.reference,
        narrator_name=disclosure.name_for(audience),
    )
    if not disclosure.allows("summary", audience):
        content["summary"] = ""
    if not disclosure.allows("transcripts", audience):
        content["transcripts"] = []
    # A file restricted since approval is restricted now: its current access level counts.
    # (Reads testimony.media.all(), so callers listing many can prefetch it.)
    current_levels = {asset.pk: asset.access_level for asset in testimony.media.all()}
    content["media"] = [
        asset
        for asset in content.get("media", [])
        if asset["id"] in current_levels
        and disclosure.media_audience(asset["kind"], asset["access_level"]) <= audience
        and disclosure.media_audience(asset["kind"], current_levels[asset["id"]]) <= audience
    ]
    return content
