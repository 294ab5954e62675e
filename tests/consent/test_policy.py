"""The disclosure policy, rule by rule, then as a property: adding a restriction never widens
what anyone sees."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.accounts.audience import Audience, audience_of
from archive.consent.models import SCOPE_FLAGS, ConsentRecord
from archive.consent.policy import PARTS, disclosure_for
from archive.publishing.models import Revision
from archive.publishing.snapshots import narrator_block
from archive.testimonies.models import AccessLevel, Narrator, NarratorIdentity, Testimony

TODAY = date(2026, 11, 28)
PUBLIC, RESEARCHERS, STAFF, NOBODY = (
    Audience.PUBLIC,
    Audience.RESEARCHERS,
    Audience.STAFF,
    Audience.NOBODY,
)
FLAGS = SCOPE_FLAGS


@dataclass
class Scenario:
    """A testimony and its consent, built in memory: the policy is a pure function."""

    status: str = Testimony.Status.PUBLISHED
    live: bool = True
    access_level: str = AccessLevel.PUBLIC
    live_access_level: str = AccessLevel.PUBLIC
    attribution: str = Narrator.Attribution.FULL_NAME
    erased: bool = False
    consents: list[dict[str, Any]] = field(default_factory=lambda: [{}])

    def testimony(self) -> Testimony:
        narrator = Narrator(
            pk=12,
            attribution=self.attribution,
            pseudonym="Anahit P.",
            naming_verified_at=datetime(2023, 2, 1, tzinfo=UTC),
        )
        narrator.identity = NarratorIdentity(given_name="Vera", family_name="Petrosyan")
        testimony = Testimony(
            pk=1,
            reference="TA-2023-0001",
            narrator=narrator,
            status=self.status,
            access_level=self.access_level,
            erased_at=datetime(2026, 1, 1, tzinfo=UTC) if self.erased else None,
        )
        if self.live:
            testimony.live_revision = Revision(
                pk=1,
                number=1,
                content={
                    "access_level": self.live_access_level,
                    "narrator": narrator_block(narrator),
                },
            )
        return testimony

    def records(self) -> list[ConsentRecord]:
        records = []
        for number, overrides in enumerate(self.consents, start=1):
            values: dict[str, Any] = {
                **dict.fromkeys(FLAGS, True),
                "given_on": date(2023, 1, number),
                "verified_at": datetime(2023, 2, 1, tzinfo=UTC),
                **overrides,
            }
            if values.get("supersedes_id") == number:
                values["supersedes_id"] = None
            records.append(ConsentRecord(pk=number, **values))
        return records

    def disclosure(self):
        return disclosure_for(self.testimony(), consents=self.records(), today=TODAY)


def audiences(scenario: Scenario) -> dict[str, Audience]:
    disclosure = scenario.disclosure()
    return {part: getattr(disclosure, part) for part in PARTS}


ALL = dict.fromkeys(PARTS)


def everything(audience: Audience) -> dict[str, Audience]:
    return dict.fromkeys(PARTS, audience)


CASES = [
    ("a live public testimony with full consent", Scenario(), everything(PUBLIC)),
    ("a draft never approved", Scenario(status="draft", live=False), everything(STAFF)),
    (
        "a testimony in review, never live",
        Scenario(status="in_review", live=False),
        everything(STAFF),
    ),
    ("a withdrawn testimony", Scenario(status="withdrawn", live=False), everything(STAFF)),
    (
        "an erased testimony",
        Scenario(status="withdrawn", live=False, erased=True),
        everything(NOBODY),
    ),
    (
        "researchers only",
        Scenario(access_level="researchers", live_access_level="researchers"),
        everything(RESEARCHERS),
    ),
    ("staff only", Scenario(access_level="staff", live_access_level="staff"), everything(STAFF)),
    ("no consent at all", Scenario(consents=[]), everything(STAFF)),
    ("consent not verified", Scenario(consents=[{"verified_at": None}]), everything(STAFF)),
    (
        "an embargo not yet over",
        Scenario(consents=[{"embargo_until": date(2027, 1, 1)}]),
        everything(STAFF),
    ),
    (
        "an embargo that ended",
        Scenario(consents=[{"embargo_until": date(2026, 11, 28)}]),
        everything(PUBLIC),
    ),
    ("no consent to archive", Scenario(consents=[dict.fromkeys(FLAGS, False)]), everything(STAFF)),
    (
        "no consent to researcher access",
        Scenario(consents=[{"allows_researcher_access": False}]),
        everything(STAFF),
    ),
    (
        "consent withdrawn from publication",
        Scenario(
            consents=[
                {"withdrawn_at": datetime(2026, 1, 1, tzinfo=UTC), "withdrawal_scope": "unpublish"}
            ]
        ),
        everything(RESEARCHERS),
    ),
    (
        "consent withdrawn to staff",
        Scenario(
            consents=[
                {"withdrawn_at": datetime(2026, 1, 1, tzinfo=UTC), "withdrawal_scope": "restrict"}
            ]
        ),
        everything(STAFF),
    ),
    (
        "a transcript without public consent",
        Scenario(consents=[{"allows_public_transcript": False}]),
        {**everything(PUBLIC), "transcripts": RESEARCHERS},
    ),
    (
        "audio without public consent",
        Scenario(consents=[{"allows_public_audio": False}]),
        {**everything(PUBLIC), "audio": RESEARCHERS},
    ),
    (
        "metadata without public consent holds back every part",
        Scenario(consents=[{"allows_public_metadata": False}]),
        {**everything(RESEARCHERS)},
    ),
    (
        "a full name without consent to disclose it",
        Scenario(consents=[{"allows_name_disclosure": False}]),
        {**everything(PUBLIC), "name": STAFF},
    ),
    (
        "a pseudonym needs no name consent",
        Scenario(attribution="pseudonym", consents=[{"allows_name_disclosure": False}]),
        everything(PUBLIC),
    ),
    (
        "a restriction of the working copy applies at once",
        Scenario(status="draft", access_level="staff", live_access_level="public"),
        everything(STAFF),
    ),
    (
        "a widening of the working copy waits for approval",
        Scenario(status="draft", access_level="public", live_access_level="researchers"),
        everything(RESEARCHERS),
    ),
    (
        "every consent that counts restricts",
        Scenario(consents=[{"allows_public_audio": False}, {}]),
        {**everything(PUBLIC), "audio": RESEARCHERS},
    ),
    (
        "a narrower consent restricts at once, before it is verified",
        Scenario(consents=[{}, {"allows_public_audio": False, "verified_at": None}]),
        {**everything(PUBLIC), "audio": RESEARCHERS},
    ),
    (
        "a verified renewal supersedes the earlier consent",
        Scenario(consents=[{"allows_public_audio": False}, {"supersedes_id": 1}]),
        everything(PUBLIC),
    ),
    (
        "a renewal widens nothing until it is verified",
        Scenario(
            consents=[{"allows_public_audio": False}, {"supersedes_id": 1, "verified_at": None}]
        ),
        {**everything(PUBLIC), "audio": RESEARCHERS},
    ),
    (
        "a verified renewal after a withdrawal counts again",
        Scenario(
            consents=[
                {"withdrawn_at": datetime(2026, 1, 1, tzinfo=UTC), "withdrawal_scope": "restrict"},
                {"supersedes_id": 1},
            ]
        ),
        everything(PUBLIC),
    ),
]


@pytest.mark.parametrize(("case", "scenario", "expected"), CASES, ids=[c[0] for c in CASES])
def test_it_applies_each_rule(case, scenario, expected):
    assert audiences(scenario) == expected


def test_it_names_the_narrator_only_for_the_audience_allowed():
    disclosure = Scenario(consents=[{"allows_name_disclosure": False}]).disclosure()
    assert disclosure.name_for(PUBLIC) == "Narrator 12"
    assert disclosure.name_for(RESEARCHERS) == "Narrator 12"
    # A real name nobody may be shown stays in the admin, for archivists: contributors and
    # moderators are staff too.
    assert disclosure.name_for(STAFF) == "Narrator 12"
    assert Scenario().disclosure().name_for(PUBLIC) == "Vera Petrosyan"
    assert Scenario(attribution="pseudonym").disclosure().name_for(PUBLIC) == "Anahit P."


def test_it_shows_the_name_frozen_in_the_live_revision_not_the_current_one():
    scenario = Scenario(attribution="given_name_initial")
    testimony = scenario.testimony()
    assert disclosure_for(testimony, consents=scenario.records()).name_for(PUBLIC) == "Vera P."
    # The narrator record now says "full name": outsiders see neither name until it is
    # verified and approved.
    testimony.narrator.attribution = "full_name"
    disclosure = disclosure_for(testimony, consents=scenario.records())
    assert disclosure.name_for(PUBLIC) == "Narrator 12"
    assert disclosure.name_for(STAFF) == "Narrator 12"
    assert "name_changed" in [r.code for r in disclosure.restrictions]


def test_it_shows_no_name_while_the_naming_waits_for_verification():
    scenario = Scenario(attribution="pseudonym")
    testimony = scenario.testimony()
    testimony.narrator.naming_verified_at = None
    disclosure = disclosure_for(testimony, consents=scenario.records())
    assert disclosure.name_for(PUBLIC) == "Narrator 12"
    assert "name_unverified" in [r.code for r in disclosure.restrictions]


def test_it_shows_no_name_from_a_revision_approved_before_names_were_frozen():
    scenario = Scenario(attribution="pseudonym")
    testimony = scenario.testimony()
    assert testimony.live_revision is not None
    del testimony.live_revision.content["narrator"]
    disclosure = disclosure_for(testimony, consents=scenario.records())
    assert disclosure.name_for(PUBLIC) == "Narrator 12"
    assert "name_not_approved" in [r.code for r in disclosure.restrictions]


def test_it_restricts_a_file_by_its_own_access_level_too():
    disclosure = Scenario().disclosure()
    assert disclosure.media_audience("audio", "public") == PUBLIC
    assert disclosure.media_audience("audio", "researchers") == RESEARCHERS
    quiet = Scenario(consents=[{"allows_public_video": False}]).disclosure()
    assert quiet.media_audience("video", "public") == RESEARCHERS


def test_it_says_in_words_why_publishing_is_blocked():
    assert Scenario(consents=[]).disclosure().blockers == [
        "no verified consent covers this testimony"
    ]
    assert Scenario(consents=[{"verified_at": None}]).disclosure().blockers == [
        "consent is not verified yet"
    ]
    partial = Scenario(consents=[{"allows_public_transcript": False}]).disclosure()
    assert partial.blockers == []
    assert "no consent to publish the transcript" in [r.message for r in partial.restrictions]


def test_it_describes_the_disclosure_plainly_for_staff():
    line = (
        Scenario(attribution="pseudonym", consents=[{"allows_public_audio": False}])
        .disclosure()
        .summary_line()
    )
    assert line == (
        "Metadata: public · Transcript: public · Audio: researchers · Video: public · "
        "Images: public · Documents: public · Name: pseudonym ‘Anahit P.’ (public)"
    )


# The property: a restriction never widens.

scenarios = st.builds(
    Scenario,
    status=st.sampled_from(Testimony.Status.values),
    live=st.booleans(),
    access_level=st.sampled_from(AccessLevel.values),
    live_access_level=st.sampled_from(AccessLevel.values),
    attribution=st.sampled_from(Narrator.Attribution.values),
    erased=st.just(False),
    consents=st.lists(
        st.fixed_dictionaries(
            {flag: st.booleans() for flag in FLAGS}
            | {
                "verified_at": st.sampled_from([None, datetime(2023, 2, 1, tzinfo=UTC)]),
                "embargo_until": st.sampled_from([None, date(2020, 1, 1), date(2030, 1, 1)]),
                "supersedes_id": st.sampled_from([None, 1]),
            }
        ),
        max_size=3,
    ),
)

MORE_RESTRICTIVE_LEVEL = {"public": ["researchers", "staff"], "researchers": ["staff"], "staff": []}


def restrictions_of(scenario: Scenario) -> list[Scenario]:
    """Every single step that takes something away."""
    steps = [
        Scenario(**{**scenario.__dict__, "status": "withdrawn"}),
        Scenario(**{**scenario.__dict__, "live": False}),
        Scenario(**{**scenario.__dict__, "erased": True, "status": "withdrawn", "live": False}),
    ]
    for level in MORE_RESTRICTIVE_LEVEL[scenario.access_level]:
        steps.append(Scenario(**{**scenario.__dict__, "access_level": level}))
    for index, consent in enumerate(scenario.consents):
        variants = [{**consent, flag: False} for flag in FLAGS if consent.get(flag)]
        variants += [
            {**consent, "verified_at": None},
            {**consent, "embargo_until": date(2031, 1, 1)},
            {
                **consent,
                "withdrawn_at": datetime(2026, 1, 1, tzinfo=UTC),
                "withdrawal_scope": "unpublish",
            },
            {
                **consent,
                "withdrawn_at": datetime(2026, 1, 1, tzinfo=UTC),
                "withdrawal_scope": "restrict",
            },
        ]
        for variant in variants:
            consents = [*scenario.consents[:index], variant, *scenario.consents[index + 1 :]]
            steps.append(Scenario(**{**scenario.__dict__, "consents": consents}))
    return steps


@settings(max_examples=300, deadline=None)
@given(scenarios)
def test_it_never_widens_what_anyone_sees_when_a_restriction_is_added(scenario):
    before = audiences(scenario)
    for restricted in restrictions_of(scenario):
        after = audiences(restricted)
        for part in PARTS:
            assert after[part] >= before[part], (part, scenario, restricted)


@pytest.mark.django_db
def test_it_places_each_persona_in_its_audience(
    anonymous, contributor, moderator, archivist, researcher
):
    from django.contrib.auth.models import AnonymousUser, Permission

    assert audience_of(AnonymousUser()) == PUBLIC
    assert audience_of(researcher) == PUBLIC
    researcher.user_permissions.add(Permission.objects.get(codename="access_research_material"))
    researcher = type(researcher).objects.get(pk=researcher.pk)
    assert audience_of(researcher) == RESEARCHERS
    for staff in (contributor, moderator, archivist):
        assert audience_of(staff) == STAFF
    contributor.is_active = False
    assert audience_of(contributor) == PUBLIC
