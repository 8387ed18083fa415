"""Which bookings were already delivered on this page (SPEC §5: each booking reaches each sink once)."""

from __future__ import annotations

import json
from typing import Callable

from .event import BookingEvent
from .identity import sha256_hex

HOST_PAGE_FIELDS = frozenset({"source", "utm_params", "click_ids", "page"})
EMPTY_WINDOW_SECONDS = 5.0
"""How long a booking without any details counts as the same one (OnceHub firing twice)."""


def booking_content(event: BookingEvent) -> dict:
    """The fields that came from the payload, without what the host page added."""
    return {key: value for key, value in event.to_dict().items() if key not in HOST_PAGE_FIELDS}


def dedup_keys(event: BookingEvent) -> tuple[str, ...]:
    """Keys that identify a booking: its ids, else a hash of its canonical content; ``()`` when it has none."""
    if event.booking_ids:
        return tuple(f"id:{booking_id}" for booking_id in event.booking_ids)
    content = booking_content(event)
    if not any(value not in (None, []) for value in content.values()):
        return ()
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return (f"content:{sha256_hex(canonical)}",)


class DeliveredBookings:
    """Remembers delivered bookings; a booking without details is only remembered for a short window."""

    def __init__(self, clock: Callable[[], float], *, empty_window_seconds: float = EMPTY_WINDOW_SECONDS):
        self._clock = clock
        self._empty_window = empty_window_seconds
        self._seen: set[str] = set()
        self._last_empty_at: float | None = None

    def first_delivery(self, event: BookingEvent) -> bool:
        """Record ``event`` and return whether it is the first delivery of this booking on the page."""
        keys = dedup_keys(event)
        if not keys:
            now = self._clock()
            repeated = self._last_empty_at is not None and now - self._last_empty_at < self._empty_window
            self._last_empty_at = now
            return not repeated
        if any(key in self._seen for key in keys):
            return False
        self._seen.update(keys)
        return True
