"""Bridge end to end: the loader protocol of docs/architecture.md, with the seed payloads."""

import hashlib
import json

import pytest

import bridge.app
from bridge import Bridge
from bridge.testing import FakeClock, FakePage

PAGE = {"url": "https://site.example/book?utm_source=newsletter&gclid=G-1", "referrer": "https://google.com/"}


def started(config=None, page=PAGE, clock=None):
    bridge_ = Bridge(clock=clock or FakeClock())
    report = bridge_.start({"config": json.dumps(config) if config is not None else None,
                            "config_origin": "inline" if config is not None else "default",
                            "config_fetch_error": None, "page": page})
    return bridge_, report


def callback(data):
    return {"kind": "callback", "has_argument": True, "data": data}


def message(data, origin="https://oncehub.com"):
    return {"kind": "message", "origin": origin, "data": data}


class TestStart:
    def test_default_report(self):
        """No config: no problems, no debug, only the first-touch storage key, no log."""
        _, report = started()
        assert report == {"problems": [], "debug": False, "storage_keys": ["oncehub_bridge_attribution"], "log": []}

    def test_report_names_problems_and_storage_keys(self):
        """Problems are listed one per fault; storage_keys are the local_storage sinks' keys."""
        _, report = started({"sinks": [{"type": "local_storage", "key": "visits"}, {"type": "nope"},
                                       {"type": "local_storage"}], "consnet": 1})
        assert report["storage_keys"] == ["visits", "oncehub_bridge", "oncehub_bridge_attribution"]
        assert len(report["problems"]) == 2

    def test_debug_from_page_url(self):
        """?oncehub_bridge_debug=1 turns debug logging on."""
        _, report = started(page={"url": "https://site.example/?oncehub_bridge_debug=1"})
        assert report["debug"] is True and report["log"]

    def test_fetch_error_reported(self):
        """A config URL that could not be fetched is reported; the default sink runs."""
        report = Bridge().start({"config": None, "config_origin": "url", "config_fetch_error": "HTTP 404",
                                 "page": PAGE})
        assert report["problems"] == ["config could not be loaded (HTTP 404); using defaults"]

    def test_start_never_raises(self, monkeypatch):
        """A bug while starting becomes a problem string, and the default sink still runs."""
        def broken(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(bridge.app, "parse_config", broken)
        bridge_ = Bridge()
        report = bridge_.start({"config": "{}", "page": PAGE})
        assert report["problems"] == ["internal error while starting (RuntimeError); using defaults"]
        effects = bridge_.process({"inputs": [callback({"bookingInfo": {"BookingId": "B"}})]})["results"][0]["effects"]
        assert [effect["op"] for effect in effects] == ["push"]


class TestProcess:
    def test_seed_payload_to_data_layer(self, classic_payload):
        """The seed payload becomes one booking event and one dataLayer push with the hashed view."""
        bridge_, _ = started()
        [result] = bridge_.process({"inputs": [callback(classic_payload)], "storage": {}})["results"]
        [event] = result["events"]
        assert (event["kind"], event["name"]) == ("booking", "oncehub_booking_scheduled")
        assert event["event"]["booking_id"] == "BKNG-XGYNZXXR3B7D"
        assert event["event"]["user_data"]["sha256_phone_number"] == hashlib.sha256(b"+12025550195").hexdigest()
        assert event["event"]["click_ids"]["gclid"] == "G-1"
        [effect] = result["effects"]
        assert effect["op"] == "push" and effect["sink"] == "sinks[0] data_layer" and effect["target"] == "dataLayer"
        assert effect["value"]["oncehub"] == event["event"]
        text = json.dumps(result)
        assert "johnsmith@example.com" not in text and "John Smith" not in text and "look forward" not in text

    def test_results_in_order(self, classic_payload, calendar_booking):
        """One result per input, in order; ignored and duplicate inputs give empty results."""
        bridge_, _ = started()
        inputs = [
            callback(classic_payload),
            message({"type": "oncehub.booking.scheduled", "payload": calendar_booking}),
            callback(json.dumps(classic_payload)),
            message({"type": "oncehub.booking.scheduled"}, origin="https://evil.example"),
            message({"type": "oncehub.form.submitted"}),
            callback("{bad"),
        ]
        results = bridge_.process({"inputs": inputs})["results"]
        kinds = [[event["kind"] for event in result["events"]] for result in results]
        assert kinds == [["booking"], ["booking"], [], [], ["funnel"], ["error"]]
        assert results[4]["effects"][0]["value"]["event"] == "oncehub_form_submitted"
        assert results[5]["effects"][0]["value"]["oncehub_error"]["code"] == "invalid_json"

    def test_duplicate_across_calls(self, classic_payload):
        """The same booking in a later process call (e.g. after a back-forward restore) is not delivered again."""
        bridge_, _ = started()
        page = FakePage()
        page.apply_results(bridge_.process({"inputs": [callback(classic_payload)]}))
        page.apply_results(bridge_.process({"inputs": [callback(classic_payload)]}))
        assert len(page.globals["dataLayer"]) == 1

    def test_empty_calls(self):
        """Empty calls a second apart count once; minutes apart they are two bookings."""
        clock = FakeClock()
        bridge_, _ = started(clock=clock)
        empty = {"kind": "callback", "has_argument": False}
        page = FakePage()
        page.apply_results(bridge_.process({"inputs": [empty]}))
        clock.advance(1)
        page.apply_results(bridge_.process({"inputs": [empty]}))
        clock.advance(300)
        page.apply_results(bridge_.process({"inputs": [empty]}))
        assert len(page.globals["dataLayer"]) == 2

    def test_redirect_last_and_once(self, classic_payload):
        """The navigation comes after the other sinks' effects and happens once for two bookings."""
        bridge_, _ = started({"sinks": [{"type": "redirect", "url": "/thanks?b={booking_id}"},
                                         {"type": "data_layer"}, {"type": "local_storage"}]})
        second = json.loads(json.dumps(classic_payload))
        second["bookingInfo"]["BookingId"] = ["BKNG-SECOND"]
        response = bridge_.process({"inputs": [callback(classic_payload), callback(second)],
                                    "storage": {"oncehub_bridge": None}})
        ops = [[effect["op"] for effect in result["effects"]] for result in response["results"]]
        assert ops == [["push", "store", "navigate"], ["push", "store"]]
        page = FakePage()
        page.apply_results(response)
        assert page.navigations == ["https://site.example/thanks?b=BKNG-XGYNZXXR3B7D"]
        assert [entry["booking_id"] for entry in page.stored_json()["bookings"]] == ["BKNG-XGYNZXXR3B7D",
                                                                                     "BKNG-SECOND"]

    def test_failing_sink_isolated(self, monkeypatch, classic_payload):
        """A sink that raises affects no other sink, and the log names it without PII."""
        bridge_, _ = started({"debug": True, "sinks": [{"type": "local_storage"}, {"type": "data_layer"}]})

        def broken(self, booking, context):
            raise ValueError(booking["user_data"]["sha256_email_address"])

        monkeypatch.setattr(bridge.app.LocalStorageSink, "on_booking", broken)
        [result] = bridge_.process({"inputs": [callback(classic_payload)]})["results"]
        assert [effect["sink"] for effect in result["effects"]] == ["sinks[1] data_layer"]
        assert "sinks[0] local_storage: failed on booking event with ValueError (told once per page)" in result["log"]
        assert "sha256" not in json.dumps(result["log"]) and "@" not in json.dumps(result["log"])

    def test_process_never_raises(self, monkeypatch, classic_payload):
        """A bug while reading an input becomes an internal_error event, never silence; the next input still runs."""
        calls = []
        real = bridge.app.read_input

        def flaky(*args, **kwargs):
            calls.append(1)
            if len(calls) == 1:
                raise RuntimeError("boom")
            return real(*args, **kwargs)

        monkeypatch.setattr(bridge.app, "read_input", flaky)
        bridge_, _ = started({"debug": True})
        results = bridge_.process({"inputs": [callback(classic_payload), callback(classic_payload)]})["results"]
        assert results[0]["log"] == ["input 0: internal error RuntimeError"]
        assert [e["event"]["code"] for e in results[0]["events"]] == ["internal_error"]
        assert results[0]["effects"][0]["value"]["event"] == "oncehub_booking_error"
        assert results[1]["events"][0]["kind"] == "booking"

    def test_no_log_without_debug(self, classic_payload):
        """Log lines are only produced in debug mode."""
        bridge_, _ = started()
        results = bridge_.process({"inputs": [callback(classic_payload), callback(classic_payload)]})["results"]
        assert all(result["log"] == [] for result in results)

    def test_allowed_origins_config(self, calendar_booking):
        """Configured origins replace the default one."""
        bridge_, _ = started({"sources": {"booking_calendar": {"allowed_origins": ["https://go.oncehub.com"]}}})
        data = {"type": "oncehub.booking.scheduled", "booking": calendar_booking}
        results = bridge_.process({"inputs": [message(data), message(data, origin="https://go.oncehub.com")]})
        assert [len(result["events"]) for result in results["results"]] == [0, 1]


class TestJson:
    def test_round_trip(self, classic_payload):
        """start_json and process_json take and return JSON text."""
        bridge_ = Bridge(clock=FakeClock())
        report = json.loads(bridge_.start_json(json.dumps({"config": None, "page": PAGE})))
        assert report["problems"] == []
        response = json.loads(bridge_.process_json(json.dumps({"inputs": [callback(classic_payload)]})))
        assert response["results"][0]["events"][0]["event"]["booking_id"] == "BKNG-XGYNZXXR3B7D"

    @pytest.mark.parametrize("text", ["", "not json", "[]", "null", None])
    def test_garbage_requests(self, text):
        """Unreadable requests give empty answers, never exceptions."""
        bridge_ = Bridge()
        assert json.loads(bridge_.process_json(text)) == {"effects": [], "log": [], "results": [], "wake_ms": None,
                                                          "watch_consent": False}
        assert json.loads(bridge_.start_json(text))["problems"] == []

    def test_process_before_start(self, classic_payload):
        """Processing before start runs with the default config."""
        response = Bridge().process({"inputs": [callback(classic_payload)]})
        assert response["results"][0]["effects"][0]["target"] == "dataLayer"


class TestValidateConfig:
    def test_reports_problems_against_the_page_without_applying_them(self):
        """A config editor learns the problems of a draft config; the running sinks stay as they were."""
        bridge_, _ = started({"sinks": [{"type": "data_layer"}]})
        answer = json.loads(bridge_.validate_config_json(json.dumps(
            {"sinks": [{"type": "redirect", "url": "https://evil.example/thanks"}]})))
        [problem] = answer["problems"]
        assert problem.startswith("sinks[0] (redirect)") and "evil.example" in problem
        assert [label for label, _ in bridge_.pipeline.sinks] == ["sinks[0] data_layer"]

    def test_valid_config_has_no_problems(self):
        """A correct config, including a same-origin redirect, validates cleanly."""
        bridge_, _ = started()
        config = {"sinks": [{"type": "redirect", "url": "/thanks?b={booking_id}"}]}
        assert bridge_.validate_config(json.dumps(config)) == {"problems": []}

    def test_invalid_json_is_one_problem(self):
        """Text that is not JSON gives one problem with its position."""
        bridge_, _ = started()
        [problem] = bridge_.validate_config('{"sinks": [')["problems"]
        assert "not valid JSON" in problem and "line 1" in problem
