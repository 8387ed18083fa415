"""Payloads shaped like the ones OnceHub sends (seeds 000 and 003), for browser tests."""

import copy

CUSTOMER_EMAIL = "John.Smith@Example.com"


def classic(booking_id: str = "BKNG-XGYNZXXR3B7D", **info) -> dict:
    """The documented SOAfterConfirmationFunction payload, optionally with fields changed."""
    payload = {
        "errorStatus": 0,
        "bookingInfo": {
            "Version": "7.35",
            "MeetingTimes": [{"UTCTime": "2018-04-25T06:45:00", "CustomerTime": "2018-04-25T07:45:00",
                              "SOTime": "2018-04-25T09:45:00"}],
            "CancelRescheduleLink": "https://go.oncehub.com/dana?Params=abc",
            "Note": "I look forward to the meeting.",
            "CalendarEvent": {"ICS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=x&type=1",
                              "VCS": "https://app.oncehub.com/scheduleonce/download.aspx?mid=x&type=3"},
            "statusCode": "1",
            "Message": None,
            "CustomerName": "John Smith",
            "CustomerEmail": CUSTOMER_EMAIL,
            "CustomerPhone": "1-2025550195",
            "EventTypeName": "Automatic booking - 15-minute meeting",
            "BookingId": [booking_id],
        },
    }
    payload["bookingInfo"].update(info)
    return payload


BOOKING_OBJECT = {
    "object": "booking",
    "id": "BKNG-J4FR05BKEWEX",
    "tracking_id": "D36E0002",
    "subject": "Live demo",
    "status": "scheduled",
    "creation_time": "2020-03-22T09:48:48Z",
    "starting_time": "2020-03-22T04:30:00Z",
    "duration_minutes": 60,
    "form_submission": {
        "name": "Carrie Customer", "email": "carrie@example.com", "phone": "", "mobile_phone": "1-2025550195",
        "note": "I want to discuss whether your product can work for our office.", "company": None,
        "guests": [""], "custom_fields": [{"name": "Title", "value": "Executive Assistant"}],
    },
    "utm_params": {"source": "facebook", "medium": "social", "campaign": None, "term": None, "content": None},
}


def scheduled_message(**changes) -> dict:
    booking = copy.deepcopy(BOOKING_OBJECT)
    booking.update(changes)
    return {"type": "oncehub.booking.scheduled", "payload": booking}
