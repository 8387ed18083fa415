"""The page-level sinks: custom_event (a DOM event) and callback (a global function)."""

import pytest
from test_sinks import config_problems, context, make_sink

from bridge.effects import Call, Dispatch
from bridge.event import ErrorEvent, FunnelEvent
from bridge.views import view

LOADED = FunnelEvent(type="oncehub.booking_calendar.loaded")
FAILED = ErrorEvent(source="booking_page", code="booking_failed", message="failed")


class TestCustomEvent:
    def test_seed_booking(self, seed_booking):
        """oncehub:booking with the hashed view as detail."""
        assert make_sink(type="custom_event")(seed_booking, context()) == [
            Dispatch(name="oncehub:booking", detail=view(seed_booking, "hashed"))]

    def test_errors_and_funnel(self):
        """Errors and funnel steps have their own event names."""
        sink = make_sink(type="custom_event")
        assert sink(FAILED, context()) == [Dispatch(name="oncehub:error", detail=FAILED.to_dict())]
        assert sink(LOADED, context()) == [Dispatch(name="oncehub:funnel", detail=LOADED.to_dict())]

    def test_configured_names(self, seed_booking):
        """Names are configurable; null turns a kind off."""
        sink = make_sink(type="custom_event", name="booked", error_name=None, funnel_name="step")
        assert sink(seed_booking, context())[0].name == "booked"
        assert sink(FAILED, context()) == []
        assert sink(LOADED, context())[0].name == "step"

    def test_fields(self, seed_booking):
        """The detail honours the fields allow-list."""
        [effect] = make_sink(type="custom_event", fields=["booking_id"])(seed_booking, context())
        assert effect.detail == {"booking_id": "BKNG-XGYNZXXR3B7D"}


class TestCallback:
    def test_seed_booking(self, seed_booking):
        """The function is called with the view and the event's name (like OnceHubBridge.on listeners)."""
        assert make_sink(type="callback", function="myApp.tracking.booked")(seed_booking, context()) == [
            Call(path="myApp.tracking.booked", args=[view(seed_booking, "hashed"), "oncehub_booking_scheduled"])]

    def test_errors_and_funnel_only_when_asked(self):
        """Errors and funnel steps are off by default."""
        assert make_sink(type="callback", function="f")(FAILED, context()) == []
        sink = make_sink(type="callback", function="f", errors=True, funnel=True)
        assert sink(FAILED, context())[0].args == [FAILED.to_dict(), "oncehub_booking_error"]
        assert sink(LOADED, context())[0].args == [LOADED.to_dict(), "oncehub_booking_calendar_loaded"]

    @pytest.mark.parametrize("entry, problem", [
        ({"type": "callback"}, "sinks[0] (callback): function: required"),
        ({"type": "callback", "function": "alert(1)"}, "sinks[0] (callback): function: 'alert(1)' is not a plain"),
        ({"type": "callback", "function": "a..b"}, "sinks[0] (callback): function: 'a..b' is not a plain"),
        ({"type": "callback", "function": "window['x']"}, "sinks[0] (callback): function:"),
        ({"type": "callback", "function": "x.__proto__.y"}, "sinks[0] (callback): function: '__proto__' is not"),
        ({"type": "callback", "function": "Object.constructor"}, "sinks[0] (callback): function: 'constructor'"),
    ])
    def test_function_must_be_a_plain_dotted_path(self, entry, problem):
        """Only identifier paths are accepted, never expressions or prototype walks."""
        [reported] = config_problems(entry)
        assert reported.startswith(problem)
