"""Parsing JSON from outside (archive/lib/untrusted_json.py)."""

import pytest

from archive.lib.untrusted_json import UntrustedJSONError, parse_untrusted_json


def test_it_reads_ordinary_json():
    text = '{"a": [1, -2.5, "Ստեփանակերտ", null, true], "b": {"c": 12345678901234567890}}'

    assert parse_untrusted_json(text) == {
        "a": [1, -2.5, "Ստեփանակերտ", None, True],
        "b": {"c": 12345678901234567890},
    }
    assert parse_untrusted_json(text.encode()) == parse_untrusted_json(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
        ('{"a":' * 65 + "1" + "}" * 65, "nested more than 64 levels deep"),
        ("9" * 5000, "a number of 5000 characters"),
        ("-" + "9" * 41, "a number of 42 characters"),
        ("1" + "0" * 60 + ".5", "a number of 63 characters"),
        ("1e999", "a number too large to keep"),
        ("[NaN]", "NaN"),
        ("[-Infinity]", "-Infinity"),
        ('["\\ud800"]', "lone surrogate"),
        ('{"\\udfff": 1}', "lone surrogate"),
        ('["a\\u0000b"]', "NUL"),
        ("[1,", "not valid JSON (line 1, column 4"),
        (b"\xff[]", "not UTF-8"),
    ],
)
def test_it_refuses_what_would_crash_or_not_store_with_a_message(text, message):
    with pytest.raises(UntrustedJSONError, match=message.replace("(", r"\(")):
        parse_untrusted_json(text)


def test_its_error_is_a_value_error_for_callers_that_catch_those():
    with pytest.raises(ValueError):
        parse_untrusted_json("[")
