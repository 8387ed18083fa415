"""Each sink's decisions: data_layer, redirect, local_storage."""

import json

import pytest

from bridge.config import parse_config
from bridge.effects import Navigate, Push, Store
from bridge.event import BookingEvent, ErrorEvent, FunnelEvent
from bridge.sinks import SINKS_BY_TYPE, SinkContext, SkipEvent

PAGE_URL = "https://site.example/book"
BOOKING = BookingEvent(
    source="booking_page",
    booking_id="BKNG-1",
    booking_ids=["BKNG-1"],
    subject="Intro call",
    customer={"name": "Ann", "email": "ann@example.com", "phone": None},
    user_data={"sha256_email_address": "e" * 64},
    note="secret note",
    utm_params={"source": "news letter"},
)


def booking(**changes):
    return BookingEvent.model_validate({**BOOKING.to_dict(), **changes})


def make_sink(**options):
    """A sink built from one config entry, validated the way start-up validates it."""
    sink_class = SINKS_BY_TYPE[options["type"]]
    return sink_class(sink_class.config_model.model_validate(options, context={"page_url": PAGE_URL}))


def config_problems(entry):
    """The problems a config with this one sink entry reports."""
    return parse_config(json.dumps({"sinks": [entry]}), PAGE_URL)[1]


def context(**storage):
    return SinkContext(page_url=PAGE_URL, now=1_700_000_000.0, storage=dict(storage))


class TestDataLayer:
    def test_booking(self):
        """A booking is pushed as oncehub_booking_scheduled with the hashed view."""
        [effect] = make_sink(type="data_layer")(BOOKING, context())
        assert isinstance(effect, Push) and effect.target == "dataLayer"
        assert effect.value["event"] == "oncehub_booking_scheduled"
        assert effect.value["oncehub"]["user_data"] == BOOKING.user_data
        assert "customer" not in effect.value["oncehub"] and "note" not in effect.value["oncehub"]

    def test_custom_name_and_fields(self):
        """The target name and the fields allow-list are honoured."""
        [effect] = make_sink(type="data_layer", name="myLayer", fields=["booking_id"])(BOOKING, context())
        assert effect.target == "myLayer"
        assert effect.value["oncehub"] == {"booking_id": "BKNG-1"}

    def test_error(self):
        """An error is pushed as oncehub_booking_error with only code and message."""
        error = ErrorEvent(source="booking_page", code="booking_failed", message="failed")
        [effect] = make_sink(type="data_layer")(error, context())
        assert effect.value == {"event": "oncehub_booking_error",
                                "oncehub_error": {"code": "booking_failed", "message": "failed"}}

    def test_funnel(self):
        """A funnel step is pushed under its oncehub_<step> name."""
        funnel = FunnelEvent(type="oncehub.booking_calendar.loaded")
        [effect] = make_sink(type="data_layer")(funnel, context())
        assert effect.value["event"] == "oncehub_booking_calendar_loaded"
        assert effect.value["oncehub"]["type"] == "oncehub.booking_calendar.loaded"


