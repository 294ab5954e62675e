"""The pseudonym guard reads every text a revision publishes and finds every form of the
narrator's real name: other scripts, romanizations, grammatical cases; and it lets plain
text through."""

from decimal import Decimal

import pytest

from archive.accounts.roles import Role
from archive.lib.errors import WorkflowError
from archive.publishing import services
from archive.testimonies.models import Narrator, NarratorIdentity, Testimony, TranscriptSegment
from tests.factories import (
    make_media,
    make_narrator,
    make_testimony,
    make_user,
    make_verified_consent,
)

pytestmark = pytest.mark.django_db


def hasmik(**identity) -> Narrator:
    """A pseudonymous narrator whose identity holds her name in Latin letters only."""
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="Ani")
    NarratorIdentity.objects.create(
        narrator=narrator, **{"given_name": "Hasmik", "family_name": "Ghazaryan", **identity}
    )
    return narrator


def draft(narrator: Narrator, text: str = "We left in September.", **fields) -> Testimony:
    fields.setdefault("access_level", "public")
    testimony = make_testimony(narrator=narrator, transcript=text, **fields)
    make_verified_consent(narrator=narrator, testimonies=[testimony])
    return testimony


def refusal(testimony: Testimony, contributor, moderator) -> str:
    """The guard's refusal as an archivist reads it (a moderator is told only that an
    archivist must check the revision: tests/publishing/test_guard_oracle.py)."""
    review = services.submit_for_review(testimony, actor=contributor)
    with pytest.raises(WorkflowError) as refused:
        services.approve(review, actor=moderator)
    assert refused.value.message == services.GUARD_REFUSAL_FOR_OTHERS
    with pytest.raises(WorkflowError) as refused:
        services.approve(review, actor=make_user(role=Role.ARCHIVIST))
    message = refused.value.message
    for form in ("Ghazaryan", "Казарян", "Ղազարյան", "Hasmik"):
        assert form not in message
    assert Testimony.objects.get(pk=testimony.pk).live_revision is None
    return message


@pytest.mark.parametrize(
    ("fields", "where"),
    [
        ({"content_notes": "Mentions the Ghazaryan family's deaths."}, "the content notes"),
        ({"source": "Recorded at the Ghazaryan home, Goris."}, "the source"),
        ({"interviewer": "Armen Ghazaryan (her son)"}, "the interviewer"),
        ({"rights_statement": "© Ghazarian family"}, "the rights statement"),
        ({"title": "Как Казарян уехала"}, "the title"),
        ({"summary": "Ղազարյանի ընտանիքը"}, "the summary"),
        ({"summary": "Мы жили рядом с Казаряном."}, "the summary"),
        ({"summary": "Gazaryan, who told this, lived in Goris."}, "the summary"),
    ],
)
def test_it_finds_the_name_in_every_field_in_any_script_and_case(
    contributor, moderator, fields, where
):
    message = refusal(draft(hasmik(), **fields), contributor, moderator)
    assert f"appears in {where}" in message


def test_it_finds_the_name_in_a_time_coded_segment(contributor, moderator):
    testimony = draft(hasmik())
    transcript = testimony.transcripts.get()
    for position, text in enumerate(["We ran.", "Hasmik Ghazaryan, come!"], 1):
        TranscriptSegment.objects.create(
            transcript=transcript, position=position, start_seconds=Decimal(position), text=text
        )
    message = refusal(testimony, contributor, moderator)
    assert "the transcript (en), time-coded segment 2" in message


def test_it_finds_the_name_in_a_translator_and_a_caption(contributor, moderator):
    testimony = draft(hasmik())
    testimony.transcripts.create(language="ru", text="Мы уехали.", translator="Л. Казарян")
    make_media(testimony=testimony, caption="Ղազարյանների տունը")
    message = refusal(testimony, contributor, moderator)
    assert "the translator of transcript (ru)" in message
    assert "the caption of media file" in message


def test_it_finds_a_pseudonym_that_is_the_real_name(contributor, moderator):
    narrator = hasmik()
    Narrator.objects.filter(pk=narrator.pk).update(pseudonym="H. Ghazaryan")
    message = refusal(draft(Narrator.objects.get(pk=narrator.pk)), contributor, moderator)
    assert "the name shown for the narrator" in message


def test_it_finds_an_armenian_identity_name_in_latin_letters(contributor, moderator):
    narrator = make_narrator(attribution=Narrator.Attribution.ANONYMOUS)
    NarratorIdentity.objects.create(
        narrator=narrator, given_name="Հասմիկ", name_in_original_script="Հասմիկ Ղազարյան"
    )
    message = refusal(draft(narrator, "Mrs Ghazarian opened the door."), contributor, moderator)
    assert "the transcript (en), paragraph 1" in message


def test_it_lets_plain_text_through_for_a_short_common_name(contributor, moderator):
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="N. K.")
    NarratorIdentity.objects.create(narrator=narrator, given_name="Ani", family_name="Mark")
    text = (
        "Any animal we had stayed behind. The market was marked on the map as Anitsa.\n\n"
        "Марка на конверте была армянская."
    )
    testimony = draft(narrator, text, title="The markets of Goris", summary="Anything left.")
    review = services.submit_for_review(testimony, actor=contributor)
    services.approve(review, actor=moderator)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED


