"""Shared payloads (shaped like OnceHub's documented samples) and page context for the unit tests."""

import copy

import pytest

from bridge.inputs.classic import ClassicPayload
from bridge.normalize import booking_from_classic
from bridge.page import PageContext
from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD

PAGE_URL = "https://site.example/book?utm_source=newsletter&utm_medium=email&gclid=G-123&secret=1#top"

CLASSIC_PAYLOAD = SAMPLE_CLASSIC_PAYLOAD
CALENDAR_BOOKING = SAMPLE_BOOKING_OBJECT


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
