"""``BookingEvent``, ``ErrorEvent`` and ``FunnelEvent``: what every input becomes before the sinks see it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from .identity import USER_DATA_KEYS

Source = Literal["booking_page", "booking_calendar", "redirect"]
# defer_build: built by the first booking (the worker's background warm-up, see bridge.worker), not at import
_EVENT = ConfigDict(extra="forbid", hide_input_in_errors=True, defer_build=True)


def utc_text(moment: datetime | None) -> str | None:
    """Format a start time as UTC ``YYYY-MM-DDTHH:MM:SSZ``; a time without a zone is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone(timezone.utc)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 lies before the first representable UTC time
            return None
    return wall_clock_text(moment) + "Z"


def epoch_utc_text(seconds: float) -> str:
    """Format a Unix time as UTC ``YYYY-MM-DDTHH:MM:SSZ`` (when a booking was stored, a value captured)."""
    return utc_text(datetime.fromtimestamp(seconds, timezone.utc))


def wall_clock_text(moment: datetime | None) -> str | None:
    """Format a wall-clock time ``YYYY-MM-DDTHH:MM:SS`` as given, dropping any offset (and fractions of a second).
    Not strftime: its ``%Y`` gives a year before 1000 without its leading zeros on glibc, with them in Pyodide."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat() if moment is not None else None


def none_if_empty(values: dict[str, Any]) -> dict[str, Any] | None:
    """Return ``values`` unless every value is absent, then ``None`` (absent stays absent)."""
    for value in values.values():
        if value is not None and value != "" and value != []:
            return values
    return None


def funnel_event_name(message_type: str) -> str:
    """``oncehub_`` + the message type after ``oncehub.`` with dots as underscores."""
    return "oncehub_" + message_type.removeprefix("oncehub.").replace(".", "_")


class MeetingTimes(BaseModel):
    """One meeting: start in UTC and as wall clock in the customer's and the booking page's zone."""

    model_config = _EVENT

    starting_time: str | None = None
    customer_time: str | None = None
    booking_page_time: str | None = None


class Customer(BaseModel):
    """Raw customer identifiers: PII, only for sinks whose policy is ``raw``."""

    model_config = _EVENT

    name: str | None = None
    email: str | None = None
    phone: str | None = None


class CalendarEventLinks(BaseModel):
    """Download links of the booking's calendar files."""

    model_config = _EVENT

    ics: str | None = None
    vcs: str | None = None


class CustomField(BaseModel):
    """A custom booking-form field and its answer."""

    model_config = _EVENT

    name: str | None = None
    value: str | None = None


class UtmParams(BaseModel):
    """Campaign parameters of the visit that booked."""

    model_config = _EVENT

    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    term: str | None = None
    content: str | None = None


class ClickIds(BaseModel):
    """Ad click ids found on the host page."""

    model_config = _EVENT

    gclid: str | None = None
    fbclid: str | None = None
    msclkid: str | None = None


class PageInfo(BaseModel):
    """The host page, without query string unless configured."""

    model_config = _EVENT

    url: str | None = None
    referrer: str | None = None


class _EventBase(BaseModel):
    """What every event shares: a ``kind`` for subscribers, a ``name`` for analytics, plain-data output."""

    model_config = _EVENT
    kind: ClassVar[str]

    def to_dict(self) -> dict[str, Any]:
        """The event as plain JSON-ready data."""
        return self.model_dump(mode="json")


class BookingEvent(_EventBase):
    """One booking, whatever its source (SPEC §3). Absent information is ``None`` or ``[]``."""

    kind: ClassVar[str] = "booking"

    source: Source
    booking_id: str | None = None
    booking_ids: list[str] = Field(default_factory=list)
    subject: str | None = None
    starting_time: str | None = None
    customer_time: str | None = None
    booking_page_time: str | None = None
    meetings: list[MeetingTimes] = Field(default_factory=list)
    duration_minutes: int | None = None
    customer: Customer | None = None
    user_data: dict[str, str] | None = None
    """``sha256_email_address`` / ``sha256_phone_number``; keys whose input is absent are omitted."""
    note: str | None = None
    cancel_reschedule_link: str | None = None
    calendar_event: CalendarEventLinks | None = None
    custom_fields: list[CustomField] = Field(default_factory=list)
    utm_params: UtmParams | None = None
    click_ids: ClickIds | None = None
    page: PageInfo | None = None
    payload_version: str | None = None

    @property
    def name(self) -> str:
        """The analytics event name."""
        return "oncehub_booking_scheduled"


class ErrorEvent(_EventBase):
    """A payload that is not a booking: OnceHub reported a failure, or it could not be read."""

    kind: ClassVar[str] = "error"

    source: Source
    code: str
    """``booking_failed``, ``invalid_json``, ``invalid_payload``, a limit the loader enforced (``payload_too_large``,
    ``payload_too_deep``, ``payload_cyclic``, ``payload_invalid_text``, ``payload_unreadable``,
    ``payload_invalid_type``) or ``internal_error``."""
    message: str
    """What went wrong, without any value from the payload."""

    @property
    def name(self) -> str:
        """The analytics event name."""
        return "oncehub_booking_error"


class FunnelEvent(_EventBase):
    """A Booking Calendar step other than a booking (loaded, time slot selected, form submitted...)."""

    kind: ClassVar[str] = "funnel"

    source: Source = "booking_calendar"
    type: str
    """The ``oncehub.*`` message type; the message's other data is never forwarded (it may be PII)."""
    page: PageInfo | None = None

    @property
    def name(self) -> str:
        """``oncehub_`` + the type after ``oncehub.`` with dots as underscores."""
        return funnel_event_name(self.type)


Event = BookingEvent | ErrorEvent | FunnelEvent
BOOKING_FIELDS: tuple[str, ...] = tuple(BookingEvent.model_fields)
PII_FIELDS = frozenset({"customer", "note"})
HASHED_FIELDS = frozenset({"user_data"})
_NESTED: dict[str, tuple[str, ...]] = {
    "customer": tuple(Customer.model_fields),
    "calendar_event": tuple(CalendarEventLinks.model_fields),
    "utm_params": tuple(UtmParams.model_fields),
    "click_ids": tuple(ClickIds.model_fields),
    "page": tuple(PageInfo.model_fields),
    "user_data": USER_DATA_KEYS,
}
_LISTS_OF_OBJECTS = frozenset({"meetings", "custom_fields"})
TEMPLATE_PATHS: frozenset[str] = frozenset(
    [name for name in BOOKING_FIELDS if name not in _NESTED and name not in _LISTS_OF_OBJECTS]
    + [f"{parent}.{child}" for parent, children in _NESTED.items() for child in children]
)
"""Every ``{placeholder}`` a URL template may use: scalar fields and the keys of nested objects."""
