"""Pydantic models of what OnceHub sends.

- ``classic``: the ``SOAfterConfirmationFunction(data)`` payload (``ClassicPayload``, ``BookingInfo``).
- ``calendar``: Booking Calendar ``oncehub.*`` messages and the booking object (``CalendarBooking``).
- ``validation_problem``: a PII-free one-line summary of a ``ValidationError``.
"""

from __future__ import annotations

from pydantic import ValidationError

def location_text(loc: tuple[int | str, ...], *, index_brackets: bool = False) -> str:
    """A pydantic error location as text: ``a.0.b``, or ``a[0].b`` with ``index_brackets``."""
    text = ""
    for part in loc:
        if index_brackets and isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def validation_problem(
    error: ValidationError, *, limit: int = 3, strip_loc: int = 0, index_brackets: bool = False
) -> str:
    """Summarise a validation error from locations and messages only, never from input values.

    ``strip_loc`` drops leading location parts (e.g. the tag of a discriminated union); ``index_brackets``
    writes list positions as ``consent[0]`` (config problems) rather than ``MeetingTimes.0`` (payloads).
    """
    parts = []
    for detail in error.errors(include_input=False, include_url=False, include_context=False)[:limit]:
        location = location_text(detail["loc"][strip_loc:], index_brackets=index_brackets)
        if detail["type"] == "extra_forbidden":
            parts.append(f'unknown key "{location}"')
            continue
        message = "required" if detail["type"] == "missing" else str(detail["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    extra = error.error_count() - len(parts)
    if extra > 0:
        parts.append(f"and {extra} more")
    return "; ".join(parts)
