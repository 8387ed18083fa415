"""What a sink may see of an event: its PII policy, then its ``fields`` allow-list."""

from __future__ import annotations

from typing import Any, Collection, Literal

from .event import BOOKING_FIELDS, HASHED_FIELDS, PII_FIELDS, BookingEvent, Event

PiiPolicy = Literal["none", "hashed", "raw"]

_HIDDEN_BY_POLICY: dict[str, frozenset[str]] = {
    "none": PII_FIELDS | HASHED_FIELDS,
    "hashed": PII_FIELDS,
    "raw": frozenset(),
}


def visible_fields(policy: PiiPolicy, fields: Collection[str] | None = None) -> frozenset[str]:
    """Booking fields a sink with this policy and allow-list receives."""
    allowed = frozenset(BOOKING_FIELDS) - _HIDDEN_BY_POLICY[policy]
    return allowed if fields is None else allowed & frozenset(fields)


def view(event: Event, policy: PiiPolicy = "hashed", fields: Collection[str] | None = None) -> dict[str, Any]:
    """The event as a sink sees it: bookings are filtered; errors and funnel steps hold no PII and pass whole.

    ``none`` drops ``customer``, ``note`` and ``user_data``; ``hashed`` drops ``customer`` and ``note``;
    ``raw`` keeps everything. Field order follows the event.
    """
    data = event.to_dict()
    if not isinstance(event, BookingEvent):
        return data
    shown = visible_fields(policy, fields)
    return {key: value for key, value in data.items() if key in shown}


FLAT_SCALARS = ("booking_id", "subject", "source", "starting_time", "duration_minutes")
_FLAT_NESTED = {"utm_params": "utm_", "click_ids": ""}


def flat_fields(booking: dict[str, Any]) -> dict[str, Any]:
    """The PII-free scalars of a booking view as one flat mapping, for tools that take flat parameters (GA4,
    pixels, HubSpot): ``booking_id``, ``subject``, ``source``, ``starting_time``, ``duration_minutes``,
    ``utm_source``... and the click ids. Absent values are left out; what the view hides stays hidden."""
    flat = {name: booking[name] for name in FLAT_SCALARS if booking.get(name) is not None}
    for parent, prefix in _FLAT_NESTED.items():
        for key, value in (booking.get(parent) or {}).items():
            if value is not None:
                flat[prefix + key] = value
    return flat
