"""Payloads shaped like the ones OnceHub sends (bridge.testing's documented samples), for browser tests."""

import copy

from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD

CUSTOMER_EMAIL = "John.Smith@Example.com"
"""Mixed case, so that tests see the normalisation before hashing."""


def classic(booking_id: str = "BKNG-XGYNZXXR3B7D", **info) -> dict:
    """The documented SOAfterConfirmationFunction payload, optionally with fields changed."""
    payload = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD)
    payload["bookingInfo"].update(CustomerEmail=CUSTOMER_EMAIL, BookingId=[booking_id])
    payload["bookingInfo"].update(info)
    return payload


def scheduled_message(**changes) -> dict:
    """An oncehub.booking.scheduled message carrying the documented booking object, optionally changed."""
    booking = copy.deepcopy(SAMPLE_BOOKING_OBJECT)
    booking.update(changes)
    return {"type": "oncehub.booking.scheduled", "payload": booking}
