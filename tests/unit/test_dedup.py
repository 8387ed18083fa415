"""Each booking is delivered once per page (SPEC §5)."""

from bridge.dedup import DeliveredBookings, dedup_keys
from bridge.event import BookingEvent
from bridge.testing import FakeClock


def booking(**fields):
    return BookingEvent(source="booking_page", **fields)


class TestKeys:
    def test_ids_are_keys(self):
        """Booking ids identify a booking."""
        assert dedup_keys(booking(booking_ids=["A", "B"])) == ("id:A", "id:B")

    def test_derived_key_ignores_host_page(self):
        """Without ids, the same content gives the same key whatever the page adds."""
        first = booking(subject="Demo", page={"url": "https://a.example/"})
        second = BookingEvent(source="booking_calendar", subject="Demo", page={"url": "https://b.example/"})
        assert dedup_keys(first) == dedup_keys(second) != ()
        assert dedup_keys(booking(subject="Other")) != dedup_keys(first)

    def test_empty_booking_has_no_key(self):
        """A booking without any details has no key."""
        assert dedup_keys(booking(page={"url": "https://a.example/"})) == ()


class TestDeliveredBookings:
    def test_same_id_twice(self):
        """OnceHub firing twice with the same id delivers once."""
        delivered = DeliveredBookings(FakeClock())
        assert delivered.first_delivery(booking(booking_ids=["A"]))
        assert not delivered.first_delivery(booking(booking_ids=["A"]))

    def test_two_bookings(self):
        """Two different bookings are both delivered."""
        delivered = DeliveredBookings(FakeClock())
        assert delivered.first_delivery(booking(booking_ids=["A"]))
        assert delivered.first_delivery(booking(booking_ids=["B"]))

    def test_overlapping_ids(self):
        """A booking sharing an id with a delivered one is the same booking."""
        delivered = DeliveredBookings(FakeClock())
        delivered.first_delivery(booking(booking_ids=["A", "B"]))
        assert not delivered.first_delivery(booking(booking_ids=["B"]))

    def test_same_content_without_id(self):
        """Without ids, the same details twice are delivered once, however far apart."""
        clock = FakeClock()
        delivered = DeliveredBookings(clock)
        assert delivered.first_delivery(booking(subject="Demo", starting_time="2020-01-01T00:00:00Z"))
        clock.advance(3600)
        assert not delivered.first_delivery(booking(subject="Demo", starting_time="2020-01-01T00:00:00Z"))

    def test_empty_calls_within_window(self):
        """Two empty calls within the window are OnceHub firing twice: delivered once."""
        clock = FakeClock()
        delivered = DeliveredBookings(clock, empty_window_seconds=5)
        assert delivered.first_delivery(booking())
        clock.advance(1)
        assert not delivered.first_delivery(booking())

    def test_empty_calls_minutes_apart(self):
        """Two empty calls minutes apart are two bookings."""
        clock = FakeClock()
        delivered = DeliveredBookings(clock)
        assert delivered.first_delivery(booking())
        clock.advance(180)
        assert delivered.first_delivery(booking())
