"""Whole numbers read from outside: management command arguments and request parameters.

Python's int() takes far more than a request should give it: any Unicode decimal digit
(٣, ３), surrounding spaces, underscores, a sign, and up to 4,300 digits before it raises
ValueError (and str.isdigit() says yes to ² and ³, which int() refuses). These take ASCII
digits only, a bounded number of them, within a range.
"""

# Row ids, file offsets and counts all fit in a signed 64-bit integer, as the databases
# store them; a number past that names nothing that exists.
BIGINT_MAX = 2**63 - 1


def strict_int(value: object, *, minimum: int = 0, maximum: int = BIGINT_MAX) -> int | None:
    """The whole number `value` spells in ASCII digits (an optional leading "-" when
    `minimum` is negative), if it lies between `minimum` and `maximum`; else None."""
    if not isinstance(value, str):
        return None
    digits = value[1:] if value.startswith("-") and minimum < 0 else value
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    # Leading zeros say nothing; past the maximum's length the number is out of range.
    significant = digits.lstrip("0") or "0"
    if len(significant) > len(str(max(abs(minimum), abs(maximum)))):
        return None
    number = -int(significant) if digits is not value else int(significant)
    return number if minimum <= number <= maximum else None


def positive_int(value: str) -> int:
    """A whole number of at least 1 (argparse reports anything else as invalid)."""
    number = strict_int(value, minimum=1)
    if number is None:
        raise ValueError(value)
    return number
