"""The ``hubspot`` sink: ``_hsq.push(["identify", {email}])`` under ``pii: "raw"``, and optionally a custom
behavioral event."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ..effects import Push
from ..views import flat_fields
from .base import Sink, SinkConfig, SinkContext, SkipEvent


class HubSpotConfig(SinkConfig):
    """Options of the ``hubspot`` sink."""

    type: Literal["hubspot"] = "hubspot"
    event_name: str | None = Field(None, pattern=r"^[A-Za-z0-9_]{1,100}$")
    """Internal name of a custom behavioral event (e.g. ``pe1234567_booking_scheduled``) to track per booking.
    Without it, an ``identify`` reaches HubSpot with the visitor's next tracked page view."""


class HubSpotSink(Sink):
    """Identify the visitor by the raw email, which HubSpot requires, only when the sink's ``pii`` is ``raw``;
    under the default ``hashed`` policy identify is skipped."""

    config_model = HubSpotConfig
    config: HubSpotConfig
    consent_keys = ("analytics_storage",)

    def on_booking(self, booking: dict[str, Any], context: SinkContext) -> list[Push]:
        """``identify`` when a raw email is visible, then the custom event when ``event_name`` is set."""
        effects = []
        email = ((booking.get("customer") or {}).get("email") or "").strip()
        if email:
            effects.append(Push(target="_hsq", value=["identify", {"email": email}]))
        if self.config.event_name:
            event = {"name": self.config.event_name, "properties": flat_fields(booking)}
            effects.append(Push(target="_hsq", value=["trackCustomBehavioralEvent", event]))
        if not effects:
            raise SkipEvent('identify needs the raw email ("pii": "raw") and no "event_name" is set'
                            if "customer" not in booking else 'no email to identify and no "event_name" set')
        return effects
