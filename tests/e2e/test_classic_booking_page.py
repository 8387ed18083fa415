"""SPEC §1, §2, §3, §5 for the classic booking page: SOAfterConfirmationFunction calls become dataLayer events."""

import hashlib
import json

from harness import host_page
from booking_payloads import CUSTOMER_EMAIL, classic

DATA_LAYER_ONLY = {"sinks": [{"type": "data_layer"}]}


def bookings(host):
    return [e for e in host.data_layer() if e["event"] == "oncehub_booking_scheduled"]


class TestBookingEvent:
    def test_documented_payload_becomes_one_booking_event(self, host):
        """The seed payload reaches dataLayer as one oncehub_booking_scheduled event shaped per SPEC §3."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = bookings(host)
        oncehub = event["oncehub"]
        assert oncehub["source"] == "booking_page"
        assert oncehub["booking_id"] == "BKNG-XGYNZXXR3B7D"
        assert oncehub["booking_ids"] == ["BKNG-XGYNZXXR3B7D"]
        assert oncehub["subject"] == "Automatic booking - 15-minute meeting"
        assert oncehub["starting_time"] == "2018-04-25T06:45:00Z"
        assert oncehub["customer_time"] == "2018-04-25T07:45:00"
        assert oncehub["booking_page_time"] == "2018-04-25T09:45:00"
        assert oncehub["payload_version"] == "7.35"
        assert oncehub["calendar_event"]["ics"].endswith("type=1")
        assert oncehub["page"]["url"] == host.page.url

    def test_hashed_by_default_and_no_raw_pii(self, host):
        """By default dataLayer gets Google-normalised SHA-256 identifiers and never the raw name, email, phone or note."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = bookings(host)
        expected = hashlib.sha256(CUSTOMER_EMAIL.strip().lower().encode()).hexdigest()
        assert event["oncehub"]["user_data"]["sha256_email_address"] == expected
        assert event["oncehub"]["user_data"]["sha256_phone_number"] == hashlib.sha256(b"+12025550195").hexdigest()
        text = json.dumps(host.page.evaluate("JSON.stringify(window.dataLayer)"))
        for secret in (CUSTOMER_EMAIL, CUSTOMER_EMAIL.lower(), "John Smith", "2025550195", "look forward"):
            assert secret not in text

    def test_json_string_payload_is_accepted(self, host):
        """A payload handed over as JSON text is the same booking."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.page.evaluate("p => window.SOAfterConfirmationFunction(JSON.stringify(p))", classic("BKNG-STRING0001"))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert [e["oncehub"]["booking_id"] for e in bookings(host)] == ["BKNG-STRING0001"]

    def test_call_without_argument_is_a_booking_with_null_fields(self, host):
        """Older embeds call with no argument: still a booking, every field null or empty."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.page.evaluate("window.SOAfterConfirmationFunction()")
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = bookings(host)
        assert event["oncehub"]["booking_id"] is None
        assert event["oncehub"]["booking_ids"] == []
        assert event["oncehub"]["starting_time"] is None

    def test_default_config_is_one_data_layer_sink(self, host):
        """With no config block at all, bookings go to dataLayer."""
        host.open(host_page(""))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert len(bookings(host)) == 1


