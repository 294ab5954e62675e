"""Whole numbers from outside (archive/lib/arguments.py)."""

import pytest

from archive.lib.arguments import BIGINT_MAX, positive_int, strict_int


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0", 0), ("42", 42), ("007", 7), ("0" * 5000 + "3", 3), (str(BIGINT_MAX), BIGINT_MAX)],
)
def test_it_reads_ascii_digits(value, expected):
    assert strict_int(value) == expected


@pytest.mark.parametrize(
    "value",
    ["", "²", "٣", "３", " 1", "1 ", "1_000", "+1", "-1", "1.0", "9" * 5000, str(BIGINT_MAX + 1)]
    + [None, 12],
)
def test_it_refuses_anything_else(value):
    assert strict_int(value) is None


def test_it_keeps_to_the_range_given():
    assert strict_int("360000", maximum=360000) == 360000
    assert strict_int("360001", maximum=360000) is None
    assert strict_int("-5", minimum=-10) == -5
    assert strict_int("-11", minimum=-10) is None
    assert strict_int("0", minimum=1) is None


def test_command_arguments_take_positive_ascii_numbers_only():
    assert positive_int("3") == 3
    for value in ["0", "٣", "9" * 5000]:
        with pytest.raises(ValueError):
            positive_int(value)
