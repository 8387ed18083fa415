"""Models of what OnceHub sends: the classic payload and Booking Calendar messages."""

import pytest
from pydantic import ValidationError

from bridge.inputs import validation_problem
from bridge.inputs.calendar import CalendarBooking, FormSubmission, booking_object, message_type
from bridge.inputs.classic import ClassicPayload


class TestClassicPayload:
    def test_documented_sample(self, classic_payload):
        """The documented sample validates with its ids, times and customer."""
        payload = ClassicPayload.from_argument(classic_payload)
        assert payload.bookingInfo.BookingId == ["BKNG-XGYNZXXR3B7D"]
        assert payload.bookingInfo.MeetingTimes[0].UTCTime.hour == 6
        assert not payload.failed

    def test_unknown_fields_and_missing_booking_id(self, classic_payload):
        """Extra fields are ignored and a missing BookingId is an empty list."""
        del classic_payload["bookingInfo"]["BookingId"]
        classic_payload["bookingInfo"]["NewField"] = {"x": 1}
        assert ClassicPayload.from_argument(classic_payload).bookingInfo.BookingId == []

    def test_single_string_booking_id(self, classic_payload):
        """A BookingId given as one string becomes a one-item list."""
        classic_payload["bookingInfo"]["BookingId"] = "BKNG-ONE"
        assert ClassicPayload.from_argument(classic_payload).bookingInfo.BookingId == ["BKNG-ONE"]

    def test_bare_booking_info(self, classic_payload):
        """A bookingInfo object passed without its wrapper is still read."""
        payload = ClassicPayload.from_argument(classic_payload["bookingInfo"])
        assert payload.bookingInfo.EventTypeName == "Automatic booking - 15-minute meeting"

    @pytest.mark.parametrize(
        "change", [{"errorStatus": 1}, {"statusCode": "0"}, {"bookingInfo": {"statusCode": "0"}}, {"errorStatus": "1"}]
    )
    def test_failure_flags(self, change):
        """errorStatus 1 or statusCode "0" (numbers as text too) mark a failed booking."""
        assert ClassicPayload.from_argument(change).failed

    def test_numeric_status_code_is_text(self, classic_payload):
        """A numeric statusCode 1 is read as "1", a success."""
        classic_payload["bookingInfo"]["statusCode"] = 1
        assert not ClassicPayload.from_argument(classic_payload).failed


class TestValidationProblem:
    def test_names_locations_without_values(self, classic_payload):
        """Problems say where and what, never the rejected value."""
        classic_payload["bookingInfo"]["CustomerEmail"] = ["secret@example.com"]
        classic_payload["bookingInfo"]["MeetingTimes"][0]["UTCTime"] = "secret@example.com"
        with pytest.raises(ValidationError) as caught:
            ClassicPayload.from_argument(classic_payload)
        problem = validation_problem(caught.value)
        assert "bookingInfo.CustomerEmail" in problem
        assert "bookingInfo.MeetingTimes.0.UTCTime" in problem
        assert "secret" not in problem
        assert "secret" not in str(caught.value)

    def test_limit(self):
        """Beyond the limit, the rest are counted."""
        bad = {"bookingInfo": {"CustomerName": [1], "CustomerEmail": [1], "CustomerPhone": [1], "Note": [1]}}
        with pytest.raises(ValidationError) as caught:
            ClassicPayload.from_argument(bad)
        assert validation_problem(caught.value, limit=2).endswith("and 2 more")


class TestCalendarMessages:
    @pytest.mark.parametrize("data", [{"type": "other.event"}, {"type": 3}, "oncehub.booking.scheduled", None,
                                      {"type": "oncehub."}, {"type": "oncehub.form.<script>"}])
    def test_not_oncehub(self, data):
        """Only objects whose type is a clean ``oncehub.*`` name are OnceHub messages."""
        assert message_type(data) is None

    def test_oncehub_type(self):
        """A funnel type is recognised as is."""
        assert message_type({"type": "oncehub.booking_calendar.time_slot_selected"}) == (
            "oncehub.booking_calendar.time_slot_selected"
        )

    @pytest.mark.parametrize("key", ["payload", "data", "booking"])
    def test_booking_under_a_key(self, key, calendar_booking):
        """The booking object may sit under payload, data or booking."""
        assert booking_object({"type": "oncehub.booking.scheduled", key: calendar_booking}) == calendar_booking

    def test_booking_is_the_message(self, calendar_booking):
        """Without such a key, the message itself is the booking object."""
        message = {"type": "oncehub.booking.scheduled", **calendar_booking}
        assert booking_object(message)["id"] == "BKNG-J4FR05BKEWEX"

    def test_booking_as_json_text(self, calendar_booking):
        """A booking object sent as JSON text is parsed."""
        import json

        assert booking_object({"payload": json.dumps(calendar_booking)})["subject"] == "Live demo"


class TestCalendarBooking:
    def test_nested_utm(self, calendar_booking):
        """Nested utm_params are used as given."""
        assert CalendarBooking.model_validate(calendar_booking).utm["source"] == "facebook"

    def test_flat_utm(self, calendar_booking):
        """Flat utm_* fields are used when there is no nested object."""
        del calendar_booking["utm_params"]
        calendar_booking.update(utm_source="newsletter", utm_medium="email")
        utm = CalendarBooking.model_validate(calendar_booking).utm
        assert (utm["source"], utm["medium"], utm["campaign"]) == ("newsletter", "email", None)

    def test_empty_phone_falls_back_to_mobile(self, calendar_booking):
        """An empty form phone means the mobile phone is the customer's number."""
        assert FormSubmission.model_validate(calendar_booking["form_submission"]).best_phone == "1-2025550195"

    def test_list_custom_field_values(self):
        """Multi-choice answers are joined into one text."""
        form = FormSubmission.model_validate({"custom_fields": [{"name": "Topics", "value": ["a", "b"]}]})
        assert form.custom_fields[0].value == "a, b"