class TestRedirect:
    def test_fills_and_resolves(self):
        """The template is filled URL-encoded and resolved against the page URL."""
        sink = make_sink(type="redirect", url="/thanks?b={booking_id}&s={utm_params.source}")
        [effect] = sink(BOOKING, context())
        assert effect == Navigate(url="https://site.example/thanks?b=BKNG-1&s=news%20letter", timeout_ms=1500)

    def test_once_per_page(self):
        """A second booking on the same page does not navigate again."""
        sink = make_sink(type="redirect", url="/thanks", timeout_ms=300)
        assert sink(BOOKING, context())[0].timeout_ms == 300
        with pytest.raises(SkipEvent):
            sink(booking(booking_ids=["BKNG-2"]), context())

    def test_only_bookings(self):
        """Errors and funnel steps never navigate."""
        sink = make_sink(type="redirect", url="/thanks")
        assert not sink(ErrorEvent(source="booking_page", code="x", message="y"), context())
        assert not sink(FunnelEvent(type="oncehub.form.submitted"), context())
        assert sink(BOOKING, context())

    def test_raw_pii_placeholder(self):
        """With pii raw, customer placeholders are filled."""
        sink = make_sink(type="redirect", pii="raw", url="/t?e={customer.email}")
        assert sink(BOOKING, context())[0].url == "https://site.example/t?e=ann%40example.com"

    def test_final_url_revalidated(self):
        """The filled URL is checked again before navigating (here: against another page origin)."""
        sink = make_sink(type="redirect", url="https://site.example/thanks?b={booking_id}")
        with pytest.raises(SkipEvent, match="filled URL rejected"):
            sink(BOOKING, SinkContext(page_url="https://other.example/"))
        assert not sink.navigated

    def test_runs_last(self):
        """The redirect sink is an "after" sink."""
        assert make_sink(type="redirect", url="/t").stage == "after"


class TestLocalStorage:
    def stored(self, effects):
        [effect] = effects
        assert isinstance(effect, Store) and effect.key == "oncehub_bridge"
        return json.loads(effect.value)

    def test_first_booking(self):
        """The first booking creates a profile and a one-item list."""
        state = self.stored(make_sink(type="local_storage")(BOOKING, context()))
        profile = state["profile"]
        assert profile["booking_count"] == 1
        assert profile["first_booked_at"] == profile["last_booked_at"] == "2023-11-14T22:13:20Z"
        assert profile["first_utm_params"]["source"] == "news letter"
        assert profile["user_data"] == BOOKING.user_data
        assert [entry["booking_id"] for entry in state["bookings"]] == ["BKNG-1"]
        assert "secret note" not in json.dumps(state) and "ann@example.com" not in json.dumps(state)

    @pytest.mark.parametrize("garbage", ["not json", "[1, 2]", '{"profile": 3, "bookings": {"a": 1}}', None])
    def test_tolerates_garbage(self, garbage):
        """Unreadable stored text counts as nothing stored."""
        state = self.stored(make_sink(type="local_storage")(BOOKING, context(oncehub_bridge=garbage)))
        assert state["profile"]["booking_count"] == 1 and len(state["bookings"]) == 1

    def test_merges_and_bounds(self):
        """Bookings accumulate in storage, the oldest dropped beyond max_bookings; first values stay."""
        sink = make_sink(type="local_storage", max_bookings=2)
        ctx = context()
        for number in range(3):
            event = booking(booking_id=f"BKNG-{number}", utm_params={"source": f"s{number}"})
            sink(event, ctx)
        state = json.loads(ctx.storage["oncehub_bridge"])
        assert [entry["booking_id"] for entry in state["bookings"]] == ["BKNG-1", "BKNG-2"]
        assert state["profile"]["booking_count"] == 3
        assert state["profile"]["first_utm_params"]["source"] == "s0"

    def test_policy_none_forgets_identifiers(self):
        """Under pii none, no identifiers are stored, even ones stored earlier under another policy."""
        earlier = json.dumps({"profile": {"user_data": {"sha256_email_address": "old"}},
                              "bookings": [{"booking_id": "OLD", "user_data": {"x": "y"}}]})
        sink = make_sink(type="local_storage", pii="none", key="k")
        [effect] = sink(BOOKING, context(k=earlier))
        assert "user_data" not in effect.value and "old" not in effect.value
        assert json.loads(effect.value)["bookings"][0] == {"booking_id": "OLD"}

    def test_zero_bookings_kept(self):
        """max_bookings 0 keeps only the profile."""
        state = self.stored(make_sink(type="local_storage", max_bookings=0)(BOOKING, context()))
        assert state["bookings"] == [] and state["profile"]["booking_count"] == 1

    def test_ignores_errors(self):
        """Errors are not stored."""
        error = ErrorEvent(source="booking_page", code="x", message="y")
        assert not make_sink(type="local_storage")(error, context())
