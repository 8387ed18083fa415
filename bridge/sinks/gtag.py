"""The ``gtag`` sink: a GA4 ``generate_lead`` event per booking, with hashed enhanced-conversion ``user_data``."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Call
from ..event import funnel_event_name
from ..views import flat_fields, visible_fields
from .base import Sink, SinkConfig, SinkContext
from .options import ConversionValue

GA4_EVENT_NAME = r"^[A-Za-z][A-Za-z0-9_]{0,39}$"


class GtagConfig(SinkConfig, ConversionValue):
    """Options of the ``gtag`` sink."""

    type: Literal["gtag"] = "gtag"
    event_name: str = Field("generate_lead", pattern=GA4_EVENT_NAME)
    """The GA4 event sent for a booking."""
    send_to: str | list[str] | None = None
    """Tag ids to send to (``G-...``, ``AW-.../label``); ``None`` lets every configured tag receive it."""
    funnel: bool = True
    """Send Booking Calendar funnel steps as GA4 events (``oncehub_booking_calendar_loaded``...)."""
    errors: bool = False
    """Send failed bookings as ``oncehub_booking_error`` events."""


class GtagSink(Sink):
    """``gtag("set", "user_data", ...)`` then ``gtag("event", "generate_lead", ...)`` per booking."""

    config_model = GtagConfig
    config: GtagConfig
    consent_keys = ("analytics_storage", "ad_user_data")

    def __init__(self, config: GtagConfig):
        super().__init__(config)
        if "user_data" not in visible_fields(config.pii, config.fields):
            self.consent_keys = ("analytics_storage",)  # sends no user data, so needs no ad consent

    def _params(self, params: dict[str, Any]) -> dict[str, Any]:
        """``params`` plus ``send_to`` when configured."""
        return {**params, "send_to": self.config.send_to} if self.config.send_to else params

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Call]:
        """Hashed ``user_data`` first (when the view has it), then the event with the booking's flat fields."""
        effects = []
        # Google documents hashed enhanced conversions for the Google tag as gtag("set", "user_data", {...})
        # before the conversion event (support.google.com/google-ads/answer/13258081), keys sha256_*. An
        # address (sha256_first_name...) also needs postal code and country, which OnceHub never sends.
        if booking.get("user_data"):
            effects.append(Call(path="gtag", args=["set", "user_data", booking["user_data"]]))
        params = flat_fields(booking)
        if "booking_id" in params:
            params = {"transaction_id": params["booking_id"], **params}
        params.update(self.config.value_params())
        effects.append(Call(path="gtag", args=["event", self.config.event_name, self._params(params)]))
        return effects

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Call]:
        """``oncehub_<step>`` when ``funnel`` is on."""
        if not self.config.funnel:
            return []
        params = self._params({"source": funnel["source"]})
        return [Call(path="gtag", args=["event", funnel_event_name(funnel["type"]), params])]

    def on_error(self, error: dict[str, Any], context: SinkContext) -> list[Call]:
        """``oncehub_booking_error`` with the error's code and message when ``errors`` is on."""
        if not self.config.errors:
            return []
        params = self._params({"source": error["source"], "error_code": error["code"],
                               "error_message": error["message"]})
        return [Call(path="gtag", args=["event", "oncehub_booking_error", params])]
