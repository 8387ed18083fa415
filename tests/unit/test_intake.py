"""From one loader input to one event, or to nothing."""

import json

import pytest

from bridge.event import BookingEvent, ErrorEvent, FunnelEvent
from bridge.intake import read_input

ORIGINS = ["https://oncehub.com"]


def read(item, page):
    return read_input(item, page, include_query=False, allowed_origins=ORIGINS).event


def callback(data):
    return {"kind": "callback", "has_argument": True, "data": data}


class TestCallbacks:
    def test_object_and_json_text(self, classic_payload, page):
        """The payload as an object and as JSON text give the same booking."""
        as_object = read(callback(classic_payload), page)
        as_text = read(callback(json.dumps(classic_payload)), page)
        assert isinstance(as_object, BookingEvent)
        assert as_object == as_text

    @pytest.mark.parametrize("item", [{"kind": "callback", "has_argument": False}, callback(None)])
    def test_no_argument(self, item, page):
        """No argument (or null) is a booking without details."""
        event = read(item, page)
        assert isinstance(event, BookingEvent) and event.booking_ids == [] and event.subject is None

    @pytest.mark.parametrize(
        "item, code",
        [
            (callback("{not json john@example.com"), "invalid_json"),
            ({"kind": "callback", "has_argument": True, "unserializable": True}, "invalid_payload"),
            (callback(["john@example.com"]), "invalid_payload"),
            (callback({"bookingInfo": {"CustomerEmail": {"x": "john@example.com"}}}), "invalid_payload"),
            (callback({"errorStatus": 1, "bookingInfo": {"Message": "john@example.com failed"}}), "booking_failed"),
            (callback({"errorStatus": 0, "bookingInfo": {"statusCode": "0"}}), "booking_failed"),
        ],
    )
    def test_errors_without_pii(self, item, code, page):
        """Bad or failed payloads become error events whose message holds nothing from the payload."""
        event = read(item, page)
        assert isinstance(event, ErrorEvent)
        assert (event.source, event.code) == ("booking_page", code)
        assert event.message and "john" not in event.message

    def test_invalid_json_position(self, page):
        """The invalid_json message gives the position of the fault."""
        assert "line 1, column 2" in read(callback("{oops"), page).message

    @pytest.mark.parametrize(
        "data",
        [
            {"bookingInfo": {"CustomerName": "Jo\ud800hn"}},
            {"bookingInfo": {"Custom\udfff": "x"}},
            {"bookingInfo": {"MeetingTimes": [{"UTCTime": ["a", {"b": "\udc00"}]}]}},
        ],
    )
    def test_a_lone_surrogate_anywhere_is_invalid_text(self, data, page):
        """Text that is not valid Unicode (a lone UTF-16 surrogate, which JSON.stringify writes as an escape), in a
        value, a key or deep in a list, makes the call an error event, with no customer data in it."""
        event = read(callback(data), page)
        assert isinstance(event, ErrorEvent)
        assert event.code == "payload_invalid_text"
        assert "Jo" not in event.message and "Custom" not in event.message

    def test_astral_text_is_valid_text(self, classic_payload, page):
        """A surrogate pair is one character (an emoji in a name): valid text, a booking."""
        classic_payload["bookingInfo"]["CustomerName"] = "Jo \U0001F600"
        assert isinstance(read(callback(classic_payload), page), BookingEvent)


class TestMessages:
    def test_booking_scheduled(self, calendar_booking, page):
        """oncehub.booking.scheduled from an allowed origin is a booking."""
        item = {"kind": "message", "origin": "https://oncehub.com",
                "data": {"type": "oncehub.booking.scheduled", "payload": calendar_booking}}
        event = read(item, page)
        assert isinstance(event, BookingEvent) and event.booking_id == "BKNG-J4FR05BKEWEX"

    def test_origin_must_match_exactly(self, calendar_booking, page):
        """Other origins, even look-alikes, are ignored."""
        for origin in ["https://evil.example", "https://oncehub.com.evil.example", "http://oncehub.com", None]:
            item = {"kind": "message", "origin": origin, "data": {"type": "oncehub.booking.scheduled"}}
            assert read(item, page) is None

    def test_funnel_forwards_no_data(self, page):
        """A funnel message becomes a funnel event without the message's data."""
        item = {"kind": "message", "origin": "https://oncehub.com",
                "data": {"type": "oncehub.form.submitted", "data": {"email": "leak@example.com"}}}
        event = read(item, page)
        assert isinstance(event, FunnelEvent)
        assert event.to_dict() == {"source": "booking_calendar", "type": "oncehub.form.submitted",
                                   "page": {"url": "https://site.example/book",
                                            "referrer": "https://www.google.com/search"}}

    def test_invalid_booking_object(self, page):
        """A booking object that fails validation is an error event from the calendar."""
        item = {"kind": "message", "origin": "https://oncehub.com",
                "data": {"type": "oncehub.booking.scheduled", "payload": {"starting_time": "soon, john@x.example"}}}
        event = read(item, page)
        assert isinstance(event, ErrorEvent) and event.source == "booking_calendar"
        assert event.message.startswith("starting_time:") and "john" not in event.message

    def test_non_oncehub_messages_ignored(self, page):
        """Other sites' messages are none of the bridge's business."""
        item = {"kind": "message", "origin": "https://oncehub.com", "data": {"type": "resize", "height": 3}}
        assert read(item, page) is None

    def test_unknown_input(self, page):
        """Inputs of unknown kind are ignored."""
        assert read({"kind": "telepathy"}, page) is None
        assert read("callback", page) is None
