"""SPEC §4 and §5 for the sink catalogue: the exact calls gtag, meta_pixel, segment, hubspot, linkedin,
custom_event and callback make for one booking; a missing or throwing global affects no other sink; at default
policies no raw identifier reaches any recorded call, the dataLayer or localStorage."""

import hashlib
import json

import pytest
from booking_payloads import CUSTOMER_EMAIL, classic
from harness import host_page
from test_booking_calendar import frame

# Recording stubs, defined in <head> before the bridge loads. Each call's arguments are copied through JSON at
# call time, as a real tag would serialise them. A stub listed in window.throwing throws instead of recording.
STUBS = """<script>
  window.calls = [];
  window.throwing = window.throwing || [];
  function recorder(name, owner) {
    return function () {
      if (window.throwing.indexOf(name) >= 0) throw new Error(name + " stub fails on purpose");
      var entry = [name, JSON.parse(JSON.stringify([].slice.call(arguments)))];
      if (owner) entry.push(this === owner());
      window.calls.push(entry);
    };
  }
  window.gtag = recorder("gtag");
  window.fbq = recorder("fbq");
  window.analytics = {track: recorder("analytics.track", function () { return window.analytics; }),
                      identify: recorder("analytics.identify", function () { return window.analytics; })};
  window._hsq = {push: recorder("_hsq.push")};
  window.lintrk = recorder("lintrk");
  window.myApp = {onBooking: recorder("myApp.onBooking", function () { return window.myApp; })};
  ["oncehub:booking", "oncehub:error", "oncehub:funnel"].forEach(function (name) {
    document.addEventListener(name, function (e) { window.calls.push([name, JSON.parse(JSON.stringify(e.detail))]); });
  });
</script>"""
QUERY = "?utm_source=newsletter&gclid=G-1"
BOOKING_ID = "BKNG-XGYNZXXR3B7D"
SUBJECT = "Automatic booking - 15-minute meeting"
PIXEL_ID = "1234567890"
SINKS = [
    {"type": "gtag"},
    {"type": "meta_pixel", "pixel_id": PIXEL_ID},
    {"type": "segment"},
    {"type": "hubspot"},
    {"type": "linkedin", "conversion_id": 1234567},
    {"type": "custom_event"},
    {"type": "callback", "function": "myApp.onBooking"},
]
RAW_PII = [CUSTOMER_EMAIL, CUSTOMER_EMAIL.lower(), "John Smith", "1-2025550195", "12025550195",
           "I look forward to the meeting."]


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def throwing(*names: str) -> str:
    return f"<script>window.throwing = {json.dumps(list(names))};</script>"


def calls(host, until: str = "myApp.onBooking") -> list:
    """The recorded calls, once the call named `until` (the last sink's) has happened."""
    host.wait_for(f"window.calls.some(c => c[0] === {json.dumps(until)})")
    host.settle(0.2)
    return host.page.evaluate("window.calls")


def by_name(recorded: list, name: str) -> list:
    return [call[1:] for call in recorded if call[0] == name]


def open_and_book(host, sinks=SINKS, head: str = STUBS, config_extra: dict | None = None):
    host.open(host_page("", {"sinks": sinks, **(config_extra or {})}, head=head), query=QUERY)
    host.booking(classic())


