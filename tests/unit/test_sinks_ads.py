"""The ad-platform sinks: gtag (GA4 + enhanced conversions), meta_pixel, linkedin."""

import hashlib

import pytest
from test_sinks import config_problems, context, make_sink

from bridge.effects import Call
from bridge.event import BookingEvent, ErrorEvent, FunnelEvent

BOOKING_ID = "BKNG-XGYNZXXR3B7D"
SUBJECT = "Automatic booking - 15-minute meeting"
FLAT = {"booking_id": BOOKING_ID, "subject": SUBJECT, "source": "booking_page",
        "starting_time": "2018-04-25T06:45:00Z", "utm_source": "newsletter", "utm_medium": "email", "gclid": "G-123"}
LOADED = FunnelEvent(type="oncehub.booking_calendar.loaded")
FAILED = ErrorEvent(source="booking_page", code="booking_failed", message="OnceHub reported a failed booking")


def sha256(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TestGtag:
    def test_seed_booking(self, seed_booking):
        """Hashed user_data is set first (sha256_* keys, Google rules), then generate_lead with the flat fields."""
        effects = make_sink(type="gtag")(seed_booking, context())
        user_data = {"sha256_email_address": sha256("johnsmith@example.com"),
                     "sha256_phone_number": sha256("+12025550195")}
        assert effects == [
            Call(path="gtag", args=["set", "user_data", user_data]),
            Call(path="gtag", args=["event", "generate_lead", {"transaction_id": BOOKING_ID, **FLAT}]),
        ]

    def test_options(self, seed_booking):
        """send_to, value + currency and the event name are honoured."""
        sink = make_sink(type="gtag", send_to=["G-ABC", "AW-1/x"], value=50, currency="EUR", event_name="book")
        [_, event] = sink(seed_booking, context())
        assert event.args[1] == "book"
        assert event.args[2]["send_to"] == ["G-ABC", "AW-1/x"]
        assert (event.args[2]["value"], event.args[2]["currency"]) == (50, "EUR")

    def test_policy_none_sends_no_user_data_and_needs_no_ad_consent(self, seed_booking):
        """Under pii none there is no user_data call, so only analytics_storage is needed."""
        sink = make_sink(type="gtag", pii="none")
        assert [effect.args[0] for effect in sink(seed_booking, context())] == ["event"]
        assert sink.consent_keys == ("analytics_storage",)
        assert make_sink(type="gtag").consent_keys == ("analytics_storage", "ad_user_data")

    def test_fields_allow_list(self, seed_booking):
        """Only the allowed fields are sent; no user_data unless allowed."""
        [event] = make_sink(type="gtag", fields=["booking_id"])(seed_booking, context())
        assert event.args == ["event", "generate_lead", {"transaction_id": BOOKING_ID, "booking_id": BOOKING_ID}]

    def test_funnel_steps(self):
        """Funnel steps become oncehub_<step> events, unless turned off."""
        [call] = make_sink(type="gtag", send_to="G-ABC")(LOADED, context())
        assert call.args == ["event", "oncehub_booking_calendar_loaded", {"source": "booking_calendar",
                                                                           "send_to": "G-ABC"}]
        assert make_sink(type="gtag", funnel=False)(LOADED, context()) == []

    def test_errors_only_when_asked(self):
        """Errors are off by default; on, they carry only code and message."""
        assert make_sink(type="gtag")(FAILED, context()) == []
        [call] = make_sink(type="gtag", errors=True)(FAILED, context())
        assert call.args == ["event", "oncehub_booking_error", {
            "source": "booking_page", "error_code": "booking_failed",
            "error_message": "OnceHub reported a failed booking"}]

    @pytest.mark.parametrize("entry, problem", [
        ({"type": "gtag", "value": 10}, 'sinks[0] (gtag): "value" needs a "currency"'),
        ({"type": "gtag", "value": 10, "currency": "usd"}, "sinks[0] (gtag): currency:"),
        ({"type": "gtag", "event_name": "book now"}, "sinks[0] (gtag): event_name:"),
        ({"type": "gtag", "sendto": "G-1"}, 'sinks[0] (gtag): unknown key "sendto"'),
    ])
    def test_config_errors(self, entry, problem):
        """Bad options drop the sink with one problem naming it."""
        [reported] = config_problems(entry)
        assert reported.startswith(problem)


class TestMetaPixel:
    def test_seed_booking_without_pixel_id(self, seed_booking):
        """Schedule with content_name and the booking id as eventID; no advanced matching without a pixel id."""
        [track] = make_sink(type="meta_pixel")(seed_booking, context())
        custom_data = {"content_name": SUBJECT, **{k: v for k, v in FLAT.items() if k != "subject"}}
        assert track == Call(path="fbq", args=["track", "Schedule", custom_data, {"eventID": BOOKING_ID}])

    def test_advanced_matching_hashed_by_meta_rules(self, seed_booking):
        """With a pixel id, init carries em/ph/fn/ln normalised by Meta's rules (no "+") and hashed."""
        [init, track] = make_sink(type="meta_pixel", pixel_id="1234567890")(seed_booking, context())
        assert init == Call(path="fbq", args=["init", "1234567890", {
            "em": sha256("johnsmith@example.com"), "ph": sha256("12025550195"),
            "fn": sha256("john"), "ln": sha256("smith")}])
        assert track.args[:2] == ["track", "Schedule"]

    def test_advanced_matching_raw(self, seed_booking):
        """Under pii raw the normalised values go unhashed (the pixel hashes them)."""
        [init, _] = make_sink(type="meta_pixel", pixel_id="1234567890", pii="raw")(seed_booking, context())
        assert init.args[2] == {"em": "johnsmith@example.com", "ph": "12025550195", "fn": "john", "ln": "smith"}

    @pytest.mark.parametrize("options", [{"pii": "none"}, {"fields": ["booking_id", "subject"]}])
    def test_no_matching_when_not_allowed(self, seed_booking, options):
        """pii none, or a fields list without user_data, sends no identifiers."""
        effects = make_sink(type="meta_pixel", pixel_id="1234567890", **options)(seed_booking, context())
        assert [effect.args[0] for effect in effects] == ["track"]

    def test_value_and_no_event_id_without_booking_id(self):
        """value/currency join the custom data; a booking without id has no eventID argument."""
        [track] = make_sink(type="meta_pixel", value=20, currency="USD")(BookingEvent(source="booking_page"),
                                                                         context())
        assert track.args == ["track", "Schedule", {"source": "booking_page", "value": 20, "currency": "USD"}]

    def test_only_bookings_by_default(self):
        """Funnel steps and errors are not tracked unless asked for."""
        sink = make_sink(type="meta_pixel")
        assert not sink(LOADED, context()) and not sink(FAILED, context())

    def test_funnel_steps_as_custom_events_when_configured(self):
        """With funnel on, a step becomes trackCustom oncehub_<step>, without advanced matching."""
        effects = make_sink(type="meta_pixel", pixel_id="1234567890", funnel=True)(LOADED, context())
        assert effects == [Call(path="fbq", args=["trackCustom", "oncehub_booking_calendar_loaded",
                                                  {"source": "booking_calendar"}])]

    def test_bad_pixel_id(self):
        """A pixel id is digits only."""
        [reported] = config_problems({"type": "meta_pixel", "pixel_id": "abc"})
        assert reported.startswith("sinks[0] (meta_pixel): pixel_id:")


class TestLinkedIn:
    def test_seed_booking(self, seed_booking):
        """One lintrk track with the configured conversion id and the booking id as event_id."""
        assert make_sink(type="linkedin", conversion_id=1234567)(seed_booking, context()) == [
            Call(path="lintrk", args=["track", {"conversion_id": 1234567, "event_id": BOOKING_ID}])]

    def test_no_booking_id(self):
        """Without a booking id only the conversion id is sent."""
        [call] = make_sink(type="linkedin", conversion_id=7)(BookingEvent(source="booking_page"), context())
        assert call.args == ["track", {"conversion_id": 7}]

    def test_policy_none_by_default(self):
        """LinkedIn never receives identifiers."""
        assert make_sink(type="linkedin", conversion_id=7).config.pii == "none"

    @pytest.mark.parametrize("entry, problem", [
        ({"type": "linkedin"}, "sinks[0] (linkedin): conversion_id: required"),
        ({"type": "linkedin", "conversion_id": "abc"}, "sinks[0] (linkedin): conversion_id:"),
        ({"type": "linkedin", "conversion_id": 0}, "sinks[0] (linkedin): conversion_id:"),
    ])
    def test_conversion_id_required(self, entry, problem):
        """A missing or malformed conversion id is a config error."""
        [reported] = config_problems(entry)
        assert reported.startswith(problem)
