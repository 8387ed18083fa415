"""The analytics sinks: segment (track + optional identify) and hubspot (identify by raw email only)."""

import pytest
from test_sinks import config_problems, context, make_sink

from bridge.effects import Call, Push
from bridge.event import ErrorEvent, FunnelEvent
from bridge.sinks import SkipEvent

BOOKING_ID = "BKNG-XGYNZXXR3B7D"
PROPERTIES = {"booking_id": BOOKING_ID, "subject": "Automatic booking - 15-minute meeting",
              "source": "booking_page", "starting_time": "2018-04-25T06:45:00Z", "gclid": "G-123"}
CAMPAIGN = {"context": {"campaign": {"source": "newsletter", "medium": "email"}}}


class TestSegment:
    def test_seed_booking(self, seed_booking):
        """Booking Scheduled with snake_case properties; UTM fields go to context.campaign; no identify."""
        assert make_sink(type="segment")(seed_booking, context()) == [
            Call(path="analytics.track", args=["Booking Scheduled", PROPERTIES, CAMPAIGN])]

    def test_identify_hashed(self, seed_booking):
        """identify under the default policy carries the hashes only, before track."""
        [identify, track] = make_sink(type="segment", identify=True)(seed_booking, context())
        assert identify == Call(path="analytics.identify", args=[seed_booking.user_data])
        assert track.path == "analytics.track"

    def test_identify_raw(self, seed_booking):
        """identify under pii raw carries email, name and phone as given."""
        [identify, _] = make_sink(type="segment", identify=True, pii="raw")(seed_booking, context())
        assert identify.args == [{"name": "John Smith", "email": "johnsmith@example.com", "phone": "1-2025550195"}]

    def test_identify_none(self, seed_booking):
        """Under pii none there is nothing to identify with."""
        effects = make_sink(type="segment", identify=True, pii="none")(seed_booking, context())
        assert [effect.path for effect in effects] == ["analytics.track"]

    def test_event_name_and_fields(self, seed_booking):
        """A custom event name; the fields allow-list limits properties and drops the campaign."""
        [track] = make_sink(type="segment", event_name="Demo Booked", fields=["booking_id"])(seed_booking, context())
        assert track.args == ["Demo Booked", {"booking_id": BOOKING_ID}]

    @pytest.mark.parametrize("step, name", [
        ("oncehub.booking_calendar.time_slot_selected", "Booking Calendar Time Slot Selected"),
        ("oncehub.form.submitted", "Form Submitted"),
    ])
    def test_funnel_steps_when_configured(self, step, name):
        """With funnel on, a step is tracked under an Object Action name with its source and type."""
        assert make_sink(type="segment", funnel=True)(FunnelEvent(type=step), context()) == [
            Call(path="analytics.track", args=[name, {"source": "booking_calendar", "type": step}])]

    def test_only_bookings_by_default(self):
        """Funnel steps and errors are not tracked unless asked for."""
        sink = make_sink(type="segment")
        assert not sink(FunnelEvent(type="oncehub.form.submitted"), context())
        assert not sink(ErrorEvent(source="booking_page", code="x", message="y"), context())


class TestHubSpot:
    def test_default_policy_skips_identify_and_says_why(self, seed_booking):
        """Under the default hashed policy there is no raw email, so identify is skipped with a reason."""
        with pytest.raises(SkipEvent, match=r'identify needs the raw email \("pii": "raw"\)'):
            make_sink(type="hubspot")(seed_booking, context())

    def test_raw_identifies_by_email(self, seed_booking):
        """Under pii raw the visitor is identified by the raw email."""
        assert make_sink(type="hubspot", pii="raw")(seed_booking, context()) == [
            Push(target="_hsq", value=["identify", {"email": "johnsmith@example.com"}])]

    def test_custom_behavioral_event(self, seed_booking):
        """With event_name, the custom event follows identify, with the flat non-PII fields."""
        sink = make_sink(type="hubspot", pii="raw", event_name="pe123_booking_scheduled")
        [_, event] = sink(seed_booking, context())
        assert event.value == ["trackCustomBehavioralEvent", {
            "name": "pe123_booking_scheduled",
            "properties": {**PROPERTIES, "utm_source": "newsletter", "utm_medium": "email"}}]

    def test_custom_event_without_identify(self, seed_booking):
        """Under the default policy only the custom event is pushed."""
        effects = make_sink(type="hubspot", event_name="pe123_booking")(seed_booking, context())
        assert [effect.value[0] for effect in effects] == ["trackCustomBehavioralEvent"]

    def test_raw_without_email(self, seed_booking):
        """A booking without an email and no custom event is skipped."""
        booking = seed_booking.model_copy(update={"customer": None})
        with pytest.raises(SkipEvent, match="no email"):
            make_sink(type="hubspot", pii="raw")(booking, context())

    def test_bad_event_name(self):
        """The event name is HubSpot's internal name: letters, digits and underscores."""
        [reported] = config_problems({"type": "hubspot", "event_name": "booking scheduled"})
        assert reported.startswith("sinks[0] (hubspot): event_name:")
