"""Pydantic models of what OnceHub sends.

- ``classic``: the ``SOAfterConfirmationFunction(data)`` payload (``ClassicPayload``, ``BookingInfo``).
- ``calendar``: Booking Calendar ``oncehub.*`` messages and the booking object (``CalendarBooking``).
- ``validation_problem``: a PII-free one-line summary of a ``ValidationError``.
"""

from __future__ import annotations

from pydantic import ValidationError

def validation_problem(error: ValidationError, *, limit: int = 3, strip_loc: int = 0) -> str:
    """Summarise a validation error from locations and messages only, never from input values.

    ``strip_loc`` drops leading location parts (e.g. the tag of a discriminated union).
    """
    parts = []
    for detail in error.errors(include_input=False, include_url=False, include_context=False)[:limit]:
        location = ".".join(str(part) for part in detail["loc"][strip_loc:])
        if detail["type"] == "extra_forbidden":
            parts.append(f'unknown key "{location}"')
            continue
        message = "required" if detail["type"] == "missing" else str(detail["msg"]).removeprefix("Value error, ")
        parts.append(f"{location}: {message}" if location else message)
    extra = error.error_count() - len(parts)
    if extra > 0:
        parts.append(f"and {extra} more")
    return "; ".join(parts)
