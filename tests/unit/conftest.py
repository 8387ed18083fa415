"""Shared payloads (shaped like OnceHub's documented samples) and page context for the unit tests."""

import copy

import pytest

from bridge.inputs.classic import ClassicPayload
from bridge.normalize import booking_from_classic
from bridge.page import PageContext

PAGE_URL = "https://site.example/book?utm_source=newsletter&utm_medium=email&gclid=G-123&secret=1#top"

CLASSIC_PAYLOAD = {
    "errorStatus": 0,
    "bookingInfo": {
        "Version": "7.35",
        "MeetingTimes": [
            {"UTCTime": "2018-04-25T06:45:00", "CustomerTime": "2018-04-25T07:45:00", "SOTime": "2018-04-25T09:45:00"}
        ],
        "CancelRescheduleLink": "https://go.oncehub.com/dana?Params=abc",
        "Note": "I look forward to the meeting.",
        "CalendarEvent": {
            "ICS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=m&type=1",
            "VCS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=m&type=3",
        },
        "statusCode": "1",
        "Message": None,
        "CustomerName": "John Smith",
        "CustomerEmail": "johnsmith@example.com",
        "CustomerPhone": "1-2025550195",
        "EventTypeName": "Automatic booking - 15-minute meeting",
        "BookingId": ["BKNG-XGYNZXXR3B7D"],
    },
}

CALENDAR_BOOKING = {
    "object": "booking",
    "id": "BKNG-J4FR05BKEWEX",
    "tracking_id": "D36E0002",
    "subject": "Live demo",
    "status": "scheduled",
    "creation_time": "2020-03-22T09:48:48Z",
    "starting_time": "2020-03-22T04:30:00Z",
    "owner": "USR-FSD423423",
    "duration_minutes": 60,
    "form_submission": {
        "name": "Carrie Customer",
        "email": "carrie@example.com",
        "phone": "",
        "mobile_phone": "1-2025550195",
        "note": "I want to discuss whether your product can work for our office.",
        "company": None,
        "guests": [""],
        "custom_fields": [{"name": "Title", "value": "Executive Assistant"}],
    },
    "booking_page": "BP-X0LCRU5LES",
    "utm_params": {"source": "facebook", "medium": "social", "campaign": None, "term": None, "content": None},
}


@pytest.fixture
def classic_payload():
    """A fresh copy of the documented classic payload."""
    return copy.deepcopy(CLASSIC_PAYLOAD)


@pytest.fixture
def calendar_booking():
    """A fresh copy of the documented booking object."""
    return copy.deepcopy(CALENDAR_BOOKING)


@pytest.fixture
def page():
    """A host page with UTM parameters, a click id and an unrelated query parameter."""
    return PageContext(url=PAGE_URL, referrer="https://www.google.com/search?q=demo")


@pytest.fixture
def seed_booking(classic_payload, page):
    """The documented classic payload as the booking event every sink receives on the test page."""
    return booking_from_classic(ClassicPayload.model_validate(classic_payload), page)
