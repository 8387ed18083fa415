"""The ``callback`` sink: call a global function of the page (dotted path allowed) with each booking."""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import Field, field_validator

from ..effects import Call
from ..event import funnel_event_name
from .base import Sink, SinkConfig, SinkContext

_DOTTED_PATH = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*$")
_UNSAFE_SEGMENTS = frozenset({"__proto__", "prototype", "constructor"})


class CallbackConfig(SinkConfig):
    """Options of the ``callback`` sink."""

    type: Literal["callback"] = "callback"
    function: str = Field(max_length=200)
    """The global function to call, e.g. ``onBooking`` or ``myApp.tracking.booked`` (called with its owner as
    ``this``); skipped when the page does not define it."""
    errors: bool = False
    """Also call it for failed bookings."""
    funnel: bool = False
    """Also call it for Booking Calendar funnel steps."""

    @field_validator("function")
    @classmethod
    def _plain_path(cls, path: str) -> str:
        if not _DOTTED_PATH.match(path):
            raise ValueError(f"{path!r} is not a plain dotted path of names (e.g. \"myApp.onBooking\")")
        unsafe = _UNSAFE_SEGMENTS.intersection(path.split("."))
        if unsafe:
            raise ValueError(f"{sorted(unsafe)[0]!r} is not allowed in the function path")
        return path


class CallbackSink(Sink):
    """``function(event, name)``: the event as this sink may see it, and its analytics name (like ``on``)."""

    config_model = CallbackConfig
    config: CallbackConfig
    consent_keys = ()

    def _call(self, event: dict[str, Any], name: str) -> list[Call]:
        return [Call(path=self.config.function, args=[event, name])]

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Call]:
        """Call it with the booking's view."""
        return self._call(booking, "oncehub_booking_scheduled")

    def on_error(self, error: dict[str, Any], context: SinkContext) -> list[Call]:
        """Call it with the error when ``errors`` is on."""
        return self._call(error, "oncehub_booking_error") if self.config.errors else []

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Call]:
        """Call it with the funnel step when ``funnel`` is on."""
        return self._call(funnel, funnel_event_name(funnel["type"])) if self.config.funnel else []
