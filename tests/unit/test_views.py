"""What a sink may see of an event under its PII policy and fields allow-list."""

from bridge.event import BookingEvent, ErrorEvent, FunnelEvent, funnel_event_name
from bridge.views import view

BOOKING = BookingEvent(
    source="booking_page",
    booking_id="BKNG-1",
    booking_ids=["BKNG-1"],
    customer={"name": "Ann", "email": "ann@example.com", "phone": None},
    user_data={"sha256_email_address": "abc"},
    note="call me",
)


class TestPiiPolicies:
    def test_none(self):
        """Policy none drops customer, note and user_data."""
        seen = view(BOOKING, "none")
        assert not {"customer", "note", "user_data"} & seen.keys()
        assert seen["booking_id"] == "BKNG-1"

    def test_hashed(self):
        """Policy hashed keeps user_data but drops customer and note."""
        seen = view(BOOKING, "hashed")
        assert seen["user_data"] == {"sha256_email_address": "abc"}
        assert not {"customer", "note"} & seen.keys()

    def test_raw(self):
        """Policy raw keeps every field."""
        seen = view(BOOKING, "raw")
        assert seen["customer"]["email"] == "ann@example.com"
        assert seen["note"] == "call me"
        assert seen.keys() == BOOKING.to_dict().keys()


class TestFieldsAllowList:
    def test_only_listed_fields(self):
        """The allow-list keeps only the listed fields."""
        assert view(BOOKING, "hashed", ["booking_id", "user_data"]) == {
            "booking_id": "BKNG-1",
            "user_data": {"sha256_email_address": "abc"},
        }

    def test_policy_still_applies(self):
        """Listing a PII field does not bypass the policy."""
        assert view(BOOKING, "hashed", ["customer", "booking_id"]) == {"booking_id": "BKNG-1"}


class TestOtherEvents:
    def test_error_and_funnel_pass_whole(self):
        """Error and funnel events carry no PII and are not filtered."""
        error = ErrorEvent(source="booking_page", code="invalid_json", message="not JSON")
        assert view(error, "none", ["booking_id"]) == {"source": "booking_page", "code": "invalid_json",
                                                       "message": "not JSON"}
        funnel = FunnelEvent(type="oncehub.form.submitted")
        assert view(funnel, "none")["type"] == "oncehub.form.submitted"

    def test_funnel_names(self):
        """Funnel event names drop the oncehub. prefix and turn dots into underscores."""
        assert funnel_event_name("oncehub.booking_calendar.time_slot_selected") == (
            "oncehub_booking_calendar_time_slot_selected"
        )
        assert FunnelEvent(type="oncehub.form.submitted").name == "oncehub_form_submitted"
