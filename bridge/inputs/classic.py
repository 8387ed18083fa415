"""Models of the classic booking-page payload passed to ``SOAfterConfirmationFunction(data)``."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# defer_build: built by the first input (the worker's background warm-up, see bridge.worker), not at import
_LENIENT = ConfigDict(extra="ignore", coerce_numbers_to_str=True, hide_input_in_errors=True, defer_build=True)


class ClassicMeetingTime(BaseModel):
    """One meeting of the booking, in UTC, customer and booking-page time."""

    model_config = _LENIENT

    UTCTime: datetime | None = None
    """Start in UTC; a value without a zone suffix is UTC."""
    CustomerTime: datetime | None = None
    """Start as wall-clock time in the customer's zone."""
    SOTime: datetime | None = None
    """Start as wall-clock time in the booking page's zone."""


class ClassicCalendarEvent(BaseModel):
    """Download links of the calendar files."""

    model_config = _LENIENT

    ICS: str | None = None
    VCS: str | None = None


class BookingInfo(BaseModel):
    """The ``bookingInfo`` object: what OnceHub tells the page about one booking."""

    model_config = _LENIENT

    Version: str | None = None
    MeetingTimes: list[ClassicMeetingTime] = Field(default_factory=list)
    CancelRescheduleLink: str | None = None
    Note: str | None = None
    CalendarEvent: ClassicCalendarEvent | None = None
    statusCode: str | None = None
    """``"1"`` success, ``"0"`` invalid request."""
    Message: str | None = None
    CustomerName: str | None = None
    CustomerEmail: str | None = None
    CustomerPhone: str | None = None
    EventTypeName: str | None = None
    BookingId: list[str] = Field(default_factory=list)
    """Booking ids; several for a session package. A single string is accepted too."""

    @field_validator("BookingId", mode="before")
    @classmethod
    def _one_or_many_ids(cls, value: Any) -> Any:
        if value is None:
            return []
        if isinstance(value, str):
            return [value] if value else []
        return value

    @field_validator("MeetingTimes", mode="before")
    @classmethod
    def _none_is_no_meetings(cls, value: Any) -> Any:
        return [] if value is None else value


class ClassicPayload(BaseModel):
    """The whole callback argument: an error status and the booking information."""

    model_config = _LENIENT

    errorStatus: int | None = None
    """``0`` success, ``1`` the booking did not go through."""
    statusCode: str | None = None
    bookingInfo: BookingInfo | None = None

    @property
    def failed(self) -> bool:
        """Whether OnceHub reported that this is not a booking."""
        status_codes = {self.statusCode, self.bookingInfo.statusCode if self.bookingInfo else None}
        return self.errorStatus == 1 or "0" in status_codes

    @classmethod
    def from_argument(cls, data: dict[str, Any]) -> ClassicPayload:
        """Validate the callback argument; a bare ``bookingInfo`` object (no wrapper) is accepted too."""
        if "bookingInfo" not in data and ("BookingId" in data or "MeetingTimes" in data):
            data = {"errorStatus": data.get("errorStatus"), "bookingInfo": data}
        return cls.model_validate(data)
