"""Test helpers: OnceHub's documented sample payloads, a fake page that applies effects the way the loader does,
and a controllable clock."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SAMPLE_CLASSIC_PAYLOAD: dict[str, Any] = {
    "errorStatus": 0,
    "bookingInfo": {
        "Version": "7.35",
        "MeetingTimes": [
            {"UTCTime": "2018-04-25T06:45:00", "CustomerTime": "2018-04-25T07:45:00", "SOTime": "2018-04-25T09:45:00"}
        ],
        "CancelRescheduleLink": "https://go.oncehub.com/dana?Params=abc",
        "Note": "I look forward to the meeting.",
        "CalendarEvent": {
            "ICS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=m&type=1",
            "VCS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=m&type=3",
        },
        "statusCode": "1",
        "Message": None,
        "CustomerName": "John Smith",
        "CustomerEmail": "johnsmith@example.com",
        "CustomerPhone": "1-2025550195",
        "EventTypeName": "Automatic booking - 15-minute meeting",
        "BookingId": ["BKNG-XGYNZXXR3B7D"],
    },
}
"""The sample payload of OnceHub's SOAfterConfirmationFunction docs (copy before changing it)."""

SAMPLE_BOOKING_OBJECT: dict[str, Any] = {
    "object": "booking",
    "id": "BKNG-J4FR05BKEWEX",
    "tracking_id": "D36E0002",
    "subject": "Live demo",
    "status": "scheduled",
    "creation_time": "2020-03-22T09:48:48Z",
    "starting_time": "2020-03-22T04:30:00Z",
    "owner": "USR-FSD423423",
    "duration_minutes": 60,
    "form_submission": {
        "name": "Carrie Customer",
        "email": "carrie@example.com",
        "phone": "",
        "mobile_phone": "1-2025550195",
        "note": "I want to discuss whether your product can work for our office.",
        "company": None,
        "guests": [""],
        "custom_fields": [{"name": "Title", "value": "Executive Assistant"}],
    },
    "booking_page": "BP-X0LCRU5LES",
    "utm_params": {"source": "facebook", "medium": "social", "campaign": None, "term": None, "content": None},
}
"""The sample booking object of OnceHub's API docs, as a Booking Calendar posts it (copy before changing it)."""


@dataclass
class FakeClock:
    """A clock for ``Bridge(clock=...)`` that only moves when told to."""

    now: float = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move the clock forward."""
        self.now += seconds


@dataclass
class FakePage:
    """Globals, ``localStorage`` and navigations of a page, changed only through loader effects."""

    globals: dict[str, list[Any]] = field(default_factory=dict)
    storage: dict[str, str] = field(default_factory=dict)
    dispatched: list[tuple[str, Any]] = field(default_factory=list)
    navigations: list[str] = field(default_factory=list)
    resets: list[tuple[str, str]] = field(default_factory=list)
    """``(target, key)`` of each ``{key: null}`` push made before an event (GTM's merge)."""

    def apply(self, effects: list[dict[str, Any]]) -> None:
        """Carry out protocol effects (plain dicts), as the JavaScript loader would (every navigation is recorded)."""
        for effect in effects:
            op = effect["op"]
            if op == "push":
                if effect.get("reset"):  # the loader pushes {reset: null} first; kept apart to keep globals readable
                    self.resets.append((effect["target"], effect["reset"]))
                self.globals.setdefault(effect["target"], []).append(effect["value"])
            elif op == "store" and effect["value"] is None:
                self.storage.pop(effect["key"], None)
            elif op == "store":
                self.storage[effect["key"]] = effect["value"]
            elif op == "dispatch":
                self.dispatched.append((effect["name"], effect["detail"]))
            elif op == "navigate":
                self.navigations.append(effect["url"])

    def apply_results(self, response: dict[str, Any]) -> None:
        """Apply a ``process`` response as the loader does: its page-level effects, then every result in order."""
        self.apply(response.get("effects", []))
        for result in response["results"]:
            self.apply(result["effects"])

    def stored_json(self, key: str = "oncehub_bridge") -> Any:
        """The parsed JSON stored under ``key``."""
        return json.loads(self.storage[key])
