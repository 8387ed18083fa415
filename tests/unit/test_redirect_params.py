"""SPEC §2, §3: OnceHub's automatic redirect, both parameter sets (OnceHub's two documented examples), into the
booking event with source "redirect"."""

import hashlib
from datetime import timezone
from urllib.parse import parse_qsl

import pytest

from bridge.inputs.redirect import parse_time
from bridge.intake import read_input
from bridge.page import PageContext

# OnceHub's documented examples, as the confirmation page receives them
CALENDAR_QUERY = ("booking_calendar=BKC-8D6NGQEM5G&subject=Meeting+with+Sales&status=scheduled"
                  "&customer_timezone=Asia%2FKolkata&id=BKNG-2R5C3TQBX1PZ&creation_time=2025-07-17T10%3A17%3A10.765Z"
                  "&starting_time=2025-07-18T11%3A00%3A00.000Z&name=Carrie+Customer"
                  "&email=Carrie-Customer%40staticso2.com&company=Acme&meeting_reason=Product+Demo")
CLASSIC_QUERY = ("Name=John%20Smith&Email=johnsmith@example.com&subject=Example%20Subject&company=Example%20Company"
                 "&phone=1-2025550195&note=I%20look%20forward%20to%20the%20meeting.&bookingPage=financial"
                 "&creationTime=2018-04-25T05:08:18.843Z&meetingTime=2018-04-25T10:45:00.000Z"
                 "&timeZone=Eastern%20time&utcOffset=-5")


def redirect_input(shape: str, query: str) -> dict:
    """The input the loader hands over: the query's pairs, decoded as URLSearchParams does."""
    return {"kind": "redirect", "shape": shape, "params": [list(p) for p in parse_qsl(query, keep_blank_values=True)]}


def event_of(item, **options):
    intake = read_input(item, PageContext(url="https://site.example/thanks"), include_query=False,
                        allowed_origins=["https://oncehub.com"], **options)
    return intake.event.to_dict() if intake.event else None


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class TestBookingCalendarSet:
    def test_the_documented_example_is_one_booking(self):
        event = event_of(redirect_input("calendar", CALENDAR_QUERY))
        assert event["source"] == "redirect"
        assert event["booking_id"] == "BKNG-2R5C3TQBX1PZ" and event["booking_ids"] == ["BKNG-2R5C3TQBX1PZ"]
        assert event["subject"] == "Meeting with Sales"
        assert event["starting_time"] == "2025-07-18T11:00:00Z"
        assert event["customer_time"] in ("2025-07-18T16:30:00", None)  # None where no time-zone database exists
        assert event["customer"]["email"] == "Carrie-Customer@staticso2.com"
        assert event["customer"]["name"] == "Carrie Customer"

    def test_company_and_custom_fields_are_kept_as_custom_fields(self):
        event = event_of(redirect_input("calendar", CALENDAR_QUERY))
        assert {"name": "meeting_reason", "value": "Product Demo"} in event["custom_fields"]

    def test_the_sites_own_personal_parameters_are_dropped(self):
        event = event_of(redirect_input("calendar", CALENDAR_QUERY), personal_params=("meeting_reason",))
        assert all(f["name"] != "meeting_reason" for f in event["custom_fields"])

    def test_a_time_out_of_range_is_null_not_a_failure(self):
        query = CALENDAR_QUERY.replace("2025-07-18T11%3A00%3A00.000Z", "0001-01-01T00%3A00%3A00%2B14%3A00")
        event = event_of(redirect_input("calendar", query))
        assert event["booking_id"] == "BKNG-2R5C3TQBX1PZ" and event["starting_time"] is None


class TestClassicSet:
    def test_the_documented_example_is_one_booking_with_the_offset_applied(self):
        event = event_of(redirect_input("classic", CLASSIC_QUERY))
        assert event["source"] == "redirect"
        assert event["booking_id"] is None and event["booking_ids"] == []  # the classic set carries no id
        assert event["subject"] == "Example Subject"
        assert event["starting_time"] == "2018-04-25T10:45:00Z"
        assert event["customer_time"] == "2018-04-25T05:45:00"  # utcOffset -5
        assert event["customer"]["phone"] == "1-2025550195"
        assert event["note"] == "I look forward to the meeting."

    @pytest.mark.parametrize("offset, wall", [("5.5", "2018-04-25T16:15:00"), ("junk", None), ("99", None)])
    def test_utc_offset_in_hours(self, offset, wall):
        event = event_of(redirect_input("classic", CLASSIC_QUERY.replace("utcOffset=-5", f"utcOffset={offset}")))
        assert event["customer_time"] == wall


class TestNotABooking:
    def test_an_unknown_shape_is_an_error_event(self):
        event = event_of({"kind": "redirect", "shape": "other", "params": []})
        assert event["code"] == "invalid_payload"

    def test_a_lone_surrogate_is_an_error_event(self):
        event = event_of({"kind": "redirect", "shape": "calendar", "params": [["email", "a\ud800@x.example"]]})
        assert event["code"] == "payload_invalid_text"

    def test_off_by_config(self):
        assert event_of(redirect_input("calendar", CALENDAR_QUERY), redirect_enabled=False) is None


@pytest.mark.parametrize("text, utc", [
    ("2018-04-25T10:45:00.000Z", "2018-04-25T10:45:00+00:00"),
    ("2018-04-25T10:45:00+05:30", "2018-04-25T05:15:00+00:00"),
    ("2018-04-25T10:45", "2018-04-25T10:45:00+00:00"),
    ("2020-01-01T24:00:00", None),  # ISO's end of day: Python 3.14 (the browser) reads it, 3.11 does not
    ("2020-01-01 10:00:00", None),
    ("٢٠٢٠-٠١-٠١T10:00:00", None),  # digits other than ASCII
    ("2020-01-01T10:00:00.1234567Z", None),
    ("2020-02-30T10:00:00", None),
    ("20200101T100000Z", None),
    ("", None),
    (None, None),
])
def test_redirect_times_are_read_alike_on_every_python(text, utc):
    """A time of the redirect (and of stored attribution) is read the same on the tests' CPython and the browser's."""
    moment = parse_time(text)
    assert (moment.astimezone(timezone.utc).isoformat() if moment else None) == utc
