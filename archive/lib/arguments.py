"""Argument types for management commands."""


def positive_int(value: str) -> int:
    """A whole number of at least 1 (argparse reports anything else as invalid)."""
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number
