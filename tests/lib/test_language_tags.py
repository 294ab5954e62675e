import pytest
from django.core.exceptions import ValidationError

from archive.lib.language_tags import (
    normalize_language_tag,
    validate_language_tag,
    validate_publishable_language_tag,
)


@pytest.mark.parametrize(
    "tag",
    [
        "en",
        "hy",
        "ru",
        "hy-Latn",
        "az-Latn-AZ",
        "en-GB",
        "es-419",
        "sl-rozaj",
        "hy-arevela",
        "x-private",
    ],
)
def test_it_accepts_well_formed_tags(tag):
    validate_language_tag(tag)


@pytest.mark.parametrize(
    "tag", ["", "english", "e", "en_", "en--GB", "hy-Latn-Latn", "123", "en-GB-"]
)
def test_it_refuses_malformed_tags_with_an_example(tag):
    with pytest.raises(ValidationError) as caught:
        validate_language_tag(tag)
    assert "is not a valid BCP 47 language tag" in caught.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("EN", "en"), ("hy-latn", "hy-Latn"), ("az_latn_az", "az-Latn-AZ"), ("en-x-ABC", "en-x-abc")],
)
def test_it_stores_tags_in_canonical_case(raw, canonical):
    assert normalize_language_tag(raw) == canonical


@pytest.mark.parametrize(
    "tag", ["en", "hy", "hy-Latn", "az-Latn-AZ", "en-GB", "es-419", "hy-arevela", "hy-arevmda"]
)
def test_it_stores_tags_of_language_script_region_and_known_variants(tag):
    validate_publishable_language_tag(tag)


@pytest.mark.parametrize(
    "tag",
    [
        "en-x-mirakyan",
        "x-mirakyan",
        "en-u-co-mirakyan",
        "hy-a-mirakyan",
        "hy-mirakyan",
        "en-GB-1234",
    ],
)
def test_it_refuses_private_use_extensions_and_unknown_variants(tag):
    """Free text in a tag reaches JSON-LD inLanguage, the API and OAI dc:language."""
    with pytest.raises(ValidationError) as caught:
        validate_publishable_language_tag(tag)
    assert "subtags the archive does not use" in caught.value.messages[0]


@pytest.mark.django_db
def test_a_transcript_refuses_a_private_use_tag():
    from archive.testimonies.models import Transcript
    from tests.factories import make_testimony

    transcript = Transcript(testimony=make_testimony(), language="en-x-mirakyan", text="Text.")
    with pytest.raises(ValidationError) as caught:
        transcript.full_clean()
    assert "language" in caught.value.message_dict
