"""The beacon sink: the event as JSON to the site's own endpoint, same-origin or allowed hosts only, hashed by
default, before the redirect."""

import json

import pytest

from bridge import Bridge
from bridge.testing import SAMPLE_CLASSIC_PAYLOAD, FakeClock

PAGE = {"url": "https://site.example/book", "referrer": None}


def started(*sinks):
    bridge = Bridge(clock=FakeClock())
    report = bridge.start({"config": json.dumps({"sinks": list(sinks)}), "page": PAGE})
    return bridge, report["problems"]


def effects(bridge, data):
    [result] = bridge.process({"inputs": [{"kind": "callback", "has_argument": True, "data": data}]})["results"]
    return result["effects"]


class TestEndpointRules:
    @pytest.mark.parametrize("url, absolute", [("/api/bookings", "https://site.example/api/bookings"),
                                               ("https://site.example/b", "https://site.example/b"),
                                               ("collect", "https://site.example/collect")])
    def test_the_pages_own_origin(self, url, absolute):
        bridge, problems = started({"type": "beacon", "url": url})
        assert problems == []
        [beacon] = effects(bridge, SAMPLE_CLASSIC_PAYLOAD)
        assert beacon["op"] == "beacon" and beacon["url"] == absolute

    def test_an_allowed_host(self):
        bridge, problems = started({"type": "beacon", "url": "https://api.site.example/b",
                                    "allowed_hosts": ["api.site.example"]})
        assert problems == [] and effects(bridge, SAMPLE_CLASSIC_PAYLOAD)[0]["url"] == "https://api.site.example/b"

    @pytest.mark.parametrize("url, problem", [
        ("https://evil.example/collect", "neither the page's origin nor in allowed_hosts"),
        ("javascript:alert(1)", "javascript: targets are not allowed"),
        ("//evil.example/c", "neither the page's origin"),
        ("http://site.example/b", "neither the page's origin"),  # another scheme is another origin
        ("/b?id={booking_id}", "takes no placeholders"),
    ])
    def test_anything_else_is_one_readable_problem_and_never_a_request(self, url, problem):
        bridge, problems = started({"type": "beacon", "url": url}, {"type": "data_layer"})
        assert len(problems) == 1 and problems[0].startswith("sinks[0] (beacon): url:") and problem in problems[0]
        assert [e["op"] for e in effects(bridge, SAMPLE_CLASSIC_PAYLOAD)] == ["push"]  # the other sink still runs

    def test_allowed_hosts_are_bare_host_names(self):
        _, problems = started({"type": "beacon", "url": "/b", "allowed_hosts": ["https://x.example"]})
        assert problems and "not a bare host name" in problems[0]


class TestBody:
    def test_hashed_by_default(self):
        bridge, _ = started({"type": "beacon", "url": "/api/bookings"})
        [beacon] = effects(bridge, SAMPLE_CLASSIC_PAYLOAD)
        assert beacon["body"]["event"] == "oncehub_booking_scheduled"
        data = beacon["body"]["data"]
        assert data["booking_id"] == "BKNG-XGYNZXXR3B7D" and len(data["user_data"]["sha256_email_address"]) == 64
        assert "johnsmith@example.com" not in json.dumps(beacon) and "John Smith" not in json.dumps(beacon)

    def test_errors_and_funnel_only_when_asked(self):
        bridge, _ = started({"type": "beacon", "url": "/b"}, {"type": "beacon", "url": "/e", "errors": True})
        sent = effects(bridge, {"errorStatus": 1})
        assert [(e["url"], e["body"]["event"]) for e in sent] == [("https://site.example/e", "oncehub_booking_error")]

    def test_sent_before_the_redirect(self):
        bridge, _ = started({"type": "redirect", "url": "/thanks"}, {"type": "beacon", "url": "/b"})
        assert [e["op"] for e in effects(bridge, SAMPLE_CLASSIC_PAYLOAD)] == ["beacon", "navigate"]