class TestExactCalls:
    def test_each_sink_makes_its_documented_call_for_the_seed_booking(self, host):
        """At default policies each platform gets exactly its call, in config order, hashes by its own rules."""
        open_and_book(host)
        recorded = calls(host)
        flat = {"booking_id": BOOKING_ID, "subject": SUBJECT, "source": "booking_page",
                "starting_time": "2018-04-25T06:45:00Z", "utm_source": "newsletter", "gclid": "G-1"}
        google_user_data = {"sha256_email_address": sha256("john.smith@example.com"),
                            "sha256_phone_number": sha256("+12025550195")}
        meta_matching = {"em": sha256("john.smith@example.com"), "ph": sha256("12025550195"),
                         "fn": sha256("john"), "ln": sha256("smith")}
        meta_data = {"content_name": SUBJECT, **{k: v for k, v in flat.items() if k != "subject"}}
        segment_properties = {k: v for k, v in flat.items() if not k.startswith("utm_")}
        assert [call[0] for call in recorded] == [
            "gtag", "gtag", "fbq", "fbq", "analytics.track", "lintrk", "oncehub:booking", "myApp.onBooking"]
        assert by_name(recorded, "gtag") == [
            [["set", "user_data", google_user_data]],
            [["event", "generate_lead", {"transaction_id": BOOKING_ID, **flat}]],
        ]
        assert by_name(recorded, "fbq") == [
            [["init", PIXEL_ID, meta_matching]],
            [["track", "Schedule", meta_data, {"eventID": BOOKING_ID}]],
        ]
        assert by_name(recorded, "analytics.track") == [
            [["Booking Scheduled", segment_properties, {"context": {"campaign": {"source": "newsletter"}}}], True]]
        assert by_name(recorded, "_hsq.push") == []  # hubspot's identify needs pii raw
        assert by_name(recorded, "lintrk") == [[["track", {"conversion_id": 1234567, "event_id": BOOKING_ID}]]]
        [[detail]] = by_name(recorded, "oncehub:booking")
        [[[event, name], called_on_owner]] = by_name(recorded, "myApp.onBooking")
        assert detail == event and name == "oncehub_booking_scheduled" and called_on_owner
        assert detail["booking_id"] == BOOKING_ID and detail["user_data"] == google_user_data
        assert "customer" not in detail and "note" not in detail

    def test_raw_policies_send_identifiers_only_to_those_sinks(self, host):
        """hubspot identifies by the raw email, segment identifies with raw traits, the pixel gets unhashed
        normalised values, all only because they are configured raw; the dataLayer beside them stays hashed."""
        sinks = [{"type": "hubspot", "pii": "raw", "event_name": "pe1_booking_scheduled"},
                 {"type": "segment", "pii": "raw", "identify": True},
                 {"type": "meta_pixel", "pii": "raw", "pixel_id": PIXEL_ID},
                 {"type": "data_layer"}, {"type": "callback", "function": "myApp.onBooking"}]
        open_and_book(host, sinks)
        recorded = calls(host)
        hubspot = by_name(recorded, "_hsq.push")
        assert hubspot[0] == [[["identify", {"email": CUSTOMER_EMAIL}]]]
        assert hubspot[1][0][0][0] == "trackCustomBehavioralEvent"
        assert by_name(recorded, "analytics.identify") == [
            [[{"name": "John Smith", "email": CUSTOMER_EMAIL, "phone": "1-2025550195"}], True]]
        assert by_name(recorded, "fbq")[0] == [["init", PIXEL_ID, {
            "em": "john.smith@example.com", "ph": "12025550195", "fn": "john", "ln": "smith"}]]
        assert CUSTOMER_EMAIL not in json.dumps(host.data_layer())
        assert CUSTOMER_EMAIL not in json.dumps(by_name(recorded, "myApp.onBooking"))


class TestIsolation:
    @pytest.mark.parametrize("missing", ["fbq", "analytics", "lintrk"])
    def test_a_missing_global_affects_no_other_sink(self, host, missing):
        """Without the platform's global on the page its sink is skipped quietly; the others all run."""
        open_and_book(host, head=STUBS + f"<script>delete window.{missing};</script>")
        names = {call[0] for call in calls(host)}
        expected = {"gtag", "fbq", "analytics.track", "lintrk", "oncehub:booking", "myApp.onBooking"}
        assert names == expected - {"analytics.track" if missing == "analytics" else missing}

    def test_throwing_stubs_affect_no_other_sink(self, host):
        """gtag and fbq throwing leave the other sinks' calls intact and no error on the page."""
        open_and_book(host, head=throwing("gtag", "fbq") + STUBS)
        names = [call[0] for call in calls(host)]
        assert names == ["analytics.track", "lintrk", "oncehub:booking", "myApp.onBooking"]

    def test_a_sink_with_a_config_error_is_dropped_alone(self, host):
        """linkedin without conversion_id is reported once by name; the other sinks run."""
        host.watch.expect_console_error("sinks[4] (linkedin): conversion_id: required")
        sinks = [dict(entry) for entry in SINKS]
        del sinks[4]["conversion_id"]
        open_and_book(host, sinks)
        names = [call[0] for call in calls(host)]
        assert "lintrk" not in names and "analytics.track" in names and "myApp.onBooking" in names


