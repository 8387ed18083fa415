"""OnceHub's automatic redirect with booking data: the query parameters of the confirmation page, in the Booking
Calendar set (``id``, ``starting_time``, ``name``, ``email``, ...) or the classic set (``Name``, ``Email``,
``meetingTime``, ``timeZone``, ``utcOffset``, ...). What is not a known booking field is a custom field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

SITE_PARAMETERS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "gclid", "fbclid",
                   "msclkid", "oncehub_bridge_debug")
"""The site's own parameters: never a custom field."""

CALENDAR_FIELDS = ("id", "booking_calendar", "subject", "status", "customer_timezone", "creation_time",
                   "starting_time", "name", "email", "phone", "mobile_phone", "note", "company", "guests", "location")
CLASSIC_FIELDS = ("Name", "Email", "phone", "mobile", "company", "note", "customerGuests", "location", "bookingPage",
                  "subject", "creationTime", "meetingTime", "timeZone", "utcOffset")
BOOKING_ID = re.compile(r"^BKNG-[A-Z0-9]{1,40}$")


@dataclass(frozen=True)
class RedirectBooking:
    """The booking fields a redirect's query carries (text as given; empty means absent)."""

    shape: str
    values: dict[str, str]
    custom_fields: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def from_params(cls, shape: Any, params: Any, personal: tuple[str, ...] = ()) -> RedirectBooking | None:
        """Read the loader's ``[[name, value], ...]`` pairs; ``None`` when they are not one of OnceHub's sets.
        Names in ``personal`` are the site's own personal parameters: they are dropped, never a custom field."""
        if shape not in ("calendar", "classic") or not isinstance(params, list):
            return None
        known = CALENDAR_FIELDS if shape == "calendar" else CLASSIC_FIELDS
        values: dict[str, str] = {}
        custom: list[dict[str, str]] = []
        for pair in params[:200]:
            if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
                continue
            name, value = pair
            if name in known:
                values.setdefault(name, value)
            elif name not in SITE_PARAMETERS and name not in personal and value:
                custom.append({"name": name, "value": value})
        return cls(shape=shape, values=values, custom_fields=custom)

    def get(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if value else None


ISO_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
                      r"(Z|[+-][0-9]{2}:[0-9]{2})?")
"""The times parse_time reads: what ``datetime.fromisoformat`` reads alike on every Python the bridge runs on
(3.14 in the browser also takes ``T24:00``, other digits than ASCII and more forms that 3.11 refuses)."""


def parse_time(text: Any) -> datetime | None:
    """An ISO 8601 time (``Z`` or an offset; without one it is UTC), or ``None`` when it is not one or out of range."""
    if not isinstance(text, str) or not ISO_TIME.fullmatch(text):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):
        return None


def offset_zone(text: str | None) -> timezone | None:
    """The fixed zone of a classic ``utcOffset`` in hours (``-5``, ``5.5``), or ``None``."""
    try:
        hours = float(text) if text else None
    except ValueError:
        return None
    if hours is None or not -14 <= hours <= 14:
        return None
    return timezone(timedelta(minutes=round(hours * 60)))


def booking_ids(booking: RedirectBooking) -> list[str]:
    """The booking id of a Booking Calendar redirect (the classic set carries none)."""
    booking_id = booking.get("id")
    return [booking_id] if booking_id and BOOKING_ID.match(booking_id) else []
