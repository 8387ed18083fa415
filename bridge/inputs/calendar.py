"""Models of Booking Calendar ``oncehub.*`` messages and of the booking object they carry."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

BOOKING_SCHEDULED = "oncehub.booking.scheduled"
UTM_KEYS = ("source", "medium", "campaign", "term", "content")
_MESSAGE_TYPE = re.compile(r"^oncehub(\.[A-Za-z0-9_-]+)+$")
_BOOKING_KEYS = ("payload", "data", "booking")
# defer_build: built by the first input (the worker's background warm-up, see bridge.worker), not at import
_LENIENT = ConfigDict(extra="ignore", coerce_numbers_to_str=True, hide_input_in_errors=True, defer_build=True)


class CalendarUtmParams(BaseModel):
    """UTM parameters nested in the booking object."""

    model_config = _LENIENT

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    term: str | None = None
    content: str | None = None


class CalendarCustomField(BaseModel):
    """One custom form field and its answer."""

    model_config = _LENIENT

    name: str | None = None
    value: str | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _join_lists(cls, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(item) for item in value)
        return value


class FormSubmission(BaseModel):
    """What the customer typed into the booking form."""

    model_config = _LENIENT

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    mobile_phone: str | None = None
    note: str | None = None
    custom_fields: list[CalendarCustomField] = Field(default_factory=list)

    @field_validator("custom_fields", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return [] if value is None else value

    @property
    def best_phone(self) -> str | None:
        """The phone number, falling back to the mobile number when the phone is empty."""
        return self.phone or self.mobile_phone or None


class CalendarBooking(BaseModel):
    """The OnceHub booking object as posted by Booking Calendars with ``oncehub.booking.scheduled``."""

    model_config = _LENIENT

    id: str | None = None
    """The booking id (``BKNG-...``)."""
    subject: str | None = None
    starting_time: datetime | None = None
    duration_minutes: int | None = None
    customer_timezone: str | None = None
    """IANA zone of the customer, used to compute ``customer_time`` when the runtime knows the zone."""
    cancel_reschedule_link: str | None = None
    form_submission: FormSubmission | None = None
    utm_params: CalendarUtmParams | None = None
    utm_source: str | None = None
    utm_medium: str | None = None
    utm_campaign: str | None = None
    utm_term: str | None = None
    utm_content: str | None = None

    @property
    def utm(self) -> dict[str, str | None]:
        """UTM parameters from the nested object, else from the flat ``utm_*`` fields."""
        if self.utm_params is not None and any(self.utm_params.model_dump().values()):
            return self.utm_params.model_dump()
        return {key: getattr(self, f"utm_{key}") for key in UTM_KEYS}


def message_type(data: Any) -> str | None:
    """Return the ``oncehub.*`` type of a posted message, or ``None`` when it is not a OnceHub message."""
    if isinstance(data, dict):
        kind = data.get("type")
        if isinstance(kind, str) and len(kind) <= 100 and _MESSAGE_TYPE.match(kind):
            return kind
    return None


def booking_object(message: dict[str, Any]) -> Any:
    """Find the booking object in a ``oncehub.booking.scheduled`` message.

    It may sit under ``payload``, ``data`` or ``booking`` (as an object or JSON text), or be the message itself.
    """
    for key in _BOOKING_KEYS:
        candidate = message.get(key)
        if candidate is None:
            continue
        if isinstance(candidate, str):
            try:
                return json.loads(candidate)
            except ValueError:
                return candidate
        return candidate
    return message
