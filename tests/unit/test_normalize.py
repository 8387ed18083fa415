"""Building a BookingEvent from each input (SPEC §3)."""

import hashlib

from bridge.inputs.calendar import CalendarBooking
from bridge.inputs.classic import ClassicPayload
from bridge.normalize import booking_from_calendar, booking_from_classic
from bridge.page import PageContext


def classic_event(payload, page, **options):
    return booking_from_classic(ClassicPayload.from_argument(payload), page, **options).to_dict()


def calendar_event(booking, page):
    return booking_from_calendar(CalendarBooking.model_validate(booking), page).to_dict()


class TestClassicBooking:
    def test_seed_payload(self, classic_payload, page):
        """The documented payload maps onto the SPEC's fields."""
        event = classic_event(classic_payload, page)
        assert event["source"] == "booking_page"
        assert event["booking_id"] == "BKNG-XGYNZXXR3B7D"
        assert event["booking_ids"] == ["BKNG-XGYNZXXR3B7D"]
        assert event["subject"] == "Automatic booking - 15-minute meeting"
        assert event["starting_time"] == "2018-04-25T06:45:00Z"
        assert event["customer_time"] == "2018-04-25T07:45:00"
        assert event["booking_page_time"] == "2018-04-25T09:45:00"
        assert event["customer"] == {"name": "John Smith", "email": "johnsmith@example.com", "phone": "1-2025550195"}
        assert event["note"] == "I look forward to the meeting."
        assert event["calendar_event"]["vcs"].endswith("type=3")
        assert event["payload_version"] == "7.35"
        assert event["duration_minutes"] is None

    def test_user_data_hashes(self, classic_payload, page):
        """user_data holds the SHA-256 of the normalised email and E.164 phone."""
        user_data = classic_event(classic_payload, page)["user_data"]
        assert user_data == {
            "sha256_email_address": hashlib.sha256(b"johnsmith@example.com").hexdigest(),
            "sha256_phone_number": hashlib.sha256(b"+12025550195").hexdigest(),
        }

    def test_every_meeting(self, classic_payload, page):
        """A session package lists every meeting; the first one is the event's start."""
        classic_payload["bookingInfo"]["MeetingTimes"].append(
            {"UTCTime": "2018-05-02T06:45:00Z", "CustomerTime": "2018-05-02T07:45:00+01:00", "SOTime": None}
        )
        event = classic_event(classic_payload, page)
        assert [m["starting_time"] for m in event["meetings"]] == ["2018-04-25T06:45:00Z", "2018-05-02T06:45:00Z"]
        assert event["meetings"][1] == {
            "starting_time": "2018-05-02T06:45:00Z",
            "customer_time": "2018-05-02T07:45:00",
            "booking_page_time": None,
        }
        assert event["starting_time"] == "2018-04-25T06:45:00Z"

    def test_offset_times_become_utc(self, classic_payload, page):
        """A UTC time given with an offset is converted to Z."""
        classic_payload["bookingInfo"]["MeetingTimes"][0]["UTCTime"] = "2018-04-25T08:45:00+02:00"
        assert classic_event(classic_payload, page)["starting_time"] == "2018-04-25T06:45:00Z"

    def test_times_keep_four_digit_years(self, classic_payload, page):
        """ISO 8601 years have four digits, also before 1000, on every platform (glibc's strftime drops the zeros)."""
        classic_payload["bookingInfo"]["MeetingTimes"][0].update(UTCTime="0999-04-25T06:45:00.5Z",
                                                                 CustomerTime="0001-01-01T07:45:00")
        event = classic_event(classic_payload, page)
        assert (event["starting_time"], event["customer_time"]) == ("0999-04-25T06:45:00Z", "0001-01-01T07:45:00")

    def test_no_argument(self, page):
        """No argument: a booking whose payload fields are all null or empty."""
        event = booking_from_classic(None, PageContext()).to_dict()
        assert event["source"] == "booking_page"
        assert all(value in (None, []) for key, value in event.items() if key != "source")

    def test_page_and_click_ids(self, classic_payload, page):
        """The host page's URL loses its query, its click ids and UTM are captured."""
        event = classic_event(classic_payload, page)
        assert event["page"] == {"url": "https://site.example/book", "referrer": "https://www.google.com/search"}
        assert event["click_ids"] == {"gclid": "G-123", "fbclid": None, "msclkid": None}
        assert event["utm_params"]["source"] == "newsletter"

    def test_include_query(self, classic_payload, page):
        """With include_query the page URL keeps its query string (not its fragment)."""
        event = classic_event(classic_payload, page, include_query=True)
        assert event["page"]["url"] == page.url.split("#")[0]
        assert event["page"]["referrer"] == "https://www.google.com/search?q=demo"

    def test_absent_nested_objects_are_null(self, classic_payload):
        """No customer details, no UTM, no click ids: those objects are null, not made up."""
        info = classic_payload["bookingInfo"]
        info.update(CustomerName=None, CustomerEmail=None, CustomerPhone=None, CalendarEvent=None)
        event = classic_event(classic_payload, PageContext(url="https://site.example/"))
        assert (event["customer"], event["user_data"], event["calendar_event"]) == (None, None, None)
        assert (event["utm_params"], event["click_ids"]) == (None, None)


class TestCalendarBooking:
    def test_seed_booking(self, calendar_booking, page):
        """The documented booking object maps onto the SPEC's fields."""
        event = calendar_event(calendar_booking, page)
        assert event["source"] == "booking_calendar"
        assert event["booking_ids"] == ["BKNG-J4FR05BKEWEX"]
        assert event["subject"] == "Live demo"
        assert event["starting_time"] == "2020-03-22T04:30:00Z"
        assert event["duration_minutes"] == 60
        assert event["customer"]["phone"] == "1-2025550195"
        assert event["custom_fields"] == [{"name": "Title", "value": "Executive Assistant"}]
        assert event["meetings"] == [
            {"starting_time": "2020-03-22T04:30:00Z", "customer_time": None, "booking_page_time": None}
        ]

    def test_payload_utm_wins_over_page(self, calendar_booking, page):
        """The booking's own UTM parameters are used before the page's."""
        assert calendar_event(calendar_booking, page)["utm_params"]["source"] == "facebook"

    def test_page_utm_fallback(self, calendar_booking, page):
        """Without UTM in the booking, the page URL's UTM parameters are used."""
        calendar_booking["utm_params"] = {"source": None}
        assert calendar_event(calendar_booking, page)["utm_params"]["medium"] == "email"

    def test_customer_time_from_zone(self, calendar_booking, page):
        """With a customer time zone known to the runtime, customer_time is the wall clock there."""
        calendar_booking["customer_timezone"] = "Asia/Tokyo"
        assert calendar_event(calendar_booking, page)["customer_time"] == "2020-03-22T13:30:00"

    def test_unknown_zone(self, calendar_booking, page):
        """An unknown zone leaves customer_time null rather than guessing."""
        calendar_booking["customer_timezone"] = "Mars/Olympus"
        assert calendar_event(calendar_booking, page)["customer_time"] is None