class TestOtherEvents:
    def test_errors_reach_only_sinks_that_want_them(self, host):
        """A failed booking: gtag (errors on), custom_event and callback (errors on); no ad conversions."""
        sinks = [{"type": "gtag", "errors": True}, {"type": "meta_pixel"}, {"type": "linkedin", "conversion_id": 1},
                 {"type": "custom_event"}, {"type": "callback", "function": "myApp.onBooking", "errors": True}]
        host.open(host_page("", {"sinks": sinks}, head=STUBS))
        host.booking({"errorStatus": 1, "bookingInfo": {"Message": "slot taken", "CustomerEmail": CUSTOMER_EMAIL}})
        recorded = calls(host)
        error = {"source": "booking_page", "code": "booking_failed"}
        [[gtag_args]] = by_name(recorded, "gtag")
        assert gtag_args[:2] == ["event", "oncehub_booking_error"]
        assert {gtag_args[2]["source"], gtag_args[2]["error_code"]} == {"booking_page", "booking_failed"}
        [[detail]] = by_name(recorded, "oncehub:error")
        assert error.items() <= detail.items()
        [[[event, name], _]] = by_name(recorded, "myApp.onBooking")
        assert event == detail and name == "oncehub_booking_error"
        assert not by_name(recorded, "fbq") and not by_name(recorded, "lintrk")
        assert CUSTOMER_EMAIL not in json.dumps(recorded)

    def test_funnel_steps_become_ga4_and_dom_events(self, host, other_origin):
        """A Booking Calendar step reaches gtag as oncehub_<step> and custom_event as oncehub:funnel, and
        nothing else."""
        sinks = [{"type": "gtag"}, {"type": "meta_pixel"}, {"type": "custom_event"},
                 {"type": "callback", "function": "myApp.onBooking", "funnel": True}]
        config = {"sources": {"booking_calendar": {"allowed_origins": [other_origin]}}, "sinks": sinks}
        messages = [{"type": "oncehub.booking_calendar.loaded", "data": {"email": "leak@example.com"}}]
        host.open(host_page(frame(other_origin, messages), config, head=STUBS))
        recorded = calls(host)
        assert by_name(recorded, "gtag") == [[["event", "oncehub_booking_calendar_loaded",
                                               {"source": "booking_calendar"}]]]
        [[detail]] = by_name(recorded, "oncehub:funnel")
        assert detail["type"] == "oncehub.booking_calendar.loaded"
        assert not by_name(recorded, "fbq") and "leak@example.com" not in json.dumps(recorded)


class TestNoRawPii:
    def test_default_policies_leak_nothing_anywhere(self, host):
        """Every sink at its default policy (segment identifying too): no raw email, name, phone or note in any
        recorded call, the dataLayer or localStorage."""
        sinks = [*SINKS[:2], {"type": "segment", "identify": True}, *SINKS[3:], {"type": "data_layer"},
                 {"type": "local_storage"}]
        open_and_book(host, sinks)
        recorded = calls(host)
        host.wait_for("localStorage.getItem('oncehub_bridge') !== null")
        stored = host.page.evaluate("localStorage.getItem('oncehub_bridge')")
        everything = json.dumps([recorded, host.data_layer(), stored], ensure_ascii=False).lower()
        assert "analytics.identify" in everything and "oncehub_booking_scheduled" in everything
        assert [value for value in RAW_PII if value.lower() in everything] == []
