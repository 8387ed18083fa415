"""The ``data_layer`` sink: push bookings, errors and funnel steps to ``window.dataLayer`` (GTM)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Push
from ..event import funnel_event_name
from .base import Sink, SinkConfig, SinkContext


class DataLayerConfig(SinkConfig):
    """Options of the ``data_layer`` sink."""

    type: Literal["data_layer"] = "data_layer"
    name: str = Field("dataLayer", pattern=r"^[A-Za-z_$][A-Za-z0-9_$]*$")
    """The global array to push to."""


class DataLayerSink(Sink):
    """``dataLayer.push({"event": ..., "oncehub": ...})`` for every kind of event, each after ``{"oncehub": null}``
    (``reset``): GTM merges pushes into its data model recursively, arrays by index, so without the reset a later
    event would keep fields and array items of an earlier one."""

    config_model = DataLayerConfig
    config: DataLayerConfig

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Push]:
        """Push ``oncehub_booking_scheduled`` with the booking's view."""
        return [Push(target=self.config.name, value={"event": "oncehub_booking_scheduled", "oncehub": booking},
                     reset="oncehub")]

    def on_error(self, error: dict[str, Any], context: SinkContext) -> list[Push]:
        """Push ``oncehub_booking_error`` with the error's code and message."""
        details = {"code": error["code"], "message": error["message"]}
        return [Push(target=self.config.name, value={"event": "oncehub_booking_error", "oncehub_error": details},
                     reset="oncehub_error")]

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Push]:
        """Push ``oncehub_<step>`` (e.g. ``oncehub_form_submitted``) with the step."""
        value = {"event": funnel_event_name(funnel["type"]), "oncehub": funnel}
        return [Push(target=self.config.name, value=value, reset="oncehub")]
