"""The ``beacon`` sink: each booking as JSON to the site's own endpoint, with ``navigator.sendBeacon`` (``fetch`` with
``keepalive`` where that is refused), so that it leaves even when the redirect takes the visitor away at once."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, model_validator

from ..effects import Beacon
from ..event import funnel_event_name
from ..url_policy import AllowedHosts, resolve, target_problem
from .base import Sink, SinkConfig, SinkContext, SkipEvent


class BeaconConfig(SinkConfig):
    """Options of the ``beacon`` sink; validated against the page URL given as validation context."""

    type: Literal["beacon"] = "beacon"
    url: str = Field(max_length=2000)
    """The endpoint, absolute or relative to the page, e.g. ``/api/bookings``: the page's own origin, or a host in
    ``allowed_hosts``. It receives ``POST`` requests with a JSON body ``{"event": name, "data": event}`` sent as
    ``text/plain`` (so that no CORS preflight is needed)."""
    allowed_hosts: AllowedHosts
    """Hosts other than the page's own that the endpoint may be on (it must then allow the page's origin in CORS)."""
    errors: bool = False
    """Also send failed bookings."""
    funnel: bool = False
    """Also send Booking Calendar funnel steps."""

    @model_validator(mode="after")
    def _safe_endpoint(self, info: ValidationInfo) -> BeaconConfig:
        if "{" in self.url or "}" in self.url:
            raise ValueError("url: the endpoint takes no placeholders (the event is in the body)")
        problem = target_problem(self.url, (info.context or {}).get("page_url"), self.allowed_hosts)
        if problem:
            raise ValueError(f"url: {problem}")
        return self


class BeaconSink(Sink):
    """One ``beacon`` effect per event: the event as this sink may see it (default policy ``hashed``)."""

    config_model = BeaconConfig
    config: BeaconConfig
    consent_keys = ("analytics_storage",)

    def _send(self, name: str, data: dict[str, Any], context: SinkContext) -> list[Beacon]:
        url = resolve(self.config.url, context.page_url)
        problem = target_problem(url, context.page_url, self.config.allowed_hosts)
        if problem:
            raise SkipEvent(f"endpoint rejected: {problem}")
        return [Beacon(url=url, body={"event": name, "data": data})]

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Beacon]:
        """Send the booking's view."""
        return self._send("oncehub_booking_scheduled", booking, context)

    def on_error(self, error: dict[str, Any], context: SinkContext) -> list[Beacon]:
        """Send the error when ``errors`` is on."""
        return self._send("oncehub_booking_error", error, context) if self.config.errors else []

    def on_funnel(self, funnel: dict[str, Any], context: SinkContext) -> list[Beacon]:
        """Send the funnel step when ``funnel`` is on."""
        return self._send(funnel_event_name(funnel["type"]), funnel, context) if self.config.funnel else []
