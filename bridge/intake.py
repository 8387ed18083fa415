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
from .inputs.redirect import RedirectBooking
from .normalize import booking_from_calendar, booking_from_classic, booking_from_redirect
from .page import PageContext

LIMIT_MESSAGES = {
    "payload_too_large": "the payload is larger than the bridge accepts",
    "payload_too_deep": "the payload is nested deeper than the bridge accepts",
    "payload_cyclic": "the payload refers to itself",
    "payload_invalid_text": "the payload has text that is not valid Unicode",
    "payload_unreadable": "the payload could not be read",
    "payload_invalid_type": "the message type is not one the bridge accepts",
    "invalid_json": "the payload is text but not JSON",
}
"""The error markers the loader sets when an input breaks a limit before it is copied, and what they mean."""
MAX_MESSAGE_TYPE = 100


_AS_TEXT = json.JSONEncoder(ensure_ascii=False).encode


def has_lone_surrogate(value: Any) -> bool:
    """Whether any text in a JSON value (keys included) holds a lone UTF-16 surrogate (not valid Unicode).

    The C JSON encoder writes the value as text, non-ASCII as is, which UTF-8 refuses exactly when a string holds a
    surrogate: in Pyodide about half the time of a walk over its keys and values (OnceHub's sample payload: 15
    against 28 µs, medians of 3 rounds), and each booking's payload is checked."""
    try:
        _AS_TEXT(value).encode("utf-8")
        return False
    except UnicodeEncodeError:
        return True
    except (TypeError, ValueError, RecursionError):  # not a value JSON text gives: none of it is a page's text
        return False


def limit_error(source: str, code: Any) -> Intake:
    """The error event of a loader's error marker (an unknown marker is reported as unreadable)."""
    code = code if code in LIMIT_MESSAGES else "payload_unreadable"
    return Intake(ErrorEvent(source=source, code=code, message=LIMIT_MESSAGES[code]), f"{source}: {code}")


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
    if "error" in item:
        return limit_error("booking_page", item["error"])
    data = item.get("data") if item.get("has_argument", "data" in item) else None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, RecursionError) as exc:
            problem = _json_problem(exc) if isinstance(exc, json.JSONDecodeError) else "nested too deep"
            return error("invalid_json", f"the callback argument is text but {problem}")
    if has_lone_surrogate(data):
        return limit_error("booking_page", "payload_invalid_text")
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
    if "error" in item:
        return limit_error("booking_calendar", item["error"])
    data = item.get("data")
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, RecursionError):
            return Intake(None, "message ignored: not a OnceHub message")
    raw_type = data.get("type") if isinstance(data, dict) else None
    if isinstance(raw_type, str) and raw_type.startswith("oncehub.") and len(raw_type) > MAX_MESSAGE_TYPE:
        return limit_error("booking_calendar", "payload_invalid_type")
    kind = message_type(data)
    if kind is None:
        return Intake(None, "message ignored: not a OnceHub message")
    if has_lone_surrogate(data):
        return limit_error("booking_calendar", "payload_invalid_text")
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


def read_redirect(item: dict[str, Any], page: PageContext, *, include_query: bool,
                  personal: tuple[str, ...] = ()) -> Intake:
    """Read the query parameters of OnceHub's automatic redirect (the loader has taken them out of the URL)."""
    if has_lone_surrogate(item.get("params")):
        return limit_error("redirect", "payload_invalid_text")
    booking = RedirectBooking.from_params(item.get("shape"), item.get("params"), personal)
    if booking is None:
        event = ErrorEvent(source="redirect", code="invalid_payload", message="the redirect parameters are not OnceHub's")
        return Intake(event, "redirect: invalid_payload")
    return Intake(booking_from_redirect(booking, page, include_query=include_query), f"redirect booking ({booking.shape})")


def read_input(
    item: Any, page: PageContext, *, include_query: bool, allowed_origins: Sequence[str],
    redirect_enabled: bool = True, personal_params: tuple[str, ...] = (),
) -> Intake:
    """Dispatch one input of a ``process`` request on its ``kind``."""
    if not isinstance(item, dict):
        return Intake(None, "input ignored: not an object")
    if item.get("kind") == "callback":
        return read_callback(item, page, include_query=include_query)
    if item.get("kind") == "message":
        return read_message(item, page, include_query=include_query, allowed_origins=allowed_origins)
    if item.get("kind") == "redirect":
        if not redirect_enabled:
            return Intake(None, "redirect ignored: sources.redirect is off")
        return read_redirect(item, page, include_query=include_query, personal=personal_params)
    return Intake(None, "input ignored: unknown kind")


def source_of(item: Any) -> str | None:
    """The source a (possibly malformed) input claims, for the error event of an input that failed unexpectedly;
    ``None`` for a message that is not OnceHub's (it gets no event)."""
    if not isinstance(item, dict):
        return None
    kind = item.get("kind")
    if kind == "callback":
        return "booking_page"
    if kind == "redirect":
        return "redirect"
    if kind == "message" and (item.get("booking") or message_type(item.get("data")) is not None):
        return "booking_calendar"
    return None

