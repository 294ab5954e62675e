"""Every invariant the database can hold is a constraint; each refuses bad data with a message
a curator can act on, and changes nothing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from archive.consent.models import ConsentRecord
from archive.testimonies.models import Narrator, Place, Testimony, Transcript, TranscriptSegment
from archive.testimonies.references import allocate_reference, allocate_references
from tests.factories import make_consent, make_narrator, make_place, make_testimony, make_user

pytestmark = pytest.mark.django_db


def validation_messages(instance) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.messages


def assert_refused_by_database(instance) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def test_it_refuses_a_second_original_transcript():
    testimony = make_testimony(language="hy")
    second = Transcript(testimony=testimony, language="ru", is_original=True, text="Перевод.")
    assert "This testimony already has an original transcript; mark this one as a translation." in (
        validation_messages(second)
    )
    assert_refused_by_database(second)
    assert testimony.transcripts.count() == 1


def test_it_allows_translations_beside_the_original():
    testimony = make_testimony(language="hy")
    translation = Transcript(
        testimony=testimony, language="en", translator="Lilit Grigoryan", text="Translated."
    )
    translation.full_clean()
    translation.save()
    assert testimony.languages == ["hy", "en"]


def test_it_refuses_two_transcripts_in_one_language():
    testimony = make_testimony(language="en")
    duplicate = Transcript(testimony=testimony, language="EN", text="Again.")
    assert "This testimony already has a transcript in this language." in validation_messages(
        duplicate
    )
    assert_refused_by_database(duplicate)


def test_it_refuses_a_bad_language_tag():
    testimony = make_testimony()
    bad = Transcript(testimony=testimony, language="armenian", text="Text.")
    messages = validation_messages(bad)
    assert any("is not a valid BCP 47 language tag" in message for message in messages)


def test_it_stores_language_tags_in_canonical_case():
    testimony = make_testimony(language="HY-latn")
    assert Transcript.objects.get(testimony=testimony).language == "hy-Latn"


def test_it_refuses_a_duplicate_reference():
    first = make_testimony()
    copy = Testimony(reference=first.reference, title="Copy", narrator=first.narrator)
    assert "Testimony with this Reference already exists." in validation_messages(copy)
    assert_refused_by_database(copy)


def test_it_refuses_a_malformed_reference_in_the_database():
    narrator = make_narrator()
    assert_refused_by_database(Testimony(reference="2023-1", title="Bad", narrator=narrator))


def test_it_hands_out_references_in_sequence_and_never_reuses_one():
    first = make_testimony(recorded_on=date(2023, 9, 26), recorded_precision="day")
    assert first.reference == "TA-2023-0001"
    first.delete()
    assert allocate_reference(2023) == "TA-2023-0002"
    assert allocate_references(2023, 3) == ["TA-2023-0003", "TA-2023-0004", "TA-2023-0005"]
    assert allocate_reference(2020) == "TA-2020-0001"


def test_it_refuses_a_recording_date_without_precision():
    testimony = make_testimony()
    testimony.recorded_on = date(2023, 9, 26)
    messages = validation_messages(testimony)
    assert "A recording date needs its precision (year, month or day), and only then." in messages
    assert_refused_by_database(testimony)


def test_it_asks_for_the_first_of_the_month_with_month_precision():
    testimony = make_testimony(recorded_on=date(2023, 9, 26), recorded_precision="month")
    assert "With month precision, enter the first day of that month." in validation_messages(
        testimony
    )


def test_it_refuses_a_period_that_ends_before_it_starts():
    testimony = make_testimony()
    testimony.period_start_year, testimony.period_end_year = 2023, 1991
    assert "The period's first year must not be after its last year." in validation_messages(
        testimony
    )
    assert_refused_by_database(testimony)


def test_it_refuses_a_pseudonym_attribution_without_a_pseudonym():
    narrator = Narrator(attribution=Narrator.Attribution.PSEUDONYM)
    assert "A narrator attributed by pseudonym needs a pseudonym." in validation_messages(narrator)
    assert_refused_by_database(narrator)


def test_it_names_the_narrator_as_they_chose():
    vera = make_narrator(
        given_name="Vera", family_name="Petrosyan", attribution=Narrator.Attribution.FULL_NAME
    )
    initial = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Narrator.Attribution.GIVEN_NAME_INITIAL,
    )
    pseudonymous = make_narrator(
        given_name="Anahit",
        family_name="Hakobyan",
        attribution=Narrator.Attribution.PSEUDONYM,
        pseudonym="Mariam",
    )
    anonymous = make_narrator(given_name="Gor", family_name="Sargsyan")
    without_identity = make_narrator(attribution=Narrator.Attribution.FULL_NAME)
    assert vera.attributed_name == "Vera Petrosyan"
    assert initial.attributed_name == "Anahit H."
    assert pseudonymous.attributed_name == "Mariam"
    assert "Hakobyan" not in str(pseudonymous)
    assert anonymous.attributed_name == f"Narrator {anonymous.pk}"
    assert without_identity.attributed_name == f"Narrator {without_identity.pk}"


def test_it_refuses_a_place_that_is_its_own_ancestor():
    armenia = make_place(name="Armenia")
    syunik = make_place(name="Syunik", parent=armenia)
    armenia.parent = syunik
    assert "This would make the entry its own ancestor; choose another parent." in (
        validation_messages(armenia)
    )
    armenia.parent = armenia
    assert_refused_by_database(armenia)


def test_it_refuses_two_places_of_one_name_under_one_parent():
    armenia = make_place(name="Armenia")
    make_place(name="Goris", parent=armenia)
    twin = Place(name="Goris", parent=armenia)
    assert "This parent already has a place with this name." in validation_messages(twin)
    assert_refused_by_database(twin)
    assert_refused_by_database(Place(name="Armenia"))


def test_it_refuses_a_segment_that_ends_before_it_starts():
    transcript = make_testimony().transcripts.get()
    segment = TranscriptSegment(
        transcript=transcript, position=1, start_seconds=30, end_seconds=10, text="…"
    )
    assert "A segment must end after it starts." in validation_messages(segment)
    assert_refused_by_database(segment)


def test_it_refuses_consent_verified_by_the_person_who_recorded_it():
    archivist = make_user()
    record = make_consent(narrator=make_narrator(), recorded_by=archivist)
    record.verified_by = archivist
    record.verified_at = record.recorded_at
    assert (
        "Consent must be verified by someone other than the person who recorded it."
        in validation_messages(record)
    )
    assert_refused_by_database(record)


def test_it_refuses_public_access_without_consent_to_archive():
    record = make_consent(narrator=make_narrator(), allows_archiving=True)
    record.allows_archiving = False
    record.allows_public_transcript = True
    assert (
        "Researcher or public access cannot be granted without consent to archive."
        in validation_messages(record)
    )
    assert_refused_by_database(record)


def test_it_refuses_an_incomplete_withdrawal():
    record = make_consent(narrator=make_narrator())
    record.withdrawal_scope = ConsentRecord.WithdrawalScope.ERASE
    assert "A withdrawal needs its date, its scope and who recorded it." in validation_messages(
        record
    )
    assert_refused_by_database(record)


def test_it_refuses_consent_for_a_minor_without_a_guardian():
    record = make_consent(narrator=make_narrator())
    record.narrator_is_minor = True
    assert "Consent for a minor names the guardian who gave it." in validation_messages(record)
    assert_refused_by_database(record)


def test_it_asks_oral_consent_for_its_recording_and_time_code():
    record = make_consent(narrator=make_narrator(), method=ConsentRecord.Method.ORAL_RECORDED)
    messages = validation_messages(record)
    assert "Oral consent needs the recording in which it was given." in messages
    assert "Oral consent needs its time code in the recording." in messages
