"""SPEC §2 for Booking Calendars: oncehub.* messages from allowed origins only, bookings and funnel events."""

import json
from urllib.parse import quote

from booking_payloads import scheduled_message
from harness import host_page


def frame(origin: str, messages: list[dict]) -> str:
    src = f"{origin}/t/calendar-frame.html#{quote(json.dumps(messages))}"
    return f'<iframe title="booking calendar" src="{src}" width="400" height="200"></iframe>'


def wait_posted(host) -> None:
    """Wait until the stand-in calendar frame has posted its messages."""
    for _ in range(200):
        if any(f.title().startswith("posted") for f in host.page.frames[1:]):
            return
        host.page.wait_for_timeout(50)
    raise AssertionError("the calendar frame never posted")


def config_for(*origins: str) -> dict:
    return {"sources": {"booking_calendar": {"allowed_origins": list(origins)}}, "sinks": [{"type": "data_layer"}]}


class TestAllowedOrigins:
    def test_booking_from_an_allowed_origin_becomes_a_booking_event(self, host, other_origin):
        """oncehub.booking.scheduled from an allowed origin is normalised like a classic booking."""
        host.open(host_page(frame(other_origin, [scheduled_message()]), config_for(other_origin)))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).some(e => e.event === 'oncehub_booking_scheduled')")
        [event] = host.data_layer()
        oncehub = event["oncehub"]
        assert oncehub["source"] == "booking_calendar"
        assert oncehub["booking_id"] == "BKNG-J4FR05BKEWEX"
        assert oncehub["subject"] == "Live demo"
        assert oncehub["starting_time"] == "2020-03-22T04:30:00Z"
        assert oncehub["duration_minutes"] == 60
        assert oncehub["utm_params"]["source"] == "facebook"
        assert "carrie@example.com" not in json.dumps(event)

    def test_flat_utm_fields_are_accepted(self, host, other_origin):
        """UTM fields given flat on the booking object land in utm_params too."""
        message = scheduled_message(utm_params=None, utm_source="newsletter", utm_medium="email", id="BKNG-FLATUTM00001")
        host.open(host_page(frame(other_origin, [message]), config_for(other_origin)))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        [event] = host.data_layer()
        assert event["oncehub"]["utm_params"]["source"] == "newsletter"
        assert event["oncehub"]["utm_params"]["medium"] == "email"

    def test_funnel_events_reach_the_data_layer(self, host, other_origin):
        """Calendar loaded and time slot selected become oncehub_booking_calendar_* dataLayer events."""
        messages = [{"type": "oncehub.booking_calendar.loaded"}, {"type": "oncehub.booking_calendar.time_slot_selected"},
                    {"type": "oncehub.form.submitted", "data": {"email": "leak@example.com"}}]
        host.open(host_page(frame(other_origin, messages), config_for(other_origin)))
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length >= 3")
        events = host.data_layer()
        assert [e["event"] for e in events] == [
            "oncehub_booking_calendar_loaded", "oncehub_booking_calendar_time_slot_selected", "oncehub_form_submitted"]
        assert "leak@example.com" not in json.dumps(events)


class TestRefusedOrigins:
    def test_messages_from_other_origins_are_ignored(self, host, other_origin):
        """A booking message from an origin not in allowed_origins produces nothing."""
        host.open(host_page(frame(other_origin, [scheduled_message()]), config_for("https://oncehub.com")))
        wait_posted(host)
        host.settle(1.0)
        assert host.data_layer() == []

    def test_same_page_messages_are_not_trusted_by_default(self, host):
        """The host page posting an oncehub.* message to itself is not a booking (default origin is oncehub.com)."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}))
        host.page.evaluate("m => window.postMessage(m, '*')", scheduled_message())
        host.settle(1.0)
        assert host.data_layer() == []

    def test_origin_match_is_exact(self, host, other_origin):
        """An allowed origin with a different port is a different origin."""
        wrong_port = other_origin.rsplit(":", 1)[0] + ":1"
        host.open(host_page(frame(other_origin, [scheduled_message()]), config_for(wrong_port)))
        wait_posted(host)
        host.settle(1.0)
        assert host.data_layer() == []
