"""Promises every sink of the catalogue keeps: SPEC §4 default PII policies, no unknown payload field, and the
Consent Mode keys each sink declares."""

import json

import pytest

from bridge import Bridge
from bridge.sinks import SINKS_BY_TYPE
from bridge.testing import FakeClock

PAGE = {"url": "https://site.example/book?utm_source=newsletter&gclid=G-123", "referrer": None}
DEFAULT_SINKS = [
    {"type": "data_layer"},
    {"type": "local_storage"},
    {"type": "redirect", "url": "/thanks?b={booking_id}"},
    {"type": "gtag"},
    {"type": "meta_pixel", "pixel_id": "1234567890"},
    {"type": "segment", "identify": True},
    {"type": "hubspot", "event_name": "pe1_booking"},
    {"type": "linkedin", "conversion_id": 1234},
    {"type": "custom_event"},
    {"type": "callback", "function": "onBooking"},
    {"type": "beacon", "url": "/api/bookings"},
]
# Every spelling of the customer's identifiers a sink could leak: raw, and normalised by Google's or Meta's rules.
RAW_PII = ["John.Smith@Example.com", "john.smith@example.com", "John Smith", "john", "smith", "1-2025550195",
           "12025550195", "I look forward to the meeting."]


def effects_for(sinks, payload):
    bridge = Bridge(clock=FakeClock())
    report = bridge.start({"config": json.dumps({"sinks": sinks}), "config_origin": "inline", "page": PAGE})
    assert report["problems"] == []
    [result] = bridge.process({"inputs": [{"kind": "callback", "has_argument": True, "data": payload}]})["results"]
    return result["effects"]


def payload(**extra_info):
    info = {"BookingId": ["BKNG-XGYNZXXR3B7D"], "EventTypeName": "Intro", "CustomerName": "John Smith",
            "CustomerEmail": "John.Smith@Example.com", "CustomerPhone": "1-2025550195",
            "Note": "I look forward to the meeting.", **extra_info}
    return {"errorStatus": 0, "bookingInfo": info}


def texts_by_sink(effects):
    by_sink = {}
    for effect in effects:
        by_sink.setdefault(effect["sink"].split()[1], []).append(json.dumps(effect, ensure_ascii=False))
    return {sink: " ".join(texts) for sink, texts in by_sink.items()}


class TestDefaultPolicies:
    def test_every_sink_is_in_the_test(self):
        """The catalogue above covers every registered sink."""
        assert {entry["type"] for entry in DEFAULT_SINKS} == set(SINKS_BY_TYPE)

    def test_no_raw_pii_at_default_policies(self):
        """With every sink at its default policy, no raw or merely normalised identifier leaves any sink."""
        by_sink = texts_by_sink(effects_for(DEFAULT_SINKS, payload()))
        assert set(by_sink) == set(SINKS_BY_TYPE)
        for sink, text in by_sink.items():
            leaked = [value for value in RAW_PII if value.lower() in text.lower()]
            assert leaked == [], f"{sink} leaked {leaked}"

    @pytest.mark.parametrize("entry, expected", [
        ({"type": "hubspot", "pii": "raw"}, "john.smith@example.com"),
        ({"type": "segment", "identify": True, "pii": "raw"}, "John Smith"),
        ({"type": "meta_pixel", "pixel_id": "1234567890", "pii": "raw"}, "12025550195"),
        ({"type": "custom_event", "pii": "raw"}, "I look forward to the meeting."),
        ({"type": "beacon", "url": "/api/bookings", "pii": "raw"}, "John.Smith@Example.com"),
    ])
    def test_raw_only_where_configured(self, entry, expected):
        """A sink configured raw receives the identifiers; the others beside it still do not."""
        by_sink = texts_by_sink(effects_for([entry, {"type": "callback", "function": "f"}], payload()))
        assert expected.lower() in by_sink[entry["type"]].lower()
        assert expected.lower() not in by_sink["callback"].lower()

    def test_unknown_payload_fields_reach_no_sink(self):
        """A field OnceHub might add tomorrow is never forwarded, whatever the policy."""
        sinks = [dict(entry, pii="raw") for entry in DEFAULT_SINKS if entry["type"] != "redirect"]
        effects = effects_for(sinks, payload(SecretNewField="zz-unknown-value"))
        assert effects and "zz-unknown-value" not in json.dumps(effects)


class TestConsentKeys:
    @pytest.mark.parametrize("sink_type, keys", [
        ("gtag", ("analytics_storage", "ad_user_data")),
        ("meta_pixel", ("ad_storage", "ad_user_data")),
        ("linkedin", ("ad_storage", "ad_user_data")),
        ("segment", ("analytics_storage",)),
        ("hubspot", ("analytics_storage",)),
        ("custom_event", ()),
        ("callback", ()),
        ("beacon", ("analytics_storage",)),
    ])
    def test_declared_keys(self, sink_type, keys):
        """Each sink names the Consent Mode v2 keys it needs (gtag: ad_user_data because it sends user_data)."""
        assert SINKS_BY_TYPE[sink_type].consent_keys == keys
