"""Parsing JSON that came from outside (an uploaded import file, a bag from another
archive, a request body) without letting it crash or bloat what reads it.

`json.loads` alone raises RecursionError on arrays nested a thousand deep, ValueError (not
JSONDecodeError) on an integer of more than 4,300 digits, takes NaN and Infinity, which
neither PostgreSQL's JSON nor a later `json.dumps(allow_nan=False)` accepts, and passes lone
surrogates and NUL in strings, which PostgreSQL refuses to store. Here every one of those is
an `UntrustedJSONError` with a message for the person who sent the file.
"""

import json
from typing import Any

# Deeper than any file this archive writes or reads (a bag's metadata is about six deep).
MAX_DEPTH = 64
# Longer than any number the archive has a use for (a 64-bit id is 19 digits).
MAX_NUMBER_LENGTH = 40


class UntrustedJSONError(ValueError):
    """JSON that is malformed or beyond what the archive accepts, with a message that says
    which and where."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text.lstrip("-")) > MAX_NUMBER_LENGTH:
            raise UntrustedJSONError(
                f"it holds a number of {len(text)} characters (at most {MAX_NUMBER_LENGTH})"
            )
        number = kind(text)
        if isinstance(number, float) and number in (float("inf"), float("-inf")):
            raise UntrustedJSONError(f"it holds a number too large to keep ({text})")
        return number

    return parse


def _refuse_constant(name: str) -> Any:
    raise UntrustedJSONError(f"it holds {name}, which is not a JSON number")


def _check_text(text: str) -> None:
    if "\x00" in text:
        raise UntrustedJSONError("it holds a NUL character (\\u0000) in a string")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UntrustedJSONError(
            "it holds a lone surrogate (\\ud800 to \\udfff) in a string"
        ) from None


def _check_structure(data: Any, max_depth: int) -> None:
    """Depth and strings, walked without recursion (the data may be as deep as the
    parser allowed)."""
    pending: list[tuple[Any, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            _check_text(value)
            continue
        if not isinstance(value, dict | list):
            continue
        if depth > max_depth:
            raise UntrustedJSONError(f"it is nested more than {max_depth} levels deep")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(key)
                pending.append((item, depth + 1))
        else:
            pending.extend((item, depth + 1) for item in value)


def parse_untrusted_json(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """The value `text` holds, or UntrustedJSONError. Bytes must be UTF-8."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise UntrustedJSONError(f"it is not UTF-8 text (byte {error.start})") from None
    try:
        data = json.loads(
            text,
            parse_int=_number(int),
            parse_float=_number(float),
            parse_constant=_refuse_constant,
        )
    except UntrustedJSONError:
        raise
    except json.JSONDecodeError as error:
        raise UntrustedJSONError(
            f"it is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise UntrustedJSONError(f"it is nested more than {max_depth} levels deep") from None
    except ValueError as error:  # anything else the decoder refuses
        raise UntrustedJSONError(f"it is not valid JSON ({error})") from None
    _check_structure(data, max_depth)
    return data
