"""Turn one loader input (a callback call or a posted message) into one event, or into nothing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence

from pydantic import ValidationError

from .event import ErrorEvent, Event, FunnelEvent
from .inputs import validation_problem
from .inputs.calendar import BOOKING_SCHEDULED, CalendarBooking, booking_object, message_type
from .inputs.classic import ClassicPayload
from .normalize import booking_from_calendar, booking_from_classic
from .page import PageContext


@dataclass(frozen=True)
class Intake:
    """The event an input became (``None`` when it is ignored) and a PII-free note for the debug log."""

    event: Event | None
    note: str


def _json_problem(error: json.JSONDecodeError) -> str:
    return f"not JSON ({error.msg} at line {error.lineno}, column {error.colno})"


def read_callback(item: dict[str, Any], page: PageContext, *, include_query: bool) -> Intake:
    """Read a classic ``SOAfterConfirmationFunction`` call."""

    def error(code: str, message: str) -> Intake:
        return Intake(ErrorEvent(source="booking_page", code=code, message=message), f"callback: {code}")

    if item.get("unserializable"):
        return error("invalid_payload", "the callback argument could not be serialized")
    data = item.get("data") if item.get("has_argument", "data" in item) else None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            return error("invalid_json", f"the callback argument is text but {_json_problem(exc)}")
    if data is None:
        return Intake(booking_from_classic(None, page, include_query=include_query), "callback without argument")
    if not isinstance(data, dict):
        return error("invalid_payload", f"the callback argument is {type(data).__name__}, not an object")
    try:
        payload = ClassicPayload.from_argument(data)
    except ValidationError as exc:
        return error("invalid_payload", validation_problem(exc))
    if payload.failed:
        return error("booking_failed", "OnceHub reported that the booking did not go through")
    return Intake(booking_from_classic(payload, page, include_query=include_query), "callback booking")


def read_message(
    item: dict[str, Any], page: PageContext, *, include_query: bool, allowed_origins: Sequence[str]
) -> Intake:
    """Read a ``message`` event posted by a Booking Calendar."""
    origin = item.get("origin")
    if origin not in allowed_origins:
        return Intake(None, f"message from origin {origin!r} ignored (not in allowed_origins)")
    data = item.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError:
            return Intake(None, "message ignored: not a OnceHub message")
    kind = message_type(data)
    if kind is None:
        return Intake(None, "message ignored: not a OnceHub message")
    if kind != BOOKING_SCHEDULED:
        return Intake(FunnelEvent(type=kind, page=page.info(include_query=include_query)), f"message {kind}")

    def error(message: str) -> Intake:
        event = ErrorEvent(source="booking_calendar", code="invalid_payload", message=message)
        return Intake(event, f"message {kind}: invalid_payload")

    booking = booking_object(data)
    if not isinstance(booking, dict):
        return error(f"the booking object is {type(booking).__name__}, not an object")
    try:
        parsed = CalendarBooking.model_validate(booking)
    except ValidationError as exc:
        return error(validation_problem(exc))
    return Intake(booking_from_calendar(parsed, page, include_query=include_query), f"message {kind}")


def read_input(
    item: Any, page: PageContext, *, include_query: bool, allowed_origins: Sequence[str]
) -> Intake:
    """Dispatch one input of a ``process`` request on its ``kind``."""
    if not isinstance(item, dict):
        return Intake(None, "input ignored: not an object")
    if item.get("kind") == "callback":
        return read_callback(item, page, include_query=include_query)
    if item.get("kind") == "message":
        return read_message(item, page, include_query=include_query, allowed_origins=allowed_origins)
    return Intake(None, "input ignored: unknown kind")

