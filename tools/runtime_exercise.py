"""Run every code path of the bridge once (each sink, consent, attribution, every input and error path,
validate_config), so that the build can record which modules the runtime imports. Runs inside Pyodide at build
time (tools/pyodide_build.mjs); the browser tests then prove the trimmed runtime on the same paths, and
tests/e2e/test_runtime_python.py makes the same calls on the shipped runtime's Python and on CPython, answer by answer."""

import copy
import json

from bridge import worker
from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD

PAGE = {"url": "https://site.example/book?utm_source=x&gclid=g&oncehub_bridge_debug=1", "referrer": "https://r.example/"}
ORIGIN = "https://oncehub.com"
EXAMPLE_SINK = """
from typing import Literal
from pydantic import Field
from bridge.effects import Call, Push
from bridge.sinks import Sink, SinkConfig

class ExampleConfig(SinkConfig):
    label: str = Field(max_length=20)
    stage: Literal["lead", "opportunity"] = "lead"

class ExampleSink(Sink):
    config_model = ExampleConfig
    def on_booking(self, booking, context):
        return [Call(path="example.track", args=[self.config.label, booking.get("booking_id")]), "ignored"]
    def on_error(self, error, context):
        raise RuntimeError("a custom sink that fails")
"""
CONFIG = {
    "debug": True,
    "sinks": [
        {"type": "data_layer"},
        {"type": "gtag", "send_to": "AW-1/abc"},
        {"type": "meta_pixel", "pixel_id": "123"},
        {"type": "segment", "identify": True},
        {"type": "hubspot", "pii": "raw"},
        {"type": "linkedin", "conversion_id": 42},
        {"type": "custom_event"},
        {"type": "callback", "function": "acme.track"},
        {"type": "local_storage"},
        {"type": "beacon", "url": "/api/bookings", "errors": True, "funnel": True},
        {"type": "python", "module": "/sinks/example.py", "class": "ExampleSink", "label": "x"},
        {"type": "python", "module": "/sinks/broken.py", "class": "ExampleSink"},
        {"type": "redirect", "url": "/thanks?b={booking_id}"},
    ],
    "consent": {"mode": "on", "wait_ms": 10},
    "attribution": {"max_age_days": 30},
    "page": {"include_query": True},
    "runtime": {"start": "near_embed"},
    "sources": {"booking_calendar": {"allowed_origins": [ORIGIN]}, "redirect": {"keep_params": ["lang"]}},
}
BAD_CONFIG = {"nope": 1, "sinks": [{"type": "redirect", "url": "javascript:alert(1)"}, {"type": "x"}, 3,
                                   {"type": "gtag", "send_to": 5, "pii": "maybe"}],
              "consent": {"mode": "sometimes"}, "runtime": {"start": "never"}}


def calendar(kind, booking=None):
    message = {"type": kind}
    if booking is not None:
        message["payload"] = booking
    return {"kind": "message", "origin": ORIGIN, "data": message}


def inputs():
    classic = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    failed = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    failed["errorStatus"] = 1
    odd = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    odd["bookingInfo"]["MeetingTimes"][0]["UTCTime"] = "0001-01-01T00:00:00+14:00"
    odd["bookingInfo"]["CustomerEmail"] = "\ud800@example.com"
    yield {"kind": "callback", "has_argument": True, "data": classic}
    yield {"kind": "callback", "has_argument": True, "data": json.dumps(classic)}
    yield {"kind": "callback", "has_argument": True, "data": "{not json"}
    yield {"kind": "callback", "has_argument": True, "data": [1]}
    yield {"kind": "callback", "has_argument": True, "data": {"bookingInfo": {"BookingId": 5}}}
    yield {"kind": "callback", "has_argument": True, "data": failed}
    yield {"kind": "callback", "has_argument": True, "data": odd}
    yield {"kind": "callback", "has_argument": False}
    for code in ("payload_too_large", "payload_too_deep", "payload_cyclic", "payload_invalid_text", "invalid_json"):
        yield {"kind": "callback", "has_argument": True, "error": code}
        yield {"kind": "message", "origin": ORIGIN, "type": "oncehub.booking.scheduled", "booking": True, "error": code}
    yield calendar("oncehub.booking.scheduled", copy.deepcopy(SAMPLE_BOOKING_OBJECT))
    yield calendar("oncehub.booking.scheduled", {"id": 5})
    yield calendar("oncehub.booking.scheduled", "text")
    yield calendar("oncehub.form.submitted")
    yield calendar("oncehub." + "x" * 200)
    yield {"kind": "message", "origin": "https://evil.example", "data": {"type": "oncehub.form.submitted"}}
    yield {"kind": "redirect", "shape": "calendar", "params": [
        ["booking_calendar", "BKC-1"], ["subject", "Sales"], ["status", "scheduled"], ["customer_timezone", "Asia/Kolkata"],
        ["id", "BKNG-2R5C3TQBX1PZ"], ["creation_time", "2025-07-17T10:17:10.765Z"],
        ["starting_time", "2025-07-18T11:00:00.000Z"], ["name", "Carrie"], ["email", "c@example.com"], ["company", "Acme"]]}
    yield {"kind": "redirect", "shape": "classic", "params": [
        ["Name", "John Smith"], ["Email", "j@example.com"], ["subject", "S"], ["phone", "1-2025550195"],
        ["bookingPage", "financial"], ["creationTime", "2018-04-25T05:08:18.843Z"],
        ["meetingTime", "2018-04-25T10:45:00.000Z"], ["timeZone", "Eastern time"], ["utcOffset", "-5"]]}
    yield {"kind": "redirect", "shape": "classic", "params": [["meetingTime", "yesterday"], ["utcOffset", "x"]]}
    yield {"kind": "other"}
    yield 7


def calls():
    """The exercise, as (name, request text) for each call, in order; the name is one of bridge.worker's exports."""
    yield "start", json.dumps({"config": json.dumps(CONFIG), "config_origin": "inline", "page": PAGE, "modules": {
        "/sinks/example.py": {"text": EXAMPLE_SINK}, "/sinks/broken.py": {"text": "def ("}}})
    storage = {"oncehub_bridge": None, "oncehub_bridge_attribution": None}
    yield "process", json.dumps({"inputs": [], "consent": [{"command": "default", "state": {"ad_storage": "denied"}}],
                                 "storage": storage})
    yield "process", json.dumps({"inputs": list(inputs()), "storage": storage, "consent": [
        {"command": "update", "state": {"ad_storage": "granted", "analytics_storage": "granted",
                                        "ad_user_data": "granted", "ad_personalization": "granted"}}]})
    yield "process", "not json"
    yield "validate_config", json.dumps(BAD_CONFIG)
    yield "validate_config", "["
    yield "validate_config", json.dumps(CONFIG)


def run():
    for name, text in calls():
        getattr(worker, name)(text)


if __name__ == "__exercise__":  # run by the build (tools/pyodide_compile.py); the tests only read the cases
    run()