class TestDelivery:
    def test_calls_before_ready_are_delivered_once_in_order(self, host):
        """Bookings made while the runtime boots are queued and delivered once each, in order."""
        early_calls = """<script>
          window.SOAfterConfirmationFunction(%s);
          window.SOAfterConfirmationFunction(%s);
          window.statusAtCall = OnceHubBridge.status;
        </script>""" % (json.dumps(classic("BKNG-FIRST00001")), json.dumps(classic("BKNG-SECOND0002")))
        host.open(host_page(early_calls, DATA_LAYER_ONLY))
        assert host.page.evaluate("window.statusAtCall") == "loading"
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length >= 2")
        host.settle()
        assert [e["oncehub"]["booking_id"] for e in bookings(host)] == ["BKNG-FIRST00001", "BKNG-SECOND0002"]

    def test_duplicate_calls_are_suppressed(self, host):
        """OnceHub firing twice for one booking gives one event."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking(classic())
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        host.settle()
        host.booking(classic())
        host.settle()
        assert len(bookings(host)) == 1

    def test_two_bookings_are_both_kept(self, host):
        """Two different bookings on one page are both delivered."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking(classic("BKNG-AAAAAAAAAAAA"))
        host.booking(classic("BKNG-BBBBBBBBBBBB"))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length >= 2")
        assert [e["oncehub"]["booking_id"] for e in bookings(host)] == ["BKNG-AAAAAAAAAAAA", "BKNG-BBBBBBBBBBBB"]

    def test_page_callback_defined_before_the_loader_is_still_called(self, host):
        """A page's own SOAfterConfirmationFunction, defined first, keeps receiving the same argument."""
        head = "<script>window.seen = []; function SOAfterConfirmationFunction(d) { window.seen.push(d); }</script>"
        host.open(host_page("", DATA_LAYER_ONLY, head=head))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert host.page.evaluate("window.seen.map(d => d.bookingInfo.BookingId[0])") == ["BKNG-XGYNZXXR3B7D"]

    def test_page_callback_declared_after_the_loader_is_chained(self, host):
        """A page that declares its function after the loader (as OnceHub's docs show) still gets both behaviours."""
        body = "<script>window.seen = []; function SOAfterConfirmationFunction(d) { window.seen.push(d); }</script>"
        host.open(host_page(body, DATA_LAYER_ONLY))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert host.page.evaluate("window.seen.length") == 1
        assert len(bookings(host)) == 1

    def test_on_subscribers_receive_processed_bookings(self, host):
        """OnceHubBridge.on('booking') hands the processed, PII-free event to the page."""
        body = "<script>window.got = []; OnceHubBridge.on('booking', e => window.got.push(e));</script>"
        host.open(host_page(body, DATA_LAYER_ONLY))
        host.booking(classic())
        got = host.wait_for("window.got.length && window.got")
        assert got[0]["booking_id"] == "BKNG-XGYNZXXR3B7D"
        assert "customer" not in got[0] or got[0]["customer"] is None


class TestBadPayloads:
    def test_failed_booking_gives_an_error_event(self, host):
        """errorStatus 1 is not a booking: an oncehub_booking_error with a code, and no booking event."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking({"errorStatus": 1, "bookingInfo": {"statusCode": "0", "Message": "Something went wrong on server"}})
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = host.data_layer()
        assert event["event"] == "oncehub_booking_error"
        assert event["oncehub_error"]["code"] == "booking_failed"
        assert event["oncehub_error"]["message"]

    def test_status_code_zero_gives_an_error_event(self, host):
        """statusCode "0" (invalid request) is reported as an error, not a booking."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.booking(classic(statusCode="0"))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert [e["event"] for e in host.data_layer()] == ["oncehub_booking_error"]

    def test_invalid_payload_gives_a_pii_free_error_and_no_console_error(self, host):
        """A payload that fails validation gives an error event whose message holds none of the input."""
        host.open(host_page("", DATA_LAYER_ONLY))
        bad = classic(MeetingTimes=[{"UTCTime": "not a time john@secret.example"}], CustomerEmail=["john@secret.example"])
        host.booking(bad)
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = host.data_layer()
        assert event["event"] == "oncehub_booking_error"
        assert event["oncehub_error"]["code"] == "invalid_payload"
        assert "secret.example" not in json.dumps(event)

    def test_garbage_arguments_never_break_the_page(self, host):
        """Strings that are not JSON, numbers and cyclic objects give error events, never an exception."""
        host.open(host_page("", DATA_LAYER_ONLY))
        host.page.evaluate("""() => {
            window.SOAfterConfirmationFunction("{not json");
            window.SOAfterConfirmationFunction(42);
            const cyclic = {}; cyclic.self = cyclic;
            window.SOAfterConfirmationFunction(cyclic);
        }""")
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length >= 3")
        assert [e["event"] for e in host.data_layer()] == ["oncehub_booking_error"] * 3

    def test_debug_mode_prints_a_readable_line_for_bad_payloads(self, host):
        """With ?oncehub_bridge_debug=1 a bad payload is explained in the console (not as an error)."""
        host.open(host_page("", DATA_LAYER_ONLY), query="?oncehub_bridge_debug=1")
        host.booking({"errorStatus": 1})
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        host.settle()
        assert any("booking_failed" in line for line in host.watch.console_lines)
