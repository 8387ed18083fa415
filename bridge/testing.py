"""Test helpers: OnceHub's documented sample payloads, a fake page that applies effects the way the loader does,
a controllable clock, and the kit to unit-test a custom Python sink in CPython (``check_options``, ``run_sink``)."""

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


PAGE_URL = "https://site.example/book"
"""The page the test kit runs a sink on."""
_MODULE_PATH = "/sinks/under-test.py"


def _bridge_with(sink_class: type, options: dict[str, Any], page_url: str, debug: bool = True):
    import sys

    from .app import Bridge

    entry = {"type": "python", "module": _MODULE_PATH, "class": sink_class.__name__, **options}
    bridge = Bridge(clock=FakeClock())
    bridge.modules.preload(_MODULE_PATH, sys.modules[sink_class.__module__])
    report = bridge.start({"config": json.dumps({"debug": debug, "sinks": [entry]}), "page": {"url": page_url},
                           "keep_modules": True})
    return bridge, report["problems"]


def check_options(sink_class: type, options: dict[str, Any] | None = None, page_url: str = PAGE_URL) -> list[str]:
    """The problems the bridge would report for a ``python`` sink of ``sink_class`` with these options (``[]``
    when it would run), worded exactly as the page's console shows them."""
    return _bridge_with(sink_class, options or {}, page_url)[1]


@dataclass
class SinkRun:
    """What a custom sink did with the inputs of ``run_sink``."""

    effects: list[dict[str, Any]]
    """The effects the loader would apply (as the protocol's dicts), the sink's only, in order."""
    log: list[str]
    """The debug lines: skips, failures (told once), return values that were ignored."""
    events: list[dict[str, Any]]
    """The events the inputs became (as ``OnceHubBridge.on`` subscribers see them)."""


def run_sink(sink_class: type, options: dict[str, Any] | None = None, inputs: list[Any] | None = None,
             page_url: str = PAGE_URL) -> SinkRun:
    """Run a custom sink through the real pipeline (its ``pii`` and ``fields`` policy, the checks on what it
    returns), as a ``python`` sink configured with ``options``. ``inputs`` are callback payloads (dicts) or
    Booking Calendar messages (dicts with a ``type``); default: OnceHub's documented classic payload."""
    bridge, problems = _bridge_with(sink_class, options or {}, page_url)
    if problems:
        raise ValueError("; ".join(problems))
    items = []
    for item in inputs if inputs is not None else [SAMPLE_CLASSIC_PAYLOAD]:
        if isinstance(item, dict) and str(item.get("type", "")).startswith("oncehub."):
            items.append({"kind": "message", "origin": "https://oncehub.com", "data": item})
        else:
            items.append({"kind": "callback", "has_argument": True, "data": item})
    response = bridge.process({"inputs": items, "consent": [], "storage": {}})
    results = response["results"]
    return SinkRun(effects=[e for r in results for e in r["effects"]],
                   log=[line for r in results for line in r["log"]],
                   events=[e["event"] for r in results for e in r["events"]])