def test_it_finds_a_short_name_written_in_another_script(contributor, moderator):
    narrator = make_narrator(attribution=Narrator.Attribution.PSEUDONYM, pseudonym="N. K.")
    NarratorIdentity.objects.create(narrator=narrator, given_name="Ani", family_name="Mark")
    message = refusal(draft(narrator, "Это рассказал Марк."), contributor, moderator)
    assert "the transcript (en), paragraph 1" in message


def test_it_lets_a_given_name_and_initial_be_shown_but_not_the_family_name(contributor, moderator):
    narrator = make_narrator(
        given_name="Hasmik",
        family_name="Ghazaryan",
        attribution=Narrator.Attribution.GIVEN_NAME_INITIAL,
    )
    services.approve(
        services.submit_for_review(draft(narrator, "Hasmik spoke."), actor=contributor),
        actor=moderator,
    )
    other = draft(narrator, "Hasmik spoke.", summary="Казарян вспоминает.")
    assert "appears in the summary" in refusal(other, contributor, moderator)


def test_it_guards_the_text_until_a_wish_to_be_named_is_verified(contributor, moderator):
    from archive.publishing.consent_changes import record_naming, verify_naming

    narrator = hasmik()
    record_naming(
        narrator, actor=make_user(role=Role.ARCHIVIST), attribution=Narrator.Attribution.FULL_NAME
    )
    testimony = draft(narrator, "I am Hasmik Ghazaryan.")
    assert "the transcript (en), paragraph 1" in refusal(testimony, contributor, moderator)
    verify_naming(narrator, actor=make_user(role=Role.ARCHIVIST))
    services.approve(testimony.reviews.get(decision="pending"), actor=moderator)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED


def test_it_finds_the_given_name_with_the_family_initial_but_not_the_given_name_alone(
    contributor, moderator
):
    assert "paragraph 2" in refusal(
        draft(hasmik(), "Hasmik spoke first.\n\nThen Hasmik G. read the letter."),
        contributor,
        moderator,
    )
    alone = draft(hasmik(), "Hasmik spoke first.")
    services.approve(services.submit_for_review(alone, actor=contributor), actor=moderator)
    assert Testimony.objects.get(pk=alone.pk).status == Testimony.Status.PUBLISHED


def test_it_finds_a_name_hidden_by_a_soft_hyphen_in_the_transcript(contributor, moderator):
    testimony = draft(hasmik(), "We left.\n\nHasmik Ghaza\u00adryan stayed behind.")
    assert "the transcript (en), paragraph 2" in refusal(testimony, contributor, moderator)


def test_it_reads_a_private_use_language_tag_and_does_not_repeat_it(contributor, moderator):
    # Stored without the form's validation (an import, an older row): the guard reads it.
    testimony = make_testimony(narrator=hasmik(), transcript="We left.", language="en-x-ghazaryan")
    make_verified_consent(narrator=testimony.narrator, testimonies=[testimony])
    Testimony.objects.filter(pk=testimony.pk).update(access_level="public")
    message = refusal(Testimony.objects.get(pk=testimony.pk), contributor, moderator)
    assert "the transcript (en), language" in message
    assert "ghazaryan" not in message.lower()


@pytest.mark.parametrize("linked", ["place", "place name", "parent place", "recording place"])
def test_it_finds_the_name_in_a_place_the_revision_links_to(contributor, moderator, linked):
    from archive.testimonies.models import PlaceName
    from tests.factories import make_place

    place = make_place(name="Goris")
    testimony = draft(hasmik())
    if linked == "place":
        place = make_place(name="Ghazaryan pharmacy")
    elif linked == "place name":
        PlaceName.objects.create(place=place, name="Ղազարյանների դեղատուն", language="hy")
    elif linked == "parent place":
        place = make_place(name="Pharmacy", parent=make_place(name="Ghazaryan quarter"))
    if linked == "recording place":
        Testimony.objects.filter(pk=testimony.pk).update(
            recording_place=make_place(name="Дом Казаряна")
        )
    else:
        testimony.places.add(place)
    message = refusal(Testimony.objects.get(pk=testimony.pk), contributor, moderator)
    assert "the place #" in message


@pytest.mark.parametrize("linked", ["subject", "subject label", "collection"])
def test_it_finds_the_name_in_a_subject_or_the_collection(contributor, moderator, linked):
    from archive.testimonies.models import SubjectLabel
    from tests.factories import make_collection, make_subject

    testimony = draft(hasmik())
    if linked == "subject":
        testimony.subjects.add(make_subject(label="The Ghazaryan family"))
    elif linked == "subject label":
        subject = make_subject(label="Families")
        SubjectLabel.objects.create(subject=subject, name="Семья Казарян", language="ru")
        testimony.subjects.add(subject)
    else:
        Testimony.objects.filter(pk=testimony.pk).update(
            collection=make_collection(title="Letters of the Ghazarians")
        )
    message = refusal(Testimony.objects.get(pk=testimony.pk), contributor, moderator)
    assert ("the subject #" if linked != "collection" else "the collection's title") in message


def test_it_lets_a_text_repeat_a_pseudonym_made_of_the_given_name_and_initial(
    contributor, moderator
):
    narrator = hasmik()
    Narrator.objects.filter(pk=narrator.pk).update(pseudonym="Hasmik G.")
    testimony = draft(Narrator.objects.get(pk=narrator.pk), "Hasmik G. spoke first.")
    services.approve(services.submit_for_review(testimony, actor=contributor), actor=moderator)
    assert Testimony.objects.get(pk=testimony.pk).status == Testimony.Status.PUBLISHED
